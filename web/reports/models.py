"""Targets per rep (or the whole team) and period, who supports whom, and figures reps report from outside."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
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
        # A rep's target is one per period; the team's (rep_id NULL, which a plain UNIQUE lets repeat) by a
        # partial index, so two managers saving at once update one row instead of making two.
        UniqueConstraint("tenant_id", "rep_id", "period"),
        Index("uq_report_targets_team", "tenant_id", "period", unique=True,
              sqlite_where=text("rep_id IS NULL"), postgresql_where=text("rep_id IS NULL")),
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


# What a forecast weighs, in the order the admin's form shows them: open leads by stage, draft contracts, and
# renewals due (an auto-renewal is likelier than one that needs a yes).
ODDS_KEYS = ("new", "researching", "qualified", "handed_off", "draft", "renewal", "auto_renewal")
DEFAULT_ODDS = {"new": 10, "researching": 20, "qualified": 40, "handed_off": 60, "draft": 75, "renewal": 60,
                "auto_renewal": 95}
ODDS_LABELS = {
    "new": _l("New lead"),
    "researching": _l("Lead being researched"),
    "qualified": _l("Qualified lead"),
    "handed_off": _l("Lead handed off to a rep"),
    "draft": _l("Draft contract"),
    "renewal": _l("Renewal due"),
    "auto_renewal": _l("Renewal due, renewing automatically"),
}


class StageOdds(TenantScoped, db.Model):
    """The chance, in percent, that what sits at a stage turns into signed value: set by admins."""

    __tablename__ = "report_odds"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id", "stage"),
        CheckConstraint(one_of("stage", ODDS_KEYS), name="stage"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(20))
    percent: Mapped[int]


class ForecastSnapshot(TenantScoped, db.Model):
    """A rep's forecast for a quarter as it stood when the quarter began, kept to set beside what happened."""

    __tablename__ = "report_forecasts"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "quarter", "rep_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7))
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class Subscription(TenantScoped, db.Model):
    """A manager (or admin, or coordinator) who asked for the compiled report by mail every week."""

    __tablename__ = "report_subscriptions"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The ISO week ('2026-W49') last sent: the tick claims a week by changing it, so it goes out once.
    last_week: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The report's sums read contracts by signing date: these indexes live with the report that needs them (declared
# here on the contracts table, made by this feature's migration). The first covers the signed-value sum, so it
# is read from the index alone; the second finds each account's first signature without reading its rows.
from ..contracts.models import Contract  # noqa: E402  (after the report's own models: the index is an add-on)

Index("ix_contracts_signed", Contract.tenant_id, Contract.signed_on, Contract.owner_id, Contract.status,
      Contract.base_currency, Contract.base_amount, Contract.value_currency, Contract.value_amount)
Index("ix_contracts_account_signed", Contract.tenant_id, Contract.account_id, Contract.signed_on)
