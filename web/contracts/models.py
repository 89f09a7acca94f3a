"""Contracts, what each one promised (deliverables), what to bill, and the reminders sent about them."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
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


class DeliverableStatus(str, enum.Enum):
    planned = "planned"
    in_progress = "in_progress"
    delivered = "delivered"
    missed = "missed"


BUILTIN_KINDS = ("ad_placement", "web_banner", "discount", "event_booth", "service", "other")


class ContractSettings(TenantScoped, db.Model):
    """How a tenant numbers its contracts and when renewal reminders go out."""

    __tablename__ = "contract_settings"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number_prefix: Mapped[str] = mapped_column(String(20), default="C-{year}-")
    number_digits: Mapped[int] = mapped_column(default=4)
    # Days before the notice deadline at which the rep and coordinator are reminded.
    reminder_days: Mapped[str] = mapped_column(String(60), default="90,30,7")

    @property
    def reminder_thresholds(self) -> list[int]:
        return sorted({int(x) for x in self.reminder_days.split(",") if x.strip().isdigit()}, reverse=True)


class DeliverableKind(TenantScoped, db.Model):
    """What a deliverable is: the six built in (named in every language) and the tenant's own."""

    __tablename__ = "deliverable_kinds"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(80))  # None for built-in kinds: the label is translated
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)


class Contract(TenantScoped, db.Model):
    __tablename__ = "contracts"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id", "number"),
        tenant_fk("account_id", "accounts"),
        tenant_fk("renewal_of_id", "contracts"),
        Index("ix_contracts_ends_on", "tenant_id", "ends_on", "id"),
        Index("ix_contracts_owner", "tenant_id", "owner_id", "ends_on"),
        Index("ix_contracts_account", "tenant_id", "account_id"),
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
    deliverables: Mapped[list[Deliverable]] = relationship(
        lazy="raise", back_populates="contract", order_by="Deliverable.due_on, Deliverable.id",
        primaryjoin=tenant_join("Contract", "Deliverable", "contract_id"), cascade="all, delete-orphan",
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


class Deliverable(TenantScoped, db.Model):
    __tablename__ = "deliverables"
    __table_args__ = tenant_args(
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        tenant_fk("kind_id", "deliverable_kinds"),
        tenant_fk("proof_file_id", "stored_files"),
        Index("ix_deliverables_contract", "tenant_id", "contract_id"),
        Index("ix_deliverables_due", "tenant_id", "due_on", "status"),
        Index("ix_deliverables_responsible", "tenant_id", "responsible_id", "due_on"),
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

    contract: Mapped[Contract] = relationship(lazy="raise", back_populates="deliverables",
                                              primaryjoin=tenant_join("Contract", "Deliverable", "contract_id"))
    kind: Mapped[DeliverableKind] = relationship(lazy="raise", primaryjoin=tenant_join("DeliverableKind", "Deliverable", "kind_id"))
    responsible: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[responsible_id])
    proof_file: Mapped[StoredFile | None] = relationship(lazy="raise", primaryjoin=tenant_join("StoredFile", "Deliverable", "proof_file_id"))

    def is_overdue(self, today: date) -> bool:
        return self.due_on < today and self.status in (DeliverableStatus.planned.value, DeliverableStatus.in_progress.value)


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
