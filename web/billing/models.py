"""What to bill for each contract, when, and whether it is invoiced."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, Money
from tenants.db import UTCDateTime, db, utcnow
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..contracts.models import Contract


class BillingEntry(TenantScoped, db.Model):
    __tablename__ = "billing_entries"
    __table_args__ = tenant_args(
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        Index("ix_billing_entries_contract", "tenant_id", "contract_id"),
        Index("ix_billing_entries_due", "tenant_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    due_on: Mapped[date] = mapped_column(Date)
    invoiced: Mapped[bool] = mapped_column(default=False)
    invoice_ref: Mapped[str | None] = mapped_column(String(60))
    invoiced_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contract: Mapped[Contract] = relationship(lazy="raise", primaryjoin=tenant_join("Contract", "BillingEntry", "contract_id"))

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)
