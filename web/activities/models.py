"""Calls, emails, meetings and notes on leads and accounts; one with a due date is a follow-up."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..accounts.models import Account
from ..leads.models import Lead


class ActivityKind(str, enum.Enum):
    call = "call"
    email = "email"
    meeting = "meeting"
    note = "note"


class Activity(TenantScoped, db.Model):
    """A call, email, meeting or note on a lead or an account; with a due date it is a follow-up to do."""

    __tablename__ = "activities"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        tenant_fk("account_id", "accounts", ondelete="CASCADE"),
        CheckConstraint("lead_id IS NOT NULL OR account_id IS NOT NULL", name="subject"),
        CheckConstraint(one_of("kind", tuple(k.value for k in ActivityKind)), name="kind"),
        Index("ix_activities_lead", "tenant_id", "lead_id", "id"),
        Index("ix_activities_account", "tenant_id", "account_id", "id"),
        Index("ix_activities_due", "tenant_id", "assignee_id", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int | None]
    account_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Lead | None] = relationship(lazy="raise", primaryjoin=tenant_join("Lead", "Activity", "lead_id"))
    account: Mapped[Account | None] = relationship(lazy="raise", primaryjoin=tenant_join("Account", "Activity", "account_id"))
    assignee: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[created_by_id])

    @property
    def is_open(self) -> bool:
        return self.due_on is not None and self.done_at is None


ACTIVITY_LABELS = {
    "call": _l("Call"),
    "email": _l("Email"),
    "meeting": _l("Meeting"),
    "note": _l("Note"),
}
