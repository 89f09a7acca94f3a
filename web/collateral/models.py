"""Collateral: brochures, sales kits, price lists, giveaways and booth parts, per language and version, where the
stock is, every move of it, and what each event took and brought back."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..events.models import Event

KIND_LABELS = {
    "brochure": _l("Brochure"),
    "sales_kit": _l("Sales kit"),
    "price_list": _l("Price list"),
    "giveaway": _l("Giveaway"),
    "booth_part": _l("Booth part"),
}
LOCATION_LABELS = {"office": _l("Head office"), "warehouse": _l("Warehouse"), "car": _l("A rep's car")}
MOVE_LABELS = {
    "received": _l("Received"),
    "correction": _l("Stock count"),
    "shipped": _l("Sent to a show"),
    "returned": _l("Back from a show"),
}


class CollateralItem(TenantScoped, db.Model):
    """A piece of sales material in one language and version, with when to reorder it and who prints it."""

    __tablename__ = "collateral_items"
    __table_args__ = tenant_args(
        CheckConstraint(one_of("kind", tuple(KIND_LABELS)), name="kind"),
        UniqueConstraint("tenant_id", "name", "language", "version"),
        Index("ix_collateral_items_name", "tenant_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))
    language: Mapped[str] = mapped_column(String(5))
    version: Mapped[str] = mapped_column(String(20))
    reorder_level: Mapped[int] = mapped_column(default=0)
    lead_time_days: Mapped[int] = mapped_column(default=14)
    supplier: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # The sum of its stock rows, kept with every move so the list and its warnings read one column.
    on_hand: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def low(self) -> bool:
        return self.on_hand <= self.reorder_level


class StockLocation(TenantScoped, db.Model):
    """Where collateral is kept: the head office, a warehouse, a rep's car."""

    __tablename__ = "collateral_locations"
    __table_args__ = tenant_args(
        CheckConstraint(one_of("kind", tuple(LOCATION_LABELS)), name="kind"),
        UniqueConstraint("tenant_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))


class Stock(TenantScoped, db.Model):
    """How many of an item are at a location."""

    __tablename__ = "collateral_stock"
    __table_args__ = tenant_args(
        tenant_fk("item_id", "collateral_items", ondelete="CASCADE"),
        tenant_fk("location_id", "collateral_locations", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "item_id", "location_id"),
        CheckConstraint("quantity >= 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int]
    location_id: Mapped[int]
    quantity: Mapped[int] = mapped_column(default=0)

    location: Mapped[StockLocation] = relationship(
        lazy="raise", primaryjoin=tenant_join("StockLocation", "Stock", "location_id"))


class StockMove(TenantScoped, db.Model):
    """One change of stock and why: the item's history."""

    __tablename__ = "collateral_moves"
    __table_args__ = tenant_args(
        tenant_fk("item_id", "collateral_items", ondelete="CASCADE"),
        tenant_fk("location_id", "collateral_locations", ondelete="CASCADE"),
        tenant_fk("event_id", "events"),  # events are never deleted: the history keeps pointing at the show
        CheckConstraint(one_of("reason", tuple(MOVE_LABELS)), name="reason"),
        Index("ix_collateral_moves_item", "tenant_id", "item_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int]
    location_id: Mapped[int]
    event_id: Mapped[int | None]
    change: Mapped[int]
    reason: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    location: Mapped[StockLocation] = relationship(
        lazy="raise", primaryjoin=tenant_join("StockLocation", "StockMove", "location_id"))
    event: Mapped[Event | None] = relationship(lazy="raise", primaryjoin=tenant_join("Event", "StockMove", "event_id"))
    actor: Mapped[User | None] = relationship(lazy="raise")


class EventCollateral(TenantScoped, db.Model):
    """What an event took of an item (from one location), and after the show what was given away and came back."""

    __tablename__ = "collateral_event_items"
    __table_args__ = tenant_args(
        tenant_fk("event_id", "events", ondelete="CASCADE"),
        tenant_fk("item_id", "collateral_items", ondelete="CASCADE"),
        tenant_fk("location_id", "collateral_locations", ondelete="CASCADE"),
        tenant_fk("shipment_id", "event_shipments"),
        CheckConstraint("shipped > 0", name="shipped"),
        CheckConstraint("given_away IS NULL OR returned IS NULL OR given_away + returned <= shipped",
                        name="reconciled"),
        Index("ix_collateral_event_items_event", "tenant_id", "event_id"),
        Index("ix_collateral_event_items_item", "tenant_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    item_id: Mapped[int]
    location_id: Mapped[int]
    # The shipment it travels in, when it goes with one (its packing list then lists it).
    shipment_id: Mapped[int | None]
    shipped: Mapped[int]
    given_away: Mapped[int | None]
    returned: Mapped[int | None]
    reconciled_on: Mapped[date | None] = mapped_column(Date)

    item: Mapped[CollateralItem] = relationship(
        lazy="raise", primaryjoin=tenant_join("CollateralItem", "EventCollateral", "item_id"))
    location: Mapped[StockLocation] = relationship(
        lazy="raise", primaryjoin=tenant_join("StockLocation", "EventCollateral", "location_id"))
    event: Mapped[Event] = relationship(lazy="raise", primaryjoin=tenant_join("Event", "EventCollateral", "event_id"))

    @property
    def lost(self) -> int | None:
        """Shipped minus given away minus returned: lost or damaged at the show."""
        if self.given_away is None or self.returned is None:
            return None
        return self.shipped - self.given_away - self.returned


class MailingCollateral(TenantScoped, db.Model):
    """Pieces of an item a mailing of an event needs (a printed brochure sent with the invitation): the mailing's
    planned day counts for the item's order-by day until it is sent."""

    __tablename__ = "collateral_mailing_items"
    __table_args__ = tenant_args(
        tenant_fk("mailing_id", "event_mailings", ondelete="CASCADE"),
        tenant_fk("item_id", "collateral_items", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "mailing_id", "item_id"),
        CheckConstraint("quantity > 0", name="quantity"),
        Index("ix_collateral_mailing_items_item", "tenant_id", "item_id", "mailing_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int]
    item_id: Mapped[int]
    quantity: Mapped[int]

    item: Mapped[CollateralItem] = relationship(
        lazy="raise", primaryjoin=tenant_join("CollateralItem", "MailingCollateral", "item_id"))


class ReorderWarning(TenantScoped, db.Model):
    """A reorder warning sent for an item and the order-by day it named: a day warned once is never warned again,
    and a show that moves makes a new day (and a new warning)."""

    __tablename__ = "collateral_reorder_warnings"
    __table_args__ = tenant_args(
        tenant_fk("item_id", "collateral_items", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "item_id", "order_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int]
    order_by: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


REPRINT_STATUS_LABELS = {
    "asking": _l("Asking the reps"),
    "proofreading": _l("Proofreading"),
    "approved": _l("Approved"),
    "ordered": _l("Ordered"),
    "received": _l("Received"),
}
REPRINT_NEXT = {"asking": "proofreading", "proofreading": "approved", "approved": "ordered", "ordered": "received"}


class Reprint(TenantScoped, db.Model):
    """A reprint of an item: the reps are asked for changes, design proofreads, it is approved, ordered, received."""

    __tablename__ = "collateral_reprints"
    __table_args__ = tenant_args(
        tenant_fk("item_id", "collateral_items", ondelete="CASCADE"),
        CheckConstraint(one_of("status", tuple(REPRINT_STATUS_LABELS)), name="status"),
        Index("ix_collateral_reprints_item", "tenant_id", "item_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="asking")
    quantity: Mapped[int]
    proofreader: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[CollateralItem] = relationship(
        lazy="raise", primaryjoin=tenant_join("CollateralItem", "Reprint", "item_id"))


class ReprintQuestion(TenantScoped, db.Model):
    """A rep asked whether they want changes before a reprint; they answer in the app or from their mail's link."""

    __tablename__ = "collateral_reprint_questions"
    __table_args__ = tenant_args(
        tenant_fk("reprint_id", "collateral_reprints", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "reprint_id", "user_id"),
        UniqueConstraint("tenant_id", "token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reprint_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(43))
    wants_changes: Mapped[bool | None]
    changes: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise")
