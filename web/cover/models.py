"""Away periods and who covers them, and the notices already passed on to the cover person."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk

NOTICE_KINDS = ("lead", "handoff", "reminder")


class Away(TenantScoped, db.Model):
    """Someone away from starts_on to ends_on (both included), and the person who covers for them."""

    __tablename__ = "cover_periods"
    __table_args__ = tenant_args(
        CheckConstraint("ends_on >= starts_on", name="dates"),
        Index("ix_cover_periods_user", "tenant_id", "user_id", "ends_on"),
        Index("ix_cover_periods_cover", "tenant_id", "cover_id", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cover_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="raise", foreign_keys=[user_id])
    cover: Mapped[User] = relationship(lazy="raise", foreign_keys=[cover_id])


class Notice(TenantScoped, db.Model):
    """A lead, hand-off or renewal reminder of an absent person already mailed to their cover: never twice."""

    __tablename__ = "cover_notices"
    __table_args__ = tenant_args(
        tenant_fk("away_id", "cover_periods", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "away_id", "kind", "ref_id"),
        CheckConstraint(one_of("kind", NOTICE_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    away_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    ref_id: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
