"""Cover: an away period and its cover person (by default the coordinator who supports the rep). While it runs,
what comes in for the absent person (new leads, hand-offs, renewal reminders) is listed on the cover person's home
page at once and mailed to them by the tick, once; the absent rep's accounts say who to contact."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only

from tenants import audit
from tenants.db import db
from tenants.models import Tenant, User
from tenants.scoping import tenant_context

from ..accounts.models import Account
from ..contracts.models import Contract
from ..leads.models import Handoff, Lead
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


def periods(*, user_id: int | None, today: date) -> list[Away]:
    """Away periods that have not ended: one person's, or everyone's."""
    stmt = (select(Away).where(Away.ends_on >= today).options(joinedload(Away.user), joinedload(Away.cover))
            .order_by(Away.starts_on, Away.id))
    if user_id is not None:
        stmt = stmt.where(or_(Away.user_id == user_id, Away.cover_id == user_id))
    return list(db.session.scalars(stmt.limit(200)))


def running(today: date, *, cover_id: int | None = None, user_ids=None) -> list[Away]:
    """The away periods that include today (for one cover person, or for some people)."""
    stmt = select(Away).where(Away.starts_on <= today, Away.ends_on >= today).options(
        joinedload(Away.user), joinedload(Away.cover))
    if cover_id is not None:
        stmt = stmt.where(Away.cover_id == cover_id)
    if user_ids is not None:
        stmt = stmt.where(Away.user_id.in_(list(user_ids)))
    return list(db.session.scalars(stmt.order_by(Away.id)))


def _since(away: Away, tz: str) -> datetime:
    """The instant the period began: midnight of its first day where the tenant works."""
    return datetime.combine(away.starts_on, time(), ZoneInfo(tz)).astimezone(timezone.utc)


@dataclass
class Arrival:
    kind: str  # lead, handoff, reminder
    away: Away
    at: datetime
    lead: Lead | None = None
    contract: Contract | None = None
    ref_id: int = 0


def arrivals(covers: list[Away], tz: str, limit: int = LISTED) -> list[Arrival]:
    """What came in for the absent people since their periods began, newest first: three queries in all."""
    if not covers:
        return []
    by_user = {a.user_id: a for a in covers}
    since = min(_since(a, tz) for a in covers)
    found: list[Arrival] = []
    # Only the columns an arrival shows (its title or number, and when): a lead has forty.
    lead_shown = (Lead.id, Lead.company, Lead.contact_name, Lead.email, Lead.phone, Lead.owner_id, Lead.created_at)
    for handoff in db.session.scalars(
            select(Handoff).where(Handoff.to_id.in_(list(by_user)), Handoff.created_at >= since)
            .options(load_only(Handoff.id, Handoff.to_id, Handoff.created_at, Handoff.lead_id),
                     joinedload(Handoff.lead).load_only(*lead_shown))
            .order_by(Handoff.id.desc()).limit(limit)):
        away = by_user[handoff.to_id]
        if handoff.created_at >= _since(away, tz):
            found.append(Arrival("handoff", away, handoff.created_at, lead=handoff.lead, ref_id=handoff.id))
    handed = {a.lead.id for a in found}
    for lead in db.session.scalars(
            select(Lead).where(Lead.owner_id.in_(list(by_user)), Lead.created_at >= since)
            .options(load_only(*lead_shown)).order_by(Lead.id.desc()).limit(limit)):
        away = by_user[lead.owner_id]
        if lead.id not in handed and lead.created_at >= _since(away, tz):
            found.append(Arrival("lead", away, lead.created_at, lead=lead, ref_id=lead.id))
    for reminder, contract in db.session.execute(
            select(ContractReminder, Contract).join(Contract, Contract.id == ContractReminder.contract_id)
            .where(ContractReminder.recipient_id.in_(list(by_user)), ContractReminder.sent_at >= since)
            .options(load_only(Contract.id, Contract.number, Contract.account_id),
                     joinedload(Contract.account).load_only(Account.name))
            .order_by(ContractReminder.id.desc()).limit(limit)):
        away = by_user[reminder.recipient_id]
        if reminder.sent_at >= _since(away, tz):
            found.append(Arrival("reminder", away, reminder.sent_at, contract=contract, ref_id=reminder.id))
    found.sort(key=lambda item: item.at, reverse=True)
    return found[:limit]


def away_owners(account_id: int, today: date) -> list[Away]:
    """The running away periods of the reps who own this account's contracts: its page says who to call."""
    owners = select(Contract.owner_id).where(Contract.account_id == account_id).distinct()
    return list(db.session.scalars(
        select(Away).where(Away.user_id.in_(owners), Away.starts_on <= today, Away.ends_on >= today)
        .options(joinedload(Away.user), joinedload(Away.cover)).order_by(Away.id)))


def forward(tenant: Tenant, today: date) -> int:
    """Mail each cover person what came in for the absent person, each item once (a Notice claims it)."""
    pending = []
    # Read everything first: each mail commits, and a commit expires what was loaded.
    for arrival in arrivals(running(today), tenant.timezone, limit=500):
        away, cover = arrival.away, arrival.away.cover
        if arrival.lead is not None:
            link = public_url_for("leads.show", tenant=tenant.slug, lead_id=arrival.lead.id)
            title = arrival.lead.title
        else:
            link = public_url_for("contracts.show", tenant=tenant.slug, contract_id=arrival.contract.id)
            title = f"{arrival.contract.number} · {arrival.contract.account.name}"
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
