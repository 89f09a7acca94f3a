"""Partners abroad: their tiers, the distributors themselves, the people there, and the deals they register.

Rows a partner owns are PartnerScoped as well as TenantScoped: inside the portal the ORM shows a partner only
their own distributor's rows (tenants/scoping.py), and on PostgreSQL a second row-level policy does the same.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, DecimalText, Money
from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import PartnerScoped, TenantScoped, tenant_args, tenant_fk, tenant_join

from ..locale_context import label


class Tier(TenantScoped, db.Model):
    """A partner level an admin defines (Gold, Silver, Bronze): what it earns and what it promises."""

    __tablename__ = "distributor_tiers"
    __table_args__ = tenant_args(Index("ix_distributor_tiers_rank", "tenant_id", "rank"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    rank: Mapped[int] = mapped_column(default=1)  # 1 is the highest
    # Off the base price list, in percent (12.5 is 12.5 %).
    discount_percent: Mapped[Decimal] = mapped_column(Amount(), default=Decimal(0))
    benefits: Mapped[str | None] = mapped_column(Text)
    # How long an approved deal registration keeps the deal the partner's alone.
    exclusivity_days: Mapped[int] = mapped_column(default=90)
    # How long a partner has to accept or decline a lead passed to them.
    lead_sla_hours: Mapped[int] = mapped_column(default=48)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Distributor(TenantScoped, PartnerScoped, db.Model):
    __tablename__ = "distributors"
    __partner_key__ = "id"  # a partner sees their own distributor row, no other
    __table_args__ = tenant_args(
        tenant_fk("tier_id", "distributor_tiers"),
        Index("ix_distributors_name_key", "tenant_id", "name_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    # ISO country codes of their territory.
    countries: Mapped[list] = mapped_column(JSON, default=list)
    # The portal's and their mail's language, and the currency their prices and deals are in.
    language: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(3))
    tier_id: Mapped[int | None]
    agreement_starts_on: Mapped[date | None] = mapped_column(Date)
    agreement_ends_on: Mapped[date | None] = mapped_column(Date)
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    tier: Mapped[Tier | None] = relationship(lazy="raise", primaryjoin=tenant_join("Tier", "Distributor", "tier_id"),
                                             viewonly=True)
    coordinator: Mapped[User | None] = relationship(lazy="raise", viewonly=True)


class DistributorContact(TenantScoped, PartnerScoped, db.Model):
    """A person at the distributor (not necessarily a portal user)."""

    __tablename__ = "distributor_contacts"
    __table_args__ = tenant_args(
        tenant_fk("distributor_id", "distributors", ondelete="CASCADE"),
        Index("ix_distributor_contacts_distributor", "tenant_id", "distributor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distributor_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(160))
    job_title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Status(str, enum.Enum):
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"


STATUS_LABELS = {
    Status.submitted.value: _l("Awaiting review"),
    Status.approved.value: _l("Approved"),
    Status.rejected.value: _l("Rejected"),
    Status.expired.value: _l("Exclusivity ended"),
}


class Registration(TenantScoped, PartnerScoped, db.Model):
    """A deal a partner found and asks to keep: the coordinator checks it against what the company has."""

    __tablename__ = "deal_registrations"
    __table_args__ = tenant_args(
        tenant_fk("distributor_id", "distributors", ondelete="CASCADE"),
        tenant_fk("lead_id", "leads"),
        Index("ix_deal_registrations_list", "tenant_id", "distributor_id", "id"),
        # The portal's counts by state read this index alone, whatever the number of registrations.
        Index("ix_deal_registrations_partner_status", "tenant_id", "distributor_id", "status"),
        Index("ix_deal_registrations_status", "tenant_id", "status", "id"),
        Index("ix_deal_registrations_company_key", "tenant_id", "company_key"),
        CheckConstraint(one_of("status", [s.value for s in Status]), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distributor_id: Mapped[int]
    company: Mapped[str] = mapped_column(String(200))
    company_key: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    contact_name: Mapped[str | None] = mapped_column(String(160))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    email_domain: Mapped[str | None] = mapped_column(String(200))
    value_amount: Mapped[Decimal] = mapped_column(Amount())
    value_currency: Mapped[str] = mapped_column(String(3))
    expected_close: Mapped[date | None] = mapped_column(Date)
    products: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=Status.submitted.value)
    # What the conflict check found when it was registered: [{"kind", "id", "name", "reasons": [...]}].
    conflicts: Mapped[list] = mapped_column(JSON, default=list)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected, in the coordinator's words
    exclusive_until: Mapped[date | None] = mapped_column(Date)
    # When the warning that exclusivity ends soon went out (once).
    expiry_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lead_id: Mapped[int | None]  # the lead it became, credited to the partner
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    distributor: Mapped[Distributor] = relationship(
        lazy="raise", viewonly=True, primaryjoin=tenant_join("Distributor", "Registration", "distributor_id"))

    @property
    def value(self) -> Money:
        return Money(self.value_amount, self.value_currency)

    @property
    def status_label(self) -> str:
        return label(STATUS_LABELS, self.status)


class Product(TenantScoped, db.Model):
    """What partners order: a code, a name in each language, a unit, a base price in the tenant's currency."""

    __tablename__ = "distributor_products"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    names: Mapped[dict] = mapped_column(JSON, default=dict)  # {"en": ..., "it": ..., "vi": ...}
    unit: Mapped[str] = mapped_column(String(40))
    base_price: Mapped[Decimal] = mapped_column(Amount())
    base_currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def name_in(self, locale: str) -> str:
        """The name in the reader's language, else English, else any."""
        names = self.names or {}
        return names.get(locale[:2]) or names.get("en") or next(iter(names.values()), self.code)


