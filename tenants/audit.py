"""The audit trail: who did what, when, to which record, inside one tenant."""
from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import JSON, ForeignKey, Index, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import UTCDateTime, db, utcnow
from .members import person
from .models import User
from .scoping import TenantScoped, built_once, tenant_args


class AuditEvent(TenantScoped, db.Model):
    __tablename__ = "audit_events"
    __table_args__ = tenant_args(Index("ix_audit_events_subject", "tenant_id", "subject_type", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="raise")


def record(
    action: str,
    *,
    actor_id: int | None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Add an audit event for the current tenant to the session (the caller commits)."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
        ip=ip,
    )
    db.session.add(event)
    return event


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that differ, as {field: [old, new]} with values made JSON-safe."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


class Tracked:
    """A record's fields before an edit; record() writes what the edit changed, if anything.

        tracked = audit.Tracked(contract, FIELDS)
        ...apply the edit...
        tracked.record("contract.updated", actor_id=..., subject_type="contract", subject_id=contract.id)
    """

    def __init__(self, row: Any, fields: tuple[str, ...], extra: Any = None):
        self.row, self.fields, self.extra = row, fields, extra
        self.before = self.snapshot()

    def snapshot(self) -> dict[str, Any]:
        data = {name: getattr(self.row, name) for name in self.fields}
        if self.extra is not None:
            data.update(self.extra(self.row))
        return data

    def record(self, action: str, *, actor_id: int | None, subject_type: str, subject_id: int | None,
               details: dict[str, Any] | None = None) -> dict[str, list[Any]]:
        """Add the event when something changed (the caller commits); returns the changes."""
        changed = changes(self.before, self.snapshot())
        if changed:
            record(action, actor_id=actor_id, subject_type=subject_type, subject_id=subject_id,
                   details={**(details or {}), **changed})
        return changed


class HistoryEvent(NamedTuple):
    """An event of a record's history as its page shows it: its columns and who did it, no ORM object (issue 15)."""

    id: int
    action: str
    subject_type: str | None
    subject_id: int | None
    details: dict[str, Any]
    created_at: datetime
    actor_id: int | None
    actor_name: str | None

    actor = property(lambda self: person(self.actor_id, self.actor_name))


def history(subject_type: str, subject_id: int, limit: int = 100) -> list[HistoryEvent]:
    """What happened to one record, newest first, with who did it (every record page reads it: built once)."""
    stmt = built_once(lambda: (
        select(AuditEvent.id, AuditEvent.action, AuditEvent.subject_type, AuditEvent.subject_id, AuditEvent.details,
               AuditEvent.created_at, AuditEvent.actor_id, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_type == bindparam("subject_type"), AuditEvent.subject_id == bindparam("subject_id"))
        .order_by(AuditEvent.id.desc()).limit(bindparam("limit"))))
    return [HistoryEvent._make(row) for row in db.session.execute(
        stmt, {"subject_type": subject_type, "subject_id": subject_id, "limit": limit})]
