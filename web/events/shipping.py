"""Shipments to and from events: ship-by dates kept in step with the show, the status flow, what goes in them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from tenants import audit
from tenants.db import check_version, db
from tenants.models import Role, User
from tenants.pager import Keyset, Page

from .models import NEXT_STATUSES, Event, Shipment, ShipmentItem
from .service import visible_to

SHIPMENTS = Keyset(Shipment.ship_by, Shipment.id)
# The language a packing list is printed in, from the destination (customs and the hall's crew read it).
LANGUAGE_OF_COUNTRY = {"IT": "it", "SM": "it", "VA": "it", "VN": "vi"}


def language_for(country: str | None) -> str:
    return LANGUAGE_OF_COUNTRY.get(country or "", "en")


def first_day(event: Event) -> date:
    """The day a shipment to the show must be there: set-up if planned, else opening."""
    return event.setup_on or event.opens_on


def ship_by(event: Event, transit_days: int, direction: str) -> date:
    """Out: the first day minus the transit time. Back: the day after the tear-down (or the close)."""
    if direction == "back":
        return (event.teardown_on or event.closes_on) + timedelta(days=1)
    return first_day(event) - timedelta(days=transit_days)


@dataclass
class ShipmentData:
    direction: str
    carrier: str
    transit_days: int
    destination_country: str
    language: str
    carrier_name: str | None = None
    tracking_url_pattern: str | None = None
    tracking_number: str | None = None
    ata_carnet_number: str | None = None
    ata_carnet_expires_on: date | None = None
    declared_amount: Decimal | None = None
    declared_currency: str | None = None
    incoterm: str | None = None


FIELDS = ("direction", "carrier", "carrier_name", "tracking_url_pattern", "tracking_number", "transit_days",
          "destination_country", "language", "ata_carnet_number", "ata_carnet_expires_on", "declared_amount",
          "declared_currency", "incoterm")


def carnet_problem(event: Event, expires_on: date | None) -> bool:
    """An ATA carnet must still be valid when the goods come back from the show."""
    return expires_on is not None and expires_on <= (event.teardown_on or event.closes_on)


def _apply(shipment: Shipment, event: Event, data: ShipmentData) -> None:
    for name in FIELDS:
        setattr(shipment, name, getattr(data, name))
    shipment.ship_by = ship_by(event, data.transit_days, data.direction)


def create(event: Event, data: ShipmentData, *, actor_id: int | None) -> Shipment:
    """A new shipment for the event, prepared. Caller commits."""
    shipment = Shipment(event_id=event.id, status="prepared", created_by_id=actor_id)
    _apply(shipment, event, data)
    db.session.add(shipment)
    db.session.flush()
    audit.record("event.shipment_added", actor_id=actor_id, subject_type="event", subject_id=event.id,
                 details={"carrier": data.carrier, "tracking_number": data.tracking_number,
                          "ship_by": shipment.ship_by.isoformat()})
    return shipment


def update(shipment: Shipment, event: Event, data: ShipmentData, *, version: int | None, actor_id: int | None) -> None:
    """Save edits made on `version` (EditConflict otherwise). Caller commits."""
    check_version(shipment, version)
    tracked = audit.Tracked(shipment, ("carrier", "tracking_number", "transit_days", "ship_by", "incoterm",
                                       "ata_carnet_number"))
    _apply(shipment, event, data)
    tracked.record("event.shipment_changed", actor_id=actor_id, subject_type="event", subject_id=event.id)


def reschedule(event: Event) -> None:
    """The show moved: every shipment's ship-by day moves with it."""
    for shipment in db.session.scalars(select(Shipment).where(Shipment.event_id == event.id)):
        shipment.ship_by = ship_by(event, shipment.transit_days, shipment.direction)


def move(shipment: Shipment, status: str, *, actor_id: int | None) -> bool:
    """The next step of the way (prepared → shipped → in transit → delivered → returned); False if it is not one."""
    if status not in NEXT_STATUSES.get(shipment.status, ()):
        return False
    old, shipment.status = shipment.status, status
    audit.record("event.shipment_moved", actor_id=actor_id, subject_type="event", subject_id=shipment.event_id,
                 details={"status": [old, status], "tracking_number": shipment.tracking_number})
    return True


def of_event(event: Event) -> list[Shipment]:
    return list(db.session.scalars(select(Shipment).where(Shipment.event_id == event.id)
                                   .order_by(Shipment.ship_by, Shipment.id)))


def get(event: Event, shipment_id: int) -> Shipment | None:
    return db.session.scalar(select(Shipment).where(Shipment.event_id == event.id, Shipment.id == shipment_id))


def items_of(shipment: Shipment) -> list[ShipmentItem]:
    return list(db.session.scalars(select(ShipmentItem).where(ShipmentItem.shipment_id == shipment.id)
                                   .order_by(ShipmentItem.id)))


def add_item(shipment: Shipment, kind: str, description: str, quantity: int, *, actor_id: int | None) -> ShipmentItem:
    item = ShipmentItem(shipment_id=shipment.id, kind=kind, description=description, quantity=quantity)
    db.session.add(item)
    db.session.flush()
    audit.record("event.shipment_item_added", actor_id=actor_id, subject_type="event", subject_id=shipment.event_id,
                 details={"description": description, "quantity": quantity})
    return item


def remove_item(shipment: Shipment, item_id: int, *, actor_id: int | None) -> bool:
    item = db.session.scalar(select(ShipmentItem).where(ShipmentItem.shipment_id == shipment.id,
                                                        ShipmentItem.id == item_id))
    if item is None:
        return False
    audit.record("event.shipment_item_removed", actor_id=actor_id, subject_type="event", subject_id=shipment.event_id,
                 details={"description": item.description, "quantity": item.quantity})
    db.session.execute(delete(ShipmentItem).where(ShipmentItem.id == item.id))
    return True


# --- the list across events -------------------------------------------------------------------------------


def _filtered(user: User, role: Role | None, status: str | None):
    events = visible_to(user, role).with_only_columns(Event.id)
    stmt = select(Shipment).where(Shipment.event_id.in_(events))
    if status:
        stmt = stmt.where(Shipment.status == status)
    return stmt


def list_page(user: User, role: Role | None, status: str | None, *, after: str | None, limit: int = 50) -> Page:
    """Shipments of the events the reader sees, soonest ship-by first, with their event (fixed queries)."""
    return SHIPMENTS.page(_filtered(user, role, status).options(joinedload(Shipment.event)), after, limit=limit)


def count(user: User, role: Role | None, status: str | None) -> int:
    return db.session.scalar(select(func.count()).select_from(_filtered(user, role, status).subquery()))


def item_counts(shipment_ids: list[int]) -> dict[int, int]:
    """How many pieces each shipment carries, summed in SQL."""
    if not shipment_ids:
        return {}
    return dict(db.session.execute(select(ShipmentItem.shipment_id, func.sum(ShipmentItem.quantity))
                                   .where(ShipmentItem.shipment_id.in_(shipment_ids))
                                   .group_by(ShipmentItem.shipment_id)).all())
