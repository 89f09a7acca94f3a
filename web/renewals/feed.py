"""Each person's private calendar feed (iCal): their contracts' ends and notice deadlines, and the
deliverables they are responsible for. The address is the key; only its hash is kept."""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar as ICalendar
from icalendar import Event
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from tenants.db import db, utcnow
from tenants.members import member_by_user, memberships_of
from tenants.models import STAFF, User
from tenants.scoping import require_tenant_id, tenant_context

from ..contracts.models import Contract, Status
from ..deliverables.models import Deliverable
from ..deliverables.service import OPEN
from .calendar import CALENDAR_STATUSES
from .models import CalendarFeed


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def reset_feed(user: User) -> str:
    """A new secret address for the person's feed (the old one stops working); returns the token once."""
    token = secrets.token_urlsafe(24)
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token_hash=_digest(token))
        db.session.add(feed)
    else:
        feed.token_hash = _digest(token)
        feed.created_at = utcnow()
        feed.last_used_at = None
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The person whose feed this is, if the address is theirs and they still work in this tenant's staff."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _digest(token)))
    if feed is None:
        return None
    membership = member_by_user(require_tenant_id(), feed.user_id)
    if membership is None or membership.role_enum not in STAFF:
        # Access ended some way the feed did not hear of: the address dies now, not at the next reset.
        db.session.delete(feed)
        db.session.commit()
        return None
    feed.last_used_at = utcnow()
    db.session.commit()
    return membership.user


def end_feeds(sender, user_id: int, tenant_id: int | None = None, **kwargs) -> None:
    """Receiver: a person lost access; their calendar addresses (in that tenant, or in all) stop working now."""
    tenant_ids = [tenant_id] if tenant_id is not None else [m.tenant_id for m in memberships_of(user_id)]
    for tid in tenant_ids:
        with tenant_context(tid):
            db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))


def feed_items(user: User) -> tuple[list[Contract], list[Deliverable]]:
    """The person's own: contracts they sell or coordinate, and deliverables they are responsible for."""
    contracts = list(db.session.scalars(
        select(Contract).where(or_(Contract.owner_id == user.id, Contract.coordinator_id == user.id),
                               Contract.status.in_((Status.draft.value,) + CALENDAR_STATUSES))
        .options(selectinload(Contract.account)).order_by(Contract.ends_on)
    ))
    deliverables = list(db.session.scalars(
        select(Deliverable).where(Deliverable.responsible_id == user.id,
                                  Deliverable.status.in_(OPEN))
        .options(selectinload(Deliverable.contract).selectinload(Contract.account), selectinload(Deliverable.kind))
        .order_by(Deliverable.due_on)
    ))
    return contracts, deliverables


def ical(user: User, tenant, *, texts, url_for_contract, extra=()) -> bytes:
    """The person's items as an RFC 5545 calendar of all-day events (Google, Outlook and Apple read it).

    `extra`: (uid, day, summary, description, url) of higher features' items (an event's checklist), which this
    feature cannot import."""
    contracts, deliverables = feed_items(user)
    cal = ICalendar()
    cal.add("prodid", "-//Coordina//Renewals//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", texts["calendar_name"])
    cal.add("x-published-ttl", "PT1H")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    host = f"{tenant.slug}.coordina"

    def event(uid: str, day: date, summary: str, description: str, url: str):
        ev = Event()
        ev.add("uid", f"{uid}@{host}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("summary", summary)
        ev.add("description", description)
        ev.add("url", url)
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)

    for c in contracts:
        url = url_for_contract(c)
        event(f"contract-{c.id}-end", c.ends_on, texts["ends"](c), texts["contract_description"](c), url)
        if c.status != Status.draft.value:
            event(f"contract-{c.id}-notice", c.notice_deadline, texts["notice"](c), texts["contract_description"](c),
                  url)
    for d in deliverables:
        event(f"deliverable-{d.id}-due", d.due_on, texts["due"](d), texts["deliverable_description"](d),
              url_for_contract(d.contract))
    for uid, day, summary, description, url in extra:
        event(uid, day, summary, description, url)
    return cal.to_ical()
