"""Events: who may see which, creating and editing them (dates in order), the list, and the budget in base currency."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import selectinload

from i18n.fx import Total, add_up
from i18n.money import Money
from tenants import audit
from tenants.db import check_version, commit, db
from tenants.models import SEES_ALL, Role, Tenant, User
from tenants.pager import Keyset, Page

from ..rates.service import current_book
from . import checklist
from .models import Event, EventAttendee, EventCost

# Upcoming events read soonest first; past ones (and all of them) newest first.
UPCOMING = Keyset(Event.opens_on, Event.id)
NEWEST = Keyset(Event.opens_on.desc(), Event.id.desc())
WHEN = ("upcoming", "past", "all")
PAGE_SIZE = 50


@dataclass
class EventData:
    name: str
    kind: str
    city: str
    country: str
    timezone: str
    opens_on: date
    closes_on: date
    venue: str | None = None
    setup_on: date | None = None
    teardown_on: date | None = None
    booth_number: str | None = None
    booth_size: str | None = None
    hall: str | None = None
    status: str = "planned"
    notes: str | None = None
    attendee_ids: list[int] = field(default_factory=list)


FIELDS = ("name", "kind", "venue", "city", "country", "timezone", "setup_on", "opens_on", "closes_on", "teardown_on",
          "booth_number", "booth_size", "hall", "status", "notes")


def date_order_problems(setup_on: date | None, opens_on: date | None, closes_on: date | None,
                        teardown_on: date | None) -> dict[str, str]:
    """Which date is out of order (set-up ≤ opening ≤ closing ≤ tear-down), as field -> the reader's message."""
    problems = {}
    if opens_on and closes_on and closes_on < opens_on:
        problems["closes_on"] = _l("The show cannot close before it opens.")
    if setup_on and opens_on and setup_on > opens_on:
        problems["setup_on"] = _l("Set-up must be on or before the opening day.")
    if teardown_on and closes_on and teardown_on < closes_on:
        problems["teardown_on"] = _l("Tear-down must be on or after the closing day.")
    return problems


# --- who sees what ----------------------------------------------------------------------------------------


def runs_events(role: Role | None) -> bool:
    """Coordinators, managers and admins run events; reps only see the ones they attend."""
    return role in SEES_ALL


def visible_to(user: User, role: Role | None):
    stmt = select(Event)
    if role == Role.rep:
        stmt = stmt.where(exists().where(EventAttendee.event_id == Event.id, EventAttendee.user_id == user.id))
    elif not runs_events(role):
        stmt = stmt.where(Event.id.is_(None))
    return stmt


def get_visible(event_id: int, user: User, role: Role | None) -> Event | None:
    return db.session.scalar(visible_to(user, role).where(Event.id == event_id)
                             .options(selectinload(Event.attendees).selectinload(EventAttendee.user)))


# --- writing ----------------------------------------------------------------------------------------------


def _apply(event: Event, data: EventData) -> None:
    for name in FIELDS:
        setattr(event, name, getattr(data, name))


def _set_attendees(event: Event, user_ids: list[int]) -> None:
    wanted = set(user_ids)
    current = {a.user_id: a for a in db.session.scalars(select(EventAttendee).where(EventAttendee.event_id == event.id))}
    for user_id, row in current.items():
        if user_id not in wanted:
            db.session.delete(row)
    for user_id in sorted(wanted - set(current)):
        db.session.add(EventAttendee(event_id=event.id, user_id=user_id))


def _attendee_names(event: Event) -> str:
    # Names, not ids: the history reads "who goes: Giulia, Marco" in any language.
    return ", ".join(db.session.scalars(select(User.name).join(EventAttendee, EventAttendee.user_id == User.id)
                                        .where(EventAttendee.event_id == event.id).order_by(User.name)))


def create_event(data: EventData, *, actor_id: int | None) -> Event:
    """A new event with its attendees. Caller commits."""
    event = Event(created_by_id=actor_id)
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    _set_attendees(event, data.attendee_ids)
    checklist.build_tasks(event)
    audit.record("event.created", actor_id=actor_id, subject_type="event", subject_id=event.id,
                 details={"name": event.name, "opens_on": event.opens_on.isoformat(), "city": event.city})
    return event


def update_event(event: Event, data: EventData, *, version: int | None, actor_id: int | None) -> dict:
    """Save edits made on `version` (EditConflict if someone saved in between), with what changed. Commits."""
    check_version(event, version)
    tracked = audit.Tracked(event, FIELDS + ("attendees",), lambda e: {"attendees": _attendee_names(e)})
    _apply(event, data)
    _set_attendees(event, data.attendee_ids)
    if event.opens_on != tracked.before["opens_on"]:
        checklist.reschedule(event)
    from . import shipping  # shipping reads who sees which event from here

    shipping.reschedule(event)
    db.session.flush()
    changed = tracked.record("event.updated", actor_id=actor_id, subject_type="event", subject_id=event.id)
    commit()
    return changed


# --- the list ---------------------------------------------------------------------------------------------


