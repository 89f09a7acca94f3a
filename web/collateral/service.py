"""Collateral: the inventory list, stock moves with their history, what events take and bring back, what mailings
enclose, and when each item must be reordered (the next show or mailing that needs it, minus the print lead time)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from tenants import audit
from tenants.db import EditConflict, db
from tenants.pager import Keyset, Page
from tenants.scoping import prebuilt

from ..events.models import LIVE_STATUSES, Event, Mailing
from .models import CollateralItem, EventCollateral, MailingCollateral, ReorderWarning, Stock, StockLocation, StockMove

ITEMS = Keyset(CollateralItem.name, CollateralItem.id)
# How far ahead of its order-by day an item below its reorder level is warned about.
WARN_DAYS = 30


class StockError(ValueError):
    """A move the stock cannot take (more out than there is, more back than went out); the reader's message."""


@dataclass
class ItemData:
    name: str
    kind: str
    language: str
    version: str
    reorder_level: int
    lead_time_days: int
    supplier: str | None = None
    notes: str | None = None


FIELDS = ("name", "kind", "language", "version", "reorder_level", "lead_time_days", "supplier", "notes")


def create_item(data: ItemData, *, actor_id: int | None) -> CollateralItem:
    """A new item, with no stock yet. Caller commits."""
    item = CollateralItem(on_hand=0)
    for name in FIELDS:
        setattr(item, name, getattr(data, name))
    db.session.add(item)
    db.session.flush()
    audit.record("collateral.item_added", actor_id=actor_id, subject_type="collateral", subject_id=item.id,
                 details={"name": item.name, "language": item.language, "version": item.version})
    return item


def update_item(item: CollateralItem, data: ItemData, *, version: int | None, actor_id: int | None) -> None:
    """Save edits made on `version` (EditConflict otherwise). Caller commits."""
    _check(item, version)
    tracked = audit.Tracked(item, FIELDS)
    for name in FIELDS:
        setattr(item, name, getattr(data, name))
    tracked.record("collateral.item_changed", actor_id=actor_id, subject_type="collateral", subject_id=item.id)


def _check(item: CollateralItem, version: int | None) -> None:
    # The item's own version column is row_version ("version" is the print version of the material).
    if version is None or item.row_version != version:
        raise EditConflict()


def is_taken(name: str, language: str, version: str, *, but: int | None = None) -> bool:
    stmt = select(CollateralItem.id).where(CollateralItem.name == name, CollateralItem.language == language,
                                           CollateralItem.version == version)
    if but is not None:
        stmt = stmt.where(CollateralItem.id != but)
    return db.session.scalar(stmt) is not None


def get_item(item_id: int) -> CollateralItem | None:
    return db.session.get(CollateralItem, item_id)


def items() -> list[CollateralItem]:
    return list(db.session.scalars(select(CollateralItem).order_by(CollateralItem.name, CollateralItem.id)))


def list_page(*, kind: str | None, low: bool, after: str | None, limit: int = 50) -> Page:
    return ITEMS.page(_filtered(kind, low), after, limit=limit)


def _filtered(kind: str | None, low: bool):
    stmt = select(CollateralItem)
    if kind:
        stmt = stmt.where(CollateralItem.kind == kind)
    if low:
        stmt = stmt.where(CollateralItem.on_hand <= CollateralItem.reorder_level)
    return stmt


def count(*, kind: str | None, low: bool) -> int:
    return db.session.scalar(select(func.count()).select_from(_filtered(kind, low).subquery()))


# --- locations and stock ----------------------------------------------------------------------------------


def locations() -> list[StockLocation]:
    return list(db.session.scalars(select(StockLocation).order_by(StockLocation.name)))


def add_location(name: str, kind: str, *, actor_id: int | None) -> StockLocation:
    location = StockLocation(name=name, kind=kind)
    db.session.add(location)
    db.session.flush()
    audit.record("collateral.location_added", actor_id=actor_id, subject_type="collateral", subject_id=None,
                 details={"name": name})
    return location


def location_taken(name: str) -> bool:
    return db.session.scalar(select(StockLocation.id).where(StockLocation.name == name)) is not None


