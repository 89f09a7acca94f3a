"""Cover: an away period and its cover person (by default the coordinator who supports the rep). While it runs,
what comes in for the absent person (new leads, hand-offs, renewal reminders) is listed on the cover person's home
page at once and mailed to them by the tick, once; the absent rep's accounts say who to contact."""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timezone
from types import SimpleNamespace
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, literal, null, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from tenants import audit
from tenants.db import db
from tenants.members import Person
from tenants.models import Tenant, User
from tenants.scoping import built_once, tenant_context

from ..accounts.models import Account
from ..contracts.models import Contract
from ..leads.models import LEAD_NAME, Handoff, Lead, LeadName
from ..links import public_url_for
from ..mail.service import send_email
from ..renewals.models import ContractReminder
from ..reports.service import coordinator_of
from .models import Away, Notice

log = logging.getLogger(__name__)
LISTED = 30  # what the home page lists per cover: the newest first


class CoverError(ValueError):
    """An away period that cannot be: the message says why."""


def default_cover(user_id: int) -> int | None:
    """Who covers when nobody is named: the coordinator who supports the rep."""
    return coordinator_of(user_id)


def set_away(*, user_id: int, cover_id: int, starts_on: date, ends_on: date, note: str | None,
             actor_id: int | None) -> Away:
    """Record an away period and who covers it. Commits."""
    away = Away(user_id=user_id, cover_id=cover_id, starts_on=starts_on, ends_on=ends_on, note=note,
                created_by_id=actor_id)
    db.session.add(away)
    db.session.flush()
    audit.record("cover.away_set", actor_id=actor_id, subject_type="user", subject_id=user_id,
                 details={"cover": cover_id, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    db.session.commit()
    return away


def end_away(away: Away, today: date, *, actor_id: int | None) -> None:
    """Back early (or never gone): a period not yet begun goes, a running one ends yesterday. Commits."""
    if away.starts_on >= today:
        db.session.delete(away)
    else:
        away.ends_on = max(away.starts_on, today.fromordinal(today.toordinal() - 1))
    audit.record("cover.away_ended", actor_id=actor_id, subject_type="user", subject_id=away.user_id, details={})
    db.session.commit()


def get(away_id: int) -> Away | None:
    return db.session.get(Away, away_id)


class Period(NamedTuple):
    """An away period as the cover pages and home show it: its columns and both people's names, no ORM object
    (issue 15). `user` and `cover` are the two people, each with an id and a name."""

    id: int
    user_id: int
    cover_id: int
    starts_on: date
    ends_on: date
    note: str | None
    user_name: str
    cover_name: str

    @property
    def user(self) -> Person:
        return Person(self.user_id, self.user_name)

    @property
    def cover(self) -> Person:
        return Person(self.cover_id, self.cover_name)


def periods(*, user_id: int | None, today: date) -> list[Period]:
    """Away periods that have not ended: one person's, or everyone's."""
    def build():
        away, cover = aliased(User), aliased(User)
        stmt = (select(Away.id, Away.user_id, Away.cover_id, Away.starts_on, Away.ends_on, Away.note, away.name,
                       cover.name)
                .join(away, away.id == Away.user_id).join(cover, cover.id == Away.cover_id)
                .where(Away.ends_on >= bindparam("today")).order_by(Away.starts_on, Away.id))
        if user_id is not None:
            stmt = stmt.where(or_(Away.user_id == bindparam("user_id"), Away.cover_id == bindparam("user_id")))
        return stmt.limit(200)

    stmt = built_once(build, user_id is not None)
    return [Period._make(row) for row in db.session.execute(stmt, {"today": today, "user_id": user_id})]


def running(today: date, *, cover_id: int | None = None, user_ids=None) -> list[Away]:
    """The away periods that include today (for one cover person, or for some people)."""
    stmt = select(Away).where(Away.starts_on <= today, Away.ends_on >= today).options(
        joinedload(Away.user), joinedload(Away.cover))
    if cover_id is not None:
        stmt = stmt.where(Away.cover_id == cover_id)
    if user_ids is not None:
        stmt = stmt.where(Away.user_id.in_(list(user_ids)))
    return list(db.session.scalars(stmt.order_by(Away.id)))


def _since(away: Away | Period, tz: str) -> datetime:
    """The instant the period began: midnight of its first day where the tenant works."""
    return datetime.combine(away.starts_on, time(), ZoneInfo(tz)).astimezone(timezone.utc)


class Arrival(NamedTuple):
    """Something that came in for an absent person (`person`, away in period `away_id`): a lead handed to them or
    made theirs, or a renewal reminder. `link_id` is the lead's or the contract's id, `title` what the item is
    called (a lead's name, a contract's number and account). Plain values read as columns (issue 15): the home page
    keeps each one's HTML under the tuple itself (web/row_cache.py)."""

    kind: str  # lead, handoff, reminder
    person: str
    at: datetime
    link_id: int
    title: str
    ref_id: int
    away_id: int


def _arrivals():
    """arrivals()' read: hand-offs, new leads and reminders for the people in "people" since "since", each part its
    newest "limit", in one statement (UNION ALL of the three), as rows of the same columns: the part's kind, its own
    id, the person, when, the lead's or the contract's id, and the four columns its title is made of (a lead's
    company, contact, email and phone; a contract's number and account)."""
    people, since, limit = bindparam("people", expanding=True), bindparam("since"), bindparam("limit")
    handoffs = (select(literal("handoff").label("kind"), Handoff.id.label("ref_id"), Handoff.to_id.label("person_id"),
                       Handoff.created_at.label("at"), *LEAD_NAME).join(Handoff.lead)
                .where(Handoff.to_id.in_(people), Handoff.created_at >= since).order_by(Handoff.id.desc()).limit(limit))
    leads = (select(literal("lead"), Lead.id, Lead.owner_id, Lead.created_at, *LEAD_NAME)
             .where(Lead.owner_id.in_(people), Lead.created_at >= since).order_by(Lead.id.desc()).limit(limit))
    reminders = (select(literal("reminder"), ContractReminder.id, ContractReminder.recipient_id,
                        ContractReminder.sent_at, Contract.id, Contract.number, Account.name, null().label("a"),
                        null().label("b"))
                 .join(Contract, Contract.id == ContractReminder.contract_id).join(Contract.account)
                 .where(ContractReminder.recipient_id.in_(people), ContractReminder.sent_at >= since)
                 .order_by(ContractReminder.id.desc()).limit(limit))
    # Each part keeps its own order and limit inside a subquery (a compound select takes one ORDER BY for all).
    return union_all(*(select(part.subquery()) for part in (handoffs, leads, reminders)))


def arrivals(covers: list[Away] | list[Period], tz: str, limit: int = LISTED) -> list[Arrival]:
    """What came in for the absent people since their periods began, newest first: one query in all, reading the
    few columns an arrival shows."""
    if not covers:
        return []
    by_user = {a.user_id: a for a in covers}
    since = min(_since(a, tz) for a in covers)
    begun = {user_id: _since(away, tz) for user_id, away in by_user.items()}
    rows = db.session.execute(built_once(_arrivals), {"people": list(by_user), "since": since, "limit": limit}).all()
    # A lead handed to the absent person is listed once, as the hand-off.
    handed = {row[4] for row in rows if row[0] == "handoff" and row[3] >= begun[row[2]]}
    found: list[Arrival] = []
    for kind, ref_id, person_id, at, link_id, *named in rows:
        if at < begun[person_id] or (kind == "lead" and link_id in handed):
            continue
        away = by_user[person_id]
        title = f"{named[0]} · {named[1]}" if kind == "reminder" else LeadName(link_id, *named).title
        found.append(Arrival(kind, away.user.name, at, link_id, title, ref_id, away.id))
    found.sort(key=lambda item: item.at, reverse=True)
    return found[:limit]


def away_owners(account_id: int, today: date) -> list[Away]:
    """The running away periods of the reps who own this account's contracts: its page says who to call."""
    # For each running period (a few), one seek in the account's owners' index; "owner IN (the account's owners)"
    # read every contract of a large account, or walked an absent rep's contracts for one of this account's.
    owns_one = select(Contract.id).where(Contract.account_id == account_id, Contract.owner_id == Away.user_id).exists()
    return list(db.session.scalars(
        select(Away).where(owns_one, Away.starts_on <= today, Away.ends_on >= today)
        .options(joinedload(Away.user), joinedload(Away.cover)).order_by(Away.id)))


def forward(tenant: Tenant, today: date) -> int:
    """Mail each cover person what came in for the absent person, each item once (a Notice claims it)."""
    pending = []
    # Read everything first: each mail commits, and a commit expires what was loaded.
    periods = running(today)
    by_id = {away.id: away for away in periods}
    for arrival in arrivals(periods, tenant.timezone, limit=500):
        away = by_id[arrival.away_id]
        cover = away.cover
        if arrival.kind == "reminder":
            link = public_url_for("contracts.show", tenant=tenant.slug, contract_id=arrival.link_id)
        else:
            link = public_url_for("leads.show", tenant=tenant.slug, lead_id=arrival.link_id)
        title = arrival.title
        pending.append(dict(away_id=away.id, kind=arrival.kind, ref_id=arrival.ref_id, to=cover.email,
                            locale=cover.locale or tenant.default_locale, title=title, link=link,
                            person=SimpleNamespace(name=cover.name),
                            away=SimpleNamespace(user=SimpleNamespace(name=away.user.name), ends_on=away.ends_on)))
    sent = 0
    for item in pending:
        try:
            with db.session.begin_nested():
                db.session.add(Notice(away_id=item["away_id"], kind=item["kind"], ref_id=item["ref_id"]))
                db.session.flush()
        except IntegrityError:
            continue  # mailed already, by this machine or another
        send_email(item["to"], "cover_notice", item["locale"], person=item["person"], away=item["away"],
                   kind=item["kind"], title=item["title"], link=item["link"], tenant=tenant)
        db.session.commit()
        sent += 1
    return sent


def forward_all(app) -> dict:
    """The tick job: every tenant's notices to cover people, each in its own tenant context."""
    sent = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            sent += forward(tenant, date.today())
    return {"sent": sent}


def people(ids) -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(ids))))}
