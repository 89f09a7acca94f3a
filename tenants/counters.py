"""Per-tenant sequences (contract numbers and the like) that never hand out a number twice."""
from __future__ import annotations

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .db import db
from .scoping import TenantScoped, tenant_args


class Counter(TenantScoped, db.Model):
    __tablename__ = "counters"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(default=0)


def next_value(name: str) -> int:
    """The next number of the current tenant's sequence `name`, inside the caller's transaction.

    The row is locked (FOR UPDATE on PostgreSQL; SQLite serialises writers) until the caller
    commits, so two people creating contracts at once get two numbers.
    """
    for _ in range(3):
        counter = db.session.scalar(select(Counter).where(Counter.name == name).with_for_update())
        if counter is not None:
            counter.value += 1
            db.session.flush()
            return counter.value
        try:
            with db.session.begin_nested():
                db.session.add(Counter(name=name, value=1))
            return 1
        except IntegrityError:
            continue  # someone else created it first: lock theirs
    raise RuntimeError(f"could not advance counter {name}")