def get_location(location_id: int | None) -> StockLocation | None:
    return db.session.get(StockLocation, location_id) if location_id else None


def stock_of(item: CollateralItem) -> list[Stock]:
    return list(db.session.scalars(select(Stock).where(Stock.item_id == item.id).options(joinedload(Stock.location))
                                   .order_by(Stock.location_id)))


def history(item: CollateralItem, limit: int = 100) -> list[StockMove]:
    return list(db.session.scalars(select(StockMove).where(StockMove.item_id == item.id)
                                   .options(joinedload(StockMove.location), joinedload(StockMove.event),
                                            joinedload(StockMove.actor))
                                   .order_by(StockMove.id.desc()).limit(limit)))


def _move(item: CollateralItem, location: StockLocation, change: int, reason: str, *, actor_id: int | None,
          event_id: int | None = None, note: str | None = None) -> None:
    """Change the stock at a location (never below zero) and write why; the item's total follows."""
    row = db.session.scalar(select(Stock).where(Stock.item_id == item.id, Stock.location_id == location.id)
                            .with_for_update())
    if row is None:
        row = Stock(item_id=item.id, location_id=location.id, quantity=0)
        db.session.add(row)
    if row.quantity + change < 0:
        raise StockError(str(_l("Only %(num)d at %(place)s.", num=row.quantity, place=location.name)))
    row.quantity += change
    # An UPDATE relative to the stored value: two moves at once never lose one of them.
    db.session.execute(update(CollateralItem).where(CollateralItem.id == item.id)
                       .values(on_hand=CollateralItem.on_hand + change)
                       .execution_options(synchronize_session=False))
    db.session.add(StockMove(item_id=item.id, location_id=location.id, change=change, reason=reason,
                             event_id=event_id, note=note, actor_id=actor_id))
    db.session.flush()
    db.session.refresh(item, ["on_hand", "row_version"])


def receive(item: CollateralItem, location: StockLocation, quantity: int, *, actor_id: int | None,
            note: str | None = None) -> None:
    """Stock arrives (a print run, a transfer). Caller commits."""
    _move(item, location, quantity, "received", actor_id=actor_id, note=note)


def count_stock(item: CollateralItem, location: StockLocation, counted: int, *, actor_id: int | None,
                note: str | None = None) -> None:
    """A stock count: what is really there replaces what the books say, and the difference is kept. Caller commits."""
    current = db.session.scalar(select(Stock.quantity).where(Stock.item_id == item.id,
                                                              Stock.location_id == location.id)) or 0
    if counted != current:
        _move(item, location, counted - current, "correction", actor_id=actor_id, note=note)


# --- events -----------------------------------------------------------------------------------------------


def of_event(event: Event) -> list[EventCollateral]:
    return list(db.session.scalars(select(EventCollateral).where(EventCollateral.event_id == event.id)
                                   .options(joinedload(EventCollateral.item), joinedload(EventCollateral.location))
                                   .order_by(EventCollateral.id)))


def take_to(event: Event, item: CollateralItem, location: StockLocation, quantity: int, *,
            actor_id: int | None, shipment_id: int | None = None) -> EventCollateral:
    """Send items to a show, in one of its shipments or not: out of the location's stock (StockError if there are
    not enough). Caller commits."""
    _move(item, location, -quantity, "shipped", actor_id=actor_id, event_id=event.id)
    row = EventCollateral(event_id=event.id, item_id=item.id, location_id=location.id, shipped=quantity,
                          shipment_id=shipment_id)
    db.session.add(row)
    db.session.flush()
    audit.record("event.collateral_sent", actor_id=actor_id, subject_type="event", subject_id=event.id,
                 details={"item": f"{item.name} ({item.language}, {item.version})", "quantity": quantity})
    return row


def get_taken(event: Event, row_id: int) -> EventCollateral | None:
    return db.session.scalar(select(EventCollateral).where(EventCollateral.event_id == event.id,
                                                           EventCollateral.id == row_id)
                             .options(joinedload(EventCollateral.item), joinedload(EventCollateral.location)))


