"""Renewal reminders sent, and each person's private calendar feed."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import UTCDateTime, db, utcnow
from tenants.scoping import TenantScoped, tenant_args, tenant_fk


class ContractReminder(TenantScoped, db.Model):
    """A renewal reminder sent: one per contract, person, threshold and deadline, whatever tick does."""

    __tablename__ = "contract_reminders"
    __table_args__ = tenant_args(
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "contract_id", "recipient_id", "threshold_days", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int]
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    threshold_days: Mapped[int]
    deadline: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(TenantScoped, db.Model):
    """A person's private iCal address; only the token's hash is kept."""

    __tablename__ = "calendar_feeds"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "user_id"), UniqueConstraint("tenant_id", "token_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
