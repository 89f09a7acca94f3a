"""Contracts: what was sold to whom, for how much and how long, with its documents and the tenant's numbering."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, DecimalText, Money
from tenants.db import UTCDateTime, db, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..accounts.models import Account
from ..files.models import StoredFile


class Status(str, enum.Enum):
    draft = "draft"
    active = "active"
    expiring = "expiring"
    expired = "expired"
    renewed = "renewed"
    cancelled = "cancelled"


OPEN_STATUSES = (Status.active.value, Status.expiring.value)


STATUS_LABELS = {
    "draft": _l("Draft"),
    "active": _l("Active"),
    "expiring": _l("Expiring"),
    "expired": _l("Expired"),
    "renewed": _l("Renewed"),
    "cancelled": _l("Cancelled"),
}


class ContractSettings(TenantScoped, db.Model):
    """How a tenant numbers its contracts and when renewal reminders go out."""

    __tablename__ = "contract_settings"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number_prefix: Mapped[str] = mapped_column(String(20), default="C-{year}-")
    number_digits: Mapped[int] = mapped_column(default=4)
    # Days before the notice deadline at which the rep and coordinator are reminded (the renewals feature's).
    reminder_days: Mapped[str] = mapped_column(String(60), default="90,30,7")

    @property
    def reminder_thresholds(self) -> list[int]:
        return sorted({int(x) for x in self.reminder_days.split(",") if x.strip().isdigit()}, reverse=True)


class Contract(TenantScoped, db.Model):
    __tablename__ = "contracts"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("renewal_of_id", "contracts"),
        # By table name only, as Membership's: the distributors feature sits above contracts and owns that table.
        tenant_fk("distributor_id", "distributors"),
        # Partial (migration 0023): most contracts are the company's own, and with their NULLs counted the planner
        # judged each partner a tenth of the workspace and read every signed contract for the partner results.
        Index("ix_contracts_distributor", "tenant_id", "distributor_id", sqlite_where=text("distributor_id IS NOT NULL"),
              postgresql_where=text("distributor_id IS NOT NULL")),
        Index("ix_contracts_ends_on", "tenant_id", "ends_on", "id"),
        Index("ix_contracts_owner", "tenant_id", "owner_id", "ends_on"),
        # An account's contracts by end date, a page at a time (its page; id breaks ties: migration 0025), and whether
        # a rep owns one (its cover notice): migration 0022.
        Index("ix_contracts_account", "tenant_id", "account_id", "ends_on", "id"),
        Index("ix_contracts_account_owner", "tenant_id", "account_id", "owner_id"),
        # The renewals calendar's sums per month, read from the index alone.
        Index("ix_contracts_ending_totals", "tenant_id", "status", "ends_on", "base_currency", "base_amount",
              "value_currency", "value_amount"),
        # A contract's renewals are looked up on its page and on every status change. Partial: most contracts
        # renew nothing, and with their NULLs counted the planner judged the index useless and read the table.
        Index("ix_contracts_renewal_of", "tenant_id", "renewal_of_id", sqlite_where=text("renewal_of_id IS NOT NULL"),
              postgresql_where=text("renewal_of_id IS NOT NULL")),
        Index("ix_contracts_status", "tenant_id", "status", "ends_on"),
        # Covers the converted totals of a list: summed from the index alone, never the wide rows.
        Index("ix_contracts_totals", "tenant_id", "status", "base_currency", "base_amount", "value_currency",
              "value_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[int]
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default=Status.draft.value)
    signed_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    value_amount: Mapped[Decimal] = mapped_column(Amount())
    value_currency: Mapped[str] = mapped_column(String(3))
    # The value in the tenant's base currency at the signing date's rate, locked when signed.
    base_amount: Mapped[Decimal | None] = mapped_column(Amount())
    base_currency: Mapped[str | None] = mapped_column(String(3))
    fx_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    fx_rate_date: Mapped[date | None] = mapped_column(Date)
    fx_source: Mapped[str | None] = mapped_column(String(40))
    auto_renew: Mapped[bool] = mapped_column(default=False)
    notice_days: Mapped[int] = mapped_column(default=30)
    notes: Mapped[str | None] = mapped_column(Text)
    renewal_of_id: Mapped[int | None]
    # The partner credited with the deal (a lead that came of their approved registration); set by the distributors
    # feature when such a lead is converted, shown there on this contract's page.
    distributor_id: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    account: Mapped[Account] = relationship(lazy="raise", primaryjoin=tenant_join("Account", "Contract", "account_id"))
    owner: Mapped[User] = relationship(lazy="raise", foreign_keys=[owner_id])
    coordinator: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[coordinator_id])
    renewal_of: Mapped[Contract | None] = relationship(
        lazy="raise", remote_side="Contract.id",
        primaryjoin="and_(remote(Contract.id) == foreign(Contract.renewal_of_id), "
                    "remote(Contract.tenant_id) == Contract.tenant_id)",
    )
    @property
    def value(self) -> Money:
        return Money(self.value_amount, self.value_currency)

    @property
    def base_value(self) -> Money | None:
        return None if self.base_amount is None else Money(self.base_amount, self.base_currency)

    @property
    def notice_deadline(self) -> date:
        """The last day to cancel (or renegotiate) before the contract ends."""
        return self.ends_on - timedelta(days=self.notice_days)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ContractDocument(TenantScoped, db.Model):
    """A link or an uploaded file attached to a contract (the signed PDF, the order, the brief)."""

    __tablename__ = "contract_documents"
    __table_args__ = tenant_args(
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        tenant_fk("file_id", "stored_files"),
        Index("ix_contract_documents_contract", "tenant_id", "contract_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    file_id: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    file: Mapped[StoredFile | None] = relationship(lazy="raise", primaryjoin=tenant_join("StoredFile", "ContractDocument", "file_id"))


class ContractRollup(TenantScoped, db.Model):
    """How many contracts end on each day, and their value, per owner, status and currency.

    Kept by database triggers on contracts (migration 0018): the renewals calendar sums a window's months from
    these rows, at most a few per day, instead of reading every contract that ends in it. The value is the locked
    base value of a signed contract, else its own (what the calendar converts and adds).
    """

    __tablename__ = "contract_rollups"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "owner_id", "status", "ends_on", "currency",
                                                  name="uq_contract_rollups_group"),
                                 Index("ix_contract_rollups_ends", "tenant_id", "ends_on", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(12))
    ends_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    contracts: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Amount())


# contract_signed_rollups' day for a contract not signed yet: a key is never NULL.
UNSIGNED = date(1, 1, 1)


class ContractSignedRollup(TenantScoped, db.Model):
    """How many contracts were signed each day, and their value, per owner, status and currency: their own value,
    and the base value locked at signing with its currency ('' when none was locked). Not signed: day UNSIGNED.

    Kept by database triggers on contracts (migration 0025): the team report sums a period's days from these rows
    instead of every contract signed in it.
    """

    __tablename__ = "contract_signed_rollups"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "owner_id", "status", "signed_on", "currency",
                                                  "base_currency", name="uq_contract_signed_rollups_group"),
                                 Index("ix_contract_signed_rollups_day", "tenant_id", "signed_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(12))
    signed_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    base_currency: Mapped[str] = mapped_column(String(3))
    contracts: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Amount())
    base_amount: Mapped[Decimal] = mapped_column(Amount())


class AccountFirstSignature(TenantScoped, db.Model):
    """The day an account first signed a contract (none while it has signed nothing).

    Kept by database triggers on contracts (migration 0025): the team report's new customers are the accounts whose
    first signature falls in the period, read from here, not by comparing every signature with its account's first.
    """

    __tablename__ = "account_first_signatures"
    __table_args__ = tenant_args(tenant_fk("account_id", "accounts", ondelete="CASCADE"),
                                 UniqueConstraint("tenant_id", "account_id", name="uq_account_first_signatures_account"),
                                 Index("ix_account_first_signatures_day", "tenant_id", "signed_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int]
    signed_on: Mapped[date] = mapped_column(Date)


class ContractMonthRollup(TenantScoped, db.Model):
    """How many contracts, and their own value (not the locked base value), per owner, status, automatic renewal,
    currency, month they start and month they end ('YYYY-MM').

    Kept by database triggers on contracts (migration 0025): the forecast weighs drafts by the quarter they start
    and renewals by the quarter they end at today's rates, and reads these rows (a few per month) instead of every
    draft and every open contract: the same at 100,000 contracts as at 1,000.
    """

    __tablename__ = "contract_month_rollups"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "owner_id", "status", "auto_renew", "currency",
                                                  "starts_month", "ends_month", name="uq_contract_month_rollups_group"),
                                 Index("ix_contract_month_rollups_starts", "tenant_id", "status", "starts_month"),
                                 Index("ix_contract_month_rollups_ends", "tenant_id", "status", "ends_month"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(12))
    auto_renew: Mapped[bool]
    currency: Mapped[str] = mapped_column(String(3))
    starts_month: Mapped[str] = mapped_column(String(7))
    ends_month: Mapped[str] = mapped_column(String(7))
    contracts: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Amount())