def reconcile(row: EventCollateral, given_away: int, returned: int, *, actor_id: int | None, today: date) -> int:
    """After the show: what was given away and what came back (back into stock); the rest is lost or damaged.

    StockError when more is accounted for than was shipped. Returns what was lost. Caller commits."""
    if given_away + returned > row.shipped:
        raise StockError(str(_l("Only %(num)d were shipped: given away and returned cannot add up to more.",
                                num=row.shipped)))
    if row.reconciled_on is not None:
        raise StockError(str(_l("This was already counted on its return.")))
    item = db.session.get(CollateralItem, row.item_id)
    location = db.session.get(StockLocation, row.location_id)
    if returned:
        _move(item, location, returned, "returned", actor_id=actor_id, event_id=row.event_id)
    row.given_away, row.returned, row.reconciled_on = given_away, returned, today
    audit.record("event.collateral_reconciled", actor_id=actor_id, subject_type="event", subject_id=row.event_id,
                 details={"item": f"{item.name} ({item.language}, {item.version})", "shipped": row.shipped,
                          "given_away": given_away, "returned": returned, "lost": row.lost})
    return row.lost


# --- reordering -------------------------------------------------------------------------------------------


def _first_day():
    return func.coalesce(Event.setup_on, Event.opens_on)


@cache
def _needs():
    """What an item needs next, from "today": its next show's first day, and the planned day of its next mailing not
    sent yet (of an event not cancelled), as two subqueries correlated to the item. The rules of a need, in one place,
    for a page of items (next_needs) and for home's low items (to_reorder)."""
    today = bindparam("today", type_=Date)
    shows = (select(func.min(_first_day())).select_from(EventCollateral).join(Event, EventCollateral.event)
             .where(EventCollateral.item_id == CollateralItem.id, Event.status.in_(LIVE_STATUSES),
                    _first_day() >= today).scalar_subquery().label("next_show"))
    mailings = (select(func.min(Mailing.planned_on)).select_from(MailingCollateral)
                .join(Mailing, Mailing.id == MailingCollateral.mailing_id).join(Event, Event.id == Mailing.event_id)
                .where(MailingCollateral.item_id == CollateralItem.id, Mailing.status != "sent",
                       Mailing.planned_on >= today, Event.status != "cancelled").scalar_subquery().label("next_mailing"))
    # Labelled: the ORM and Core name the columns alike, so the reads run as Core (tenants.scoping._core_form).
    return shows, mailings


@cache
def _needs_statement():
    """next_needs's statement, built once with the items and the day as parameters."""
    return prebuilt(select(CollateralItem.id, *_needs())
                    .where(CollateralItem.id.in_(bindparam("items", expanding=True))))


def _soonest(*days: date | None) -> date | None:
    return min((day for day in days if day is not None), default=None)


def next_needs(item_ids: list[int], today: date) -> dict[int, date]:
    """Each item's next need from today on (_needs), whichever comes first. One query for a page."""
    if not item_ids:
        return {}
    rows = db.session.execute(_needs_statement(), {"items": list(item_ids), "today": today})
    return {item_id: need for item_id, *days in rows if (need := _soonest(*days)) is not None}


def order_by_days(item_rows: list[CollateralItem] | list[LowItem], today: date) -> dict[int, date]:
    """Order-by day of each item: its next need (a show or a mailing) minus the print lead time."""
    needs = next_needs([i.id for i in item_rows], today)
    return {i.id: needs[i.id] - timedelta(days=i.lead_time_days) for i in item_rows if i.id in needs}


class LowItem(NamedTuple):
    """An item at or below its reorder level, as home's panel and the reorder warning show it: its columns, no ORM
    object (issue 15)."""

    id: int
    name: str
    language: str
    version: str
    on_hand: int
    reorder_level: int
    lead_time_days: int
    supplier: str | None


@cache
def _low_with_needs():
    """Items at or below their reorder level, each with its next needs (_needs): home's panel in one statement, built
    once (the home page reads it on every visit)."""
    return prebuilt(select(*(getattr(CollateralItem, name) for name in LowItem._fields), *_needs())
                    .where(CollateralItem.on_hand <= CollateralItem.reorder_level).order_by(CollateralItem.id)
                    .limit(500))


