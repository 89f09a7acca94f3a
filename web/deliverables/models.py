"""What each contract promised (deliverables), of which kinds, by whom and by when, with proof."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount
from tenants.db import UTCDateTime, db, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..contracts.models import Contract
from ..files.models import StoredFile
from ..locale_context import label


class DeliverableStatus(str, enum.Enum):
    planned = "planned"
    in_progress = "in_progress"
    delivered = "delivered"
    missed = "missed"


# Not delivered yet: overdue once its day has passed. Values, not members: a list asks this of every row twice.
OPEN = (DeliverableStatus.planned.value, DeliverableStatus.in_progress.value)




BUILTIN_KINDS = ("ad_placement", "web_banner", "discount", "event_booth", "service", "other")

DELIVERABLE_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "delivered": _l("Delivered"),
    "missed": _l("Missed"),
}
KIND_LABELS = {
    "ad_placement": _l("Ad placement"),
    "web_banner": _l("Web banner"),
    "discount": _l("Discount"),
    "event_booth": _l("Event booth"),
    "service": _l("Service"),
    "other": _l("Other"),
}


def kind_label(kind) -> str:
    return kind.name or label(KIND_LABELS, kind.key)


class DeliverableKind(TenantScoped, db.Model):
    """What a deliverable is: the six built in (named in every language) and the tenant's own."""

    __tablename__ = "deliverable_kinds"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(80))  # None for built-in kinds: the label is translated
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)


class Deliverable(TenantScoped, db.Model):
    __tablename__ = "deliverables"
    __table_args__ = tenant_args(
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        tenant_fk("kind_id", "deliverable_kinds"),
        tenant_fk("proof_file_id", "stored_files"),
        Index("ix_deliverables_contract", "tenant_id", "contract_id"),
        Index("ix_deliverables_due", "tenant_id", "due_on", "id", "status"),  # the lists' order, then the counts' filter
        Index("ix_deliverables_responsible", "tenant_id", "responsible_id", "due_on"),
        # What is still to deliver, by due date: the compiled report's overdue work reads these entries alone, not
        # every deliverable ever due (migration 0025).
        Index("ix_deliverables_open", "tenant_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int]
    kind_id: Mapped[int]
    details: Mapped[str] = mapped_column(String(300))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    department: Mapped[str | None] = mapped_column(String(80))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=DeliverableStatus.planned.value)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    proof_url: Mapped[str | None] = mapped_column(String(500))
    proof_file_id: Mapped[int | None]
    # The part of the contract's value this deliverable stands for, in the contract's currency.
    value_share: Mapped[Decimal | None] = mapped_column(Amount())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    contract: Mapped[Contract] = relationship(lazy="raise",
                                              primaryjoin=tenant_join("Contract", "Deliverable", "contract_id"))
    kind: Mapped[DeliverableKind] = relationship(lazy="raise", primaryjoin=tenant_join("DeliverableKind", "Deliverable", "kind_id"))
    responsible: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[responsible_id])
    proof_file: Mapped[StoredFile | None] = relationship(lazy="raise", primaryjoin=tenant_join("StoredFile", "Deliverable", "proof_file_id"))

    def is_overdue(self, today: date) -> bool:
        return self.due_on < today and self.status in OPEN
