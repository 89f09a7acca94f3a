"""Events the company exhibits at or hosts: the show itself, who goes, and what it costs."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, DecimalText, Money
from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..locale_context import label

KIND_LABELS = {
    "trade_show": _l("Trade show"),
    "conference": _l("Conference"),
    "customer_event": _l("Customer event"),
    "cocktail": _l("Cocktail party or hospitality"),
}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "confirmed": _l("Confirmed"),
    "running": _l("Running"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
COST_LABELS = {
    "booth_fee": _l("Booth fee"),
    "shipping": _l("Shipping"),
    "travel": _l("Travel"),
    "giveaways": _l("Giveaways"),
    "hospitality": _l("Hospitality"),
    "other": _l("Other"),
}
# Statuses of an event that is still ahead or on (the "upcoming" list and the checklist's overdue items).
LIVE_STATUSES = ("planned", "confirmed", "running")


class Event(TenantScoped, db.Model):
    """A trade show, conference, customer event or cocktail party: where, when, which booth, who goes."""

    __tablename__ = "events"
    __table_args__ = tenant_args(
        CheckConstraint(one_of("kind", tuple(KIND_LABELS)), name="kind"),
        CheckConstraint(one_of("status", tuple(STATUS_LABELS)), name="status"),
        # The list pages through these, upcoming ascending and past descending.
        Index("ix_events_opens", "tenant_id", "opens_on", "id"),
        Index("ix_events_closes", "tenant_id", "closes_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    venue: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    setup_on: Mapped[date | None] = mapped_column(Date)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    teardown_on: Mapped[date | None] = mapped_column(Date)
    booth_number: Mapped[str | None] = mapped_column(String(40))
    booth_size: Mapped[str | None] = mapped_column(String(40))
    hall: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="planned")
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    attendees: Mapped[list[EventAttendee]] = relationship(
        lazy="raise", primaryjoin=tenant_join("Event", "EventAttendee", "event_id"), viewonly=True,
        order_by="EventAttendee.id")

    @property
    def booth(self) -> str:
        return " · ".join(part for part in (self.hall, self.booth_number, self.booth_size) if part)


class EventAttendee(TenantScoped, db.Model):
    """A rep or coordinator who goes to the event (a rep sees the events they attend)."""

    __tablename__ = "event_attendees"
    __table_args__ = tenant_args(
        tenant_fk("event_id", "events", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "event_id", "user_id"),
        Index("ix_event_attendees_user", "tenant_id", "user_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(lazy="raise")


class EventCost(TenantScoped, db.Model):
    """A cost of an event in the currency it was paid in, and in the tenant's base currency at its day's rate."""

    __tablename__ = "event_costs"
    __table_args__ = tenant_args(
        tenant_fk("event_id", "events", ondelete="CASCADE"),
        CheckConstraint(one_of("category", tuple(COST_LABELS)), name="category"),
        # Covers the budget totals: summed from the index, per event and currency.
        Index("ix_event_costs_event", "tenant_id", "event_id", "base_currency", "base_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    incurred_on: Mapped[date] = mapped_column(Date)
    # The amount in the base currency at the rate of `incurred_on`, with where that rate came from.
    base_amount: Mapped[Decimal] = mapped_column(Amount())
    base_currency: Mapped[str] = mapped_column(String(3))
    fx_rate: Mapped[Decimal] = mapped_column(DecimalText())
    fx_rate_date: Mapped[date] = mapped_column(Date)
    fx_source: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def value(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def base_value(self) -> Money:
        return Money(self.base_amount, self.base_currency)


# The checklist every new event starts from, until an admin changes it: (key, days from the opening day).
DEFAULT_CHECKLIST = (("book_booth", -120), ("order_giveaways", -45), ("ship_booth", -21), ("pre_show_mailing", -14),
                     ("post_show_mailing", 3), ("return_inventory", 14))
# The default items' names, shown in the reader's language (an item an admin typed keeps its own words).
TASK_LABELS = {
    "book_booth": _l("Book the booth"),
    "order_giveaways": _l("Order giveaways"),
    "ship_booth": _l("Ship the booth"),
    "pre_show_mailing": _l("Send the pre-show mailing"),
    "post_show_mailing": _l("Send the post-show mailing"),
    "return_inventory": _l("Return the inventory"),
}


class ChecklistItem(TenantScoped, db.Model):
    """An item of the tenant's event checklist template: what to do, how many days before (-) or after the show opens."""

    __tablename__ = "event_checklist_items"
    __table_args__ = tenant_args(Index("ix_event_checklist_items_position", "tenant_id", "offset_days", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(String(200))
    offset_days: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self) -> str:
        return self.title or label(TASK_LABELS, self.key or "")


class EventTask(TenantScoped, db.Model):
    """One checklist item of one event, due a number of days from its opening day (moves when the show moves)."""

    __tablename__ = "event_tasks"
    __table_args__ = tenant_args(
        tenant_fk("event_id", "events", ondelete="CASCADE"),
        Index("ix_event_tasks_event", "tenant_id", "event_id", "due_on"),
        Index("ix_event_tasks_open", "tenant_id", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    key: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(String(200))
    offset_days: Mapped[int]
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship(lazy="raise", primaryjoin=tenant_join("Event", "EventTask", "event_id"))
    done_by: Mapped[User | None] = relationship(lazy="raise")

    @property
    def label(self) -> str:
        return self.title or label(TASK_LABELS, self.key or "")


SHIPMENT_STATUS_LABELS = {
    "prepared": _l("Prepared"),
    "shipped": _l("Shipped"),
    "in_transit": _l("In transit"),
    "delivered": _l("Delivered"),
    "returned": _l("Returned"),
}
# What a shipment may become next: forward along the way, and back to the office after the show.
NEXT_STATUSES = {
    "prepared": ("shipped",),
    "shipped": ("in_transit", "delivered"),
    "in_transit": ("delivered",),
    "delivered": ("returned",),
    "returned": (),
}
DIRECTION_LABELS = {"out": _l("To the show"), "back": _l("Back from the show")}
ITEM_KIND_LABELS = {"booth_part": _l("Booth part"), "collateral": _l("Collateral"), "giveaway": _l("Giveaway")}
INCOTERMS = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")


class Shipment(TenantScoped, db.Model):
    """A shipment to or from an event: carrier and tracking, the day it must leave, customs papers, what is in it."""

    __tablename__ = "event_shipments"
    __table_args__ = tenant_args(
        tenant_fk("event_id", "events", ondelete="CASCADE"),
        CheckConstraint(one_of("status", tuple(SHIPMENT_STATUS_LABELS)), name="status"),
        CheckConstraint(one_of("direction", tuple(DIRECTION_LABELS)), name="direction"),
        Index("ix_event_shipments_ship_by", "tenant_id", "ship_by", "id"),
        Index("ix_event_shipments_event", "tenant_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    direction: Mapped[str] = mapped_column(String(4), default="out")
    carrier: Mapped[str] = mapped_column(String(20))
    carrier_name: Mapped[str | None] = mapped_column(String(80))
    tracking_url_pattern: Mapped[str | None] = mapped_column(String(300))
    tracking_number: Mapped[str | None] = mapped_column(String(40))
    transit_days: Mapped[int] = mapped_column(default=3)
    # The day it must leave: the show's first day (set-up, else opening) minus the transit time; kept in step
    # with the event's dates.
    ship_by: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="prepared")
    destination_country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(5))
    ata_carnet_number: Mapped[str | None] = mapped_column(String(40))
    ata_carnet_expires_on: Mapped[date | None] = mapped_column(Date)
    declared_amount: Mapped[Decimal | None] = mapped_column(Amount())
    declared_currency: Mapped[str | None] = mapped_column(String(3))
    incoterm: Mapped[str | None] = mapped_column(String(3))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    event: Mapped[Event] = relationship(lazy="raise", primaryjoin=tenant_join("Event", "Shipment", "event_id"))

    @property
    def declared_value(self) -> Money | None:
        return None if self.declared_amount is None else Money(self.declared_amount, self.declared_currency)


class ShipmentItem(TenantScoped, db.Model):
    """What goes in a shipment: a booth part, collateral or giveaways, and how many."""

    __tablename__ = "event_shipment_items"
    __table_args__ = tenant_args(
        tenant_fk("shipment_id", "event_shipments", ondelete="CASCADE"),
        CheckConstraint(one_of("kind", tuple(ITEM_KIND_LABELS)), name="kind"),
        CheckConstraint("quantity > 0", name="quantity"),
        Index("ix_event_shipment_items_shipment", "tenant_id", "shipment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]


MAILING_KIND_LABELS = {"pre_show": _l("Pre-show invitation"), "post_show": _l("Post-show follow-up"),
                       "party": _l("Party invitation with RSVP")}
MAILING_STATUS_LABELS = {"draft": _l("Draft"), "sending": _l("Sending"), "sent": _l("Sent")}
RECIPIENT_STATUS_LABELS = {"pending": _l("Waiting"), "queued": _l("Sent"), "unsubscribed": _l("Unsubscribed"),
                           "bounced": _l("Bounced")}
RSVP_LABELS = {"yes": _l("Coming"), "no": _l("Not coming")}


class Mailing(TenantScoped, db.Model):
    """A mailing of an event: per-language texts, a snapshot of its recipients, sent through the outbox."""

    __tablename__ = "event_mailings"
    __table_args__ = tenant_args(
        tenant_fk("event_id", "events", ondelete="CASCADE"),
        CheckConstraint(one_of("kind", tuple(MAILING_KIND_LABELS)), name="kind"),
        CheckConstraint(one_of("status", tuple(MAILING_STATUS_LABELS)), name="status"),
        Index("ix_event_mailings_event", "tenant_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(8), default="draft")
    # The language whose text goes to a recipient whose own language has none.
    fallback_language: Mapped[str] = mapped_column(String(5))
    # The day it is planned to go out: collateral enclosed with it must be printed by then (its order-by day).
    planned_on: Mapped[date | None] = mapped_column(Date)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailingText(TenantScoped, db.Model):
    """A mailing's subject and body in one language."""

    __tablename__ = "event_mailing_texts"
    __table_args__ = tenant_args(
        tenant_fk("mailing_id", "event_mailings", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "mailing_id", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int]
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class MailingRecipient(TenantScoped, db.Model):
    """One person a mailing goes to, in their language, with the secret that unsubscribes them or answers an RSVP."""

    __tablename__ = "event_mailing_recipients"
    __table_args__ = tenant_args(
        tenant_fk("mailing_id", "event_mailings", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "mailing_id", "email"),
        UniqueConstraint("tenant_id", "token"),
        CheckConstraint(one_of("status", tuple(RECIPIENT_STATUS_LABELS)), name="status"),
        Index("ix_event_mailing_recipients_mailing", "tenant_id", "mailing_id", "status", "id"),
        Index("ix_event_mailing_recipients_email", "tenant_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int]
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    token: Mapped[str] = mapped_column(String(43))
    rsvp: Mapped[str | None] = mapped_column(String(3))
    plus_one: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Unsubscribed(TenantScoped, db.Model):
    """An address that asked for no more event mailings from this tenant: honoured forever."""

    __tablename__ = "event_unsubscribed"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "email"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


INTEREST_LABELS = {"hot": _l("Ready to buy"), "warm": _l("Interested"), "info": _l("Just looking")}
# Lead statuses that count as qualified in an event's results (a lead that moved past qualification counts too).
QUALIFIED_STATUSES = ("qualified", "handed_off", "converted")


class EventLead(TenantScoped, db.Model):
    """A lead captured at an event (at the booth, on a phone), with the photo of the business card if taken."""

    __tablename__ = "event_leads"
    __table_args__ = tenant_args(
        tenant_fk("event_id", "events", ondelete="CASCADE"),
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        tenant_fk("card_file_id", "stored_files"),
        UniqueConstraint("tenant_id", "lead_id"),
        CheckConstraint(one_of("interest", tuple(INTEREST_LABELS)), name="interest"),
        Index("ix_event_leads_event", "tenant_id", "event_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    lead_id: Mapped[int]
    interest: Mapped[str] = mapped_column(String(5))
    card_file_id: Mapped[int | None]
    captured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