def to_reorder(today: date, limit: int = 50) -> list[tuple[LowItem, date]]:
    """Items at or below their reorder level whose order-by day (next need less the print lead time) is within
    WARN_DAYS (or past), soonest first."""
    due = []
    for *columns, show, mailing in db.session.execute(_low_with_needs(), {"today": today}):
        item, need = LowItem._make(columns), _soonest(show, mailing)
        if need is not None:
            order_by = need - timedelta(days=item.lead_time_days)
            if order_by <= today + timedelta(days=WARN_DAYS):
                due.append((item, order_by))
    return sorted(due, key=lambda pair: (pair[1], pair[0].id))[:limit]


def claim_warning(item: LowItem, order_by: date) -> bool:
    """Mark this item's order-by day as warned; False if it already was (by this tick or another machine's)."""
    if db.session.scalar(select(ReorderWarning.id).where(ReorderWarning.item_id == item.id,
                                                         ReorderWarning.order_by == order_by)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(ReorderWarning(item_id=item.id, order_by=order_by))
            db.session.flush()
    except IntegrityError:
        return False
    return True


# --- mailings ---------------------------------------------------------------------------------------------


class NeedError(ValueError):
    """A mailing need that cannot be saved (the mailing is sent, its day is past); the reader's message."""


def of_mailing(mailing: Mailing) -> list[MailingCollateral]:
    return list(db.session.scalars(select(MailingCollateral).where(MailingCollateral.mailing_id == mailing.id)
                                   .options(joinedload(MailingCollateral.item)).order_by(MailingCollateral.id)))


def need_for_mailing(mailing: Mailing, item: CollateralItem, quantity: int, planned_on: date, *, today: date,
                     actor_id: int | None) -> MailingCollateral:
    """The mailing encloses `quantity` of the item and goes out on `planned_on` (the same item again replaces its
    quantity). NeedError for a sent mailing or a day in the past. Caller commits."""
    if mailing.status == "sent":
        raise NeedError(str(_l("This mailing is sent: what it needed no longer counts.")))
    if planned_on < today:
        raise NeedError(str(_l("The mailing cannot go out in the past: choose today or a later day.")))
    row = db.session.scalar(select(MailingCollateral).where(MailingCollateral.mailing_id == mailing.id,
                                                            MailingCollateral.item_id == item.id))
    if row is None:
        row = MailingCollateral(mailing_id=mailing.id, item_id=item.id, quantity=quantity)
        db.session.add(row)
    row.quantity = quantity
    changed_day = mailing.planned_on != planned_on
    mailing.planned_on = planned_on
    db.session.flush()
    details = {"item": f"{item.name} ({item.language}, {item.version})", "quantity": quantity}
    if changed_day:
        details["planned_on"] = planned_on.isoformat()
    audit.record("event.mailing_collateral", actor_id=actor_id, subject_type="event", subject_id=mailing.event_id,
                 details=details)
    return row


def get_need(mailing: Mailing, need_id: int) -> MailingCollateral | None:
    return db.session.scalar(select(MailingCollateral).where(MailingCollateral.mailing_id == mailing.id,
                                                             MailingCollateral.id == need_id)
                             .options(joinedload(MailingCollateral.item)))


def drop_need(need: MailingCollateral, mailing: Mailing, *, actor_id: int | None) -> None:
    """The mailing no longer encloses this item. Caller commits."""
    item = need.item
    db.session.delete(need)
    db.session.flush()
    audit.record("event.mailing_collateral_dropped", actor_id=actor_id, subject_type="event",
                 subject_id=mailing.event_id, details={"item": f"{item.name} ({item.language}, {item.version})"})


def any_item() -> bool:
    return db.session.scalar(select(func.count()).select_from(CollateralItem)) > 0


def in_shipment(shipment) -> list[EventCollateral]:
    """The inventory items that travel in a shipment (for its page and packing list)."""
    return list(db.session.scalars(select(EventCollateral).where(EventCollateral.shipment_id == shipment.id)
                                   .options(joinedload(EventCollateral.item)).order_by(EventCollateral.id)))