@dataclass
class Filters:
    when: str = "upcoming"
    status: str | None = None

    def args(self) -> dict:
        return {k: v for k, v in (("when", self.when), ("status", self.status)) if v and (k, v) != ("when", "upcoming")}


def _filtered(user: User, role: Role | None, filters: Filters, today: date):
    stmt = visible_to(user, role)
    if filters.when == "upcoming":
        stmt = stmt.where(Event.closes_on >= today)
    elif filters.when == "past":
        stmt = stmt.where(Event.closes_on < today)
    if filters.status:
        stmt = stmt.where(Event.status == filters.status)
    return stmt


def list_page(user: User, role: Role | None, filters: Filters, *, today: date, after: str | None,
              limit: int = PAGE_SIZE) -> Page:
    """One page of the events the reader may see."""
    keyset = UPCOMING if filters.when == "upcoming" else NEWEST
    return keyset.page(_filtered(user, role, filters, today), after, limit=limit)


def attendee_names(event_ids: list[int]) -> dict[int, list[str]]:
    """Who goes to each of a page's events, in one query (a relationship load re-joins the events: 50x slower)."""
    names: dict[int, list[str]] = {}
    if event_ids:
        for event_id, name in db.session.execute(
                select(EventAttendee.event_id, User.name).join(User, User.id == EventAttendee.user_id)
                .where(EventAttendee.event_id.in_(event_ids)).order_by(EventAttendee.event_id, User.name)):
            names.setdefault(event_id, []).append(name)
    return names


def count(user: User, role: Role | None, filters: Filters, *, today: date) -> int:
    return db.session.scalar(select(func.count()).select_from(_filtered(user, role, filters, today).subquery()))


def budgets_of(event_ids: list[int], to: str, on: date) -> dict[int, Total]:
    """Each event's costs in `to`, summed in SQL per event and stored base currency, converted before adding."""
    if not event_ids:
        return {}
    parts: dict[int, list[tuple]] = {}
    for event_id, currency, amount in db.session.execute(
            select(EventCost.event_id, EventCost.base_currency, func.sum(EventCost.base_amount))
            .where(EventCost.event_id.in_(event_ids)).group_by(EventCost.event_id, EventCost.base_currency)):
        parts.setdefault(event_id, []).append((currency, amount))
    book = current_book()
    return {event_id: add_up(rows, to, on, book=book) for event_id, rows in parts.items()}


# --- the budget -------------------------------------------------------------------------------------------


@dataclass
class CostData:
    category: str
    amount: Money
    incurred_on: date
    description: str | None = None


def costs_of(event: Event) -> list[EventCost]:
    return list(db.session.scalars(select(EventCost).where(EventCost.event_id == event.id)
                                   .order_by(EventCost.incurred_on, EventCost.id)))


def add_cost(event: Event, tenant: Tenant, data: CostData, *, actor_id: int | None) -> EventCost:
    """Book a cost, converted into the base currency at its day's rate (RateUnavailable if none). Caller commits."""
    amount = data.amount.rounded()
    conversion = current_book().convert(amount, tenant.base_currency, data.incurred_on)
    cost = EventCost(event_id=event.id, category=data.category, description=data.description, amount=amount.amount,
                     currency=amount.currency, incurred_on=data.incurred_on,
                     base_amount=conversion.amount.rounded().amount, base_currency=conversion.amount.currency,
                     fx_rate=conversion.rate, fx_rate_date=conversion.rate_date, fx_source=conversion.source,
                     created_by_id=actor_id)
    db.session.add(cost)
    db.session.flush()
    audit.record("event.cost_added", actor_id=actor_id, subject_type="event", subject_id=event.id,
                 details={"category": data.category, "amount": f"{amount.amount} {amount.currency}",
                          "base": f"{cost.base_amount} {cost.base_currency}", "rate": format(cost.fx_rate, "f"),
                          "rate_date": cost.fx_rate_date.isoformat(), "source": cost.fx_source})
    return cost


def get_cost(event: Event, cost_id: int) -> EventCost | None:
    return db.session.scalar(select(EventCost).where(EventCost.event_id == event.id, EventCost.id == cost_id))


def remove_cost(event: Event, cost: EventCost, *, actor_id: int | None) -> None:
    """Take a cost off the budget (the audit trail keeps it). Caller commits."""
    audit.record("event.cost_removed", actor_id=actor_id, subject_type="event", subject_id=event.id,
                 details={"category": cost.category, "amount": f"{cost.amount} {cost.currency}"})
    db.session.execute(delete(EventCost).where(EventCost.id == cost.id))


def budget_total(costs: list[EventCost], to: str, on: date) -> Total:
    """The event's cost in `to`: each cost's locked base amount, converted again only if the base has changed."""
    return add_up(((c.base_currency, c.base_amount) for c in costs), to, on, book=current_book())


def any_event() -> bool:
    return db.session.scalar(select(func.count()).select_from(Event)) > 0


def history(event: Event, limit: int = 100):
    """What happened to the event, newest first, with who did it."""
    return audit.history("event", event.id, limit)
