"""Targets per rep (or the whole team) and period, who supports whom, and figures reps report from outside."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, DecimalText, Money
from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args

FIGURE_KINDS = ("signed_value", "renewal_kept", "new_account")
FIGURE_LABELS = {
    "signed_value": _l("Signed value"),
    "renewal_kept": _l("Renewal kept"),
    "new_account": _l("New account"),
}


class Target(TenantScoped, db.Model):
    """What a rep (rep_id) or the whole team (rep_id empty) should reach in a month ('2026-11') or a quarter
    ('2026-Q4'). Money targets are in the tenant's base currency of the day they were set."""

    __tablename__ = "report_targets"
    __table_args__ = tenant_args(
        # Reps' targets are unique by the constraint; the team's (rep_id NULL) by the service's upsert.
        UniqueConstraint("tenant_id", "rep_id", "period"),
        Index("ix_report_targets_period", "tenant_id", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    signed_amount: Mapped[Decimal | None] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    renewals_kept: Mapped[int | None]
    new_accounts: Mapped[int | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    rep: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[rep_id])

    @property
    def signed(self) -> Money | None:
        return None if self.signed_amount is None else Money(self.signed_amount, self.currency)


class Support(TenantScoped, db.Model):
    """The coordinator who supports a rep: sees the rep's numbers and compiles them for the manager."""

    __tablename__ = "report_support"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "rep_id"),
                                 Index("ix_report_support_coordinator", "tenant_id", "coordinator_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class ManualFigure(TenantScoped, db.Model):
    """A result a rep reports that Coordina does not hold (a deal closed in another system), entered by a
    coordinator with a note; reports count it and mark it as entered by hand."""

    __tablename__ = "report_figures"
    __table_args__ = tenant_args(
        CheckConstraint(one_of("kind", FIGURE_KINDS), name="kind"),
        Index("ix_report_figures_rep", "tenant_id", "rep_id", "day"),
        Index("ix_report_figures_day", "tenant_id", "day", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    # Signed value as reported, and locked into the base currency at that day's rate (as a signed contract is).
    amount: Mapped[Decimal | None] = mapped_column(Amount())
    currency: Mapped[str | None] = mapped_column(String(3))
    base_amount: Mapped[Decimal | None] = mapped_column(Amount())
    base_currency: Mapped[str | None] = mapped_column(String(3))
    fx_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    fx_rate_date: Mapped[date | None] = mapped_column(Date)
    fx_source: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rep: Mapped[User] = relationship(lazy="raise", foreign_keys=[rep_id])
    entered_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[entered_by_id])

    @property
    def money(self) -> Money | None:
        return None if self.amount is None else Money(self.amount, self.currency)

    @property
    def base_money(self) -> Money | None:
        return None if self.base_amount is None else Money(self.base_amount, self.base_currency)