class TierPrice(TenantScoped, db.Model):
    """An explicit price of a product for a tier (in the tenant's currency), instead of the tier's discount."""

    __tablename__ = "distributor_tier_prices"
    __table_args__ = tenant_args(
        tenant_fk("tier_id", "distributor_tiers", ondelete="CASCADE"),
        tenant_fk("product_id", "distributor_products", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "tier_id", "product_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tier_id: Mapped[int]
    product_id: Mapped[int]
    price: Mapped[Decimal] = mapped_column(Amount())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrderStatus(str, enum.Enum):
    submitted = "submitted"
    confirmed = "confirmed"
    shipped = "shipped"
    delivered = "delivered"
    invoiced = "invoiced"


ORDER_STATUS_LABELS = {
    OrderStatus.submitted.value: _l("Ordered"),
    OrderStatus.confirmed.value: _l("Confirmed"),
    OrderStatus.shipped.value: _l("Shipped"),
    # An order's own words: Italian agrees them with "ordine" (masculine), where a delivery or an invoice is feminine.
    OrderStatus.delivered.value: _lp("order", "Delivered"),
    OrderStatus.invoiced.value: _lp("order", "Invoiced"),
}
INCOTERMS = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")


class Order(TenantScoped, PartnerScoped, db.Model):
    """A partner's order from their price list, at the prices and the rate of the day it was placed."""

    __tablename__ = "distributor_orders"
    __table_args__ = tenant_args(
        tenant_fk("distributor_id", "distributors", ondelete="CASCADE"),
        Index("ix_distributor_orders_list", "tenant_id", "distributor_id", "id"),
        Index("ix_distributor_orders_status", "tenant_id", "status", "id"),
        CheckConstraint(one_of("status", [s.value for s in OrderStatus]), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distributor_id: Mapped[int]
    # The ISO country it ships to: the partner results count orders by it.
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default=OrderStatus.submitted.value)
    # In the partner's currency, converted from the base prices at the rate below (kept beside it).
    currency: Mapped[str] = mapped_column(String(3))
    total_amount: Mapped[Decimal] = mapped_column(Amount())
    base_currency: Mapped[str] = mapped_column(String(3))
    base_total: Mapped[Decimal] = mapped_column(Amount())
    fx_rate: Mapped[Decimal] = mapped_column(DecimalText())
    fx_rate_date: Mapped[date] = mapped_column(Date)
    fx_source: Mapped[str] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    carrier: Mapped[str | None] = mapped_column(String(120))
    tracking: Mapped[str | None] = mapped_column(String(120))
    incoterm: Mapped[str | None] = mapped_column(String(3))
    export_papers: Mapped[str | None] = mapped_column(String(500))  # export declaration, certificate numbers
    invoice_number: Mapped[str | None] = mapped_column(String(60))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invoiced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    distributor: Mapped[Distributor] = relationship(
        lazy="raise", viewonly=True, primaryjoin=tenant_join("Distributor", "Order", "distributor_id"))
    lines: Mapped[list[OrderLine]] = relationship(
        lazy="raise", order_by="OrderLine.id", primaryjoin=tenant_join("Order", "OrderLine", "order_id"),
        back_populates="order")

    @property
    def total(self) -> Money:
        return Money(self.total_amount, self.currency)

    @property
    def base(self) -> Money:
        return Money(self.base_total, self.base_currency)

    @property
    def status_label(self) -> str:
        return label(ORDER_STATUS_LABELS, self.status)

    @property
    def number(self) -> str:
        return f"PO-{self.id:05d}"


class OrderLine(TenantScoped, PartnerScoped, db.Model):
    __tablename__ = "distributor_order_lines"
    __table_args__ = tenant_args(
        tenant_fk("order_id", "distributor_orders", ondelete="CASCADE"),
        tenant_fk("product_id", "distributor_products"),
        tenant_fk("distributor_id", "distributors", ondelete="CASCADE"),
        Index("ix_distributor_order_lines_order", "tenant_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int]
    distributor_id: Mapped[int]
    product_id: Mapped[int]
    # What was ordered as it read then: a product renamed or repriced later does not change the order.
    product_code: Mapped[str] = mapped_column(String(40))
    product_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int]
    base_unit_price: Mapped[Decimal] = mapped_column(Amount())
    unit_price: Mapped[Decimal] = mapped_column(Amount())  # in the order's currency
    line_total: Mapped[Decimal] = mapped_column(Amount())

    order: Mapped[Order] = relationship(lazy="raise", primaryjoin=tenant_join("Order", "OrderLine", "order_id"),
                                        back_populates="lines")


class OfferStatus(str, enum.Enum):
    offered = "offered"
    accepted = "accepted"
    declined = "declined"
    returned = "returned"  # nobody answered within the tier's time
    won = "won"
    lost = "lost"


OFFER_STATUS_LABELS = {
    OfferStatus.offered.value: _l("Waiting for an answer"),
    OfferStatus.accepted.value: _l("Accepted"),
    OfferStatus.declined.value: _l("Declined"),
    OfferStatus.returned.value: _l("Returned unanswered"),
    OfferStatus.won.value: _l("Won"),
    OfferStatus.lost.value: _l("Lost"),
}


class LeadOffer(TenantScoped, PartnerScoped, db.Model):
    """A lead a coordinator passes to a partner, with what the partner may know of it (copied, so the portal never
    reads the tenant's leads), to accept or decline within the tier's time."""

    __tablename__ = "distributor_lead_offers"
    __table_args__ = tenant_args(
        tenant_fk("distributor_id", "distributors", ondelete="CASCADE"),
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        Index("ix_distributor_lead_offers_list", "tenant_id", "distributor_id", "id"),
        Index("ix_distributor_lead_offers_due", "tenant_id", "status", "due_at"),
        Index("ix_distributor_lead_offers_lead", "tenant_id", "lead_id"),
        CheckConstraint(one_of("status", [s.value for s in OfferStatus]), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distributor_id: Mapped[int]
    lead_id: Mapped[int]
    company: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    contact_name: Mapped[str | None] = mapped_column(String(160))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)  # what the coordinator tells the partner
    status: Mapped[str] = mapped_column(String(12), default=OfferStatus.offered.value)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_note: Mapped[str | None] = mapped_column(Text)  # why declined, or how it ended
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    distributor: Mapped[Distributor] = relationship(
        lazy="raise", viewonly=True, primaryjoin=tenant_join("Distributor", "LeadOffer", "distributor_id"))

    @property
    def status_label(self) -> str:
        return label(OFFER_STATUS_LABELS, self.status)
