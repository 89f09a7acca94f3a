"""Coordinator bonuses: one entry when a teed-up lead's first contract is signed."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, DecimalText, Money, ScaledDecimal
from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..contracts.models import Contract
from ..leads.models import Lead


class BonusEntry(TenantScoped, db.Model):
    """A coordinator's bonus for a teed-up lead whose first contract was signed: one per lead, ever."""

    __tablename__ = "lead_bonuses"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads"),
        tenant_fk("contract_id", "contracts"),
        UniqueConstraint("tenant_id", "lead_id"),
        UniqueConstraint("tenant_id", "contract_id"),
        CheckConstraint(one_of("rule", ("fixed", "percent")), name="rule"),
        Index("ix_lead_bonuses_coordinator", "tenant_id", "coordinator_id", "earned_on"),
        Index("ix_lead_bonuses_earned", "tenant_id", "earned_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int]
    contract_id: Mapped[int]
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The bonus in the tenant's base currency at the time it was earned.
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    rule: Mapped[str] = mapped_column(String(10))
    percent: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    # What it was computed from: the contract's value and the rate that took it into the base currency.
    contract_amount: Mapped[Decimal] = mapped_column(Amount())
    contract_currency: Mapped[str] = mapped_column(String(3))
    fx_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    fx_rate_date: Mapped[date | None] = mapped_column(Date)
    fx_source: Mapped[str | None] = mapped_column(String(40))
    earned_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Lead] = relationship(lazy="raise", primaryjoin=tenant_join("Lead", "BonusEntry", "lead_id"))
    contract: Mapped[Contract] = relationship(lazy="raise", primaryjoin=tenant_join("Contract", "BonusEntry", "contract_id"))
    coordinator: Mapped[User | None] = relationship(lazy="raise")

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def contract_value(self) -> Money:
        return Money(self.contract_amount, self.contract_currency)


BONUS_RULE_LABELS = {
    "none": _l("No bonus"),
    "fixed": _l("A fixed amount in the base currency"),
    "percent": _l("A percentage of the first contract's value"),
}
