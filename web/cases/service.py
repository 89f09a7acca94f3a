"""Cases: opening one (by hand, from the web form, from the link checker), its SLA deadlines over the tenant's
business hours, and who it goes to (the account's coordinator, or their cover while they are away)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tenants import audit
from tenants.db import db, utcnow
from tenants.models import Tenant
from tenants.scoping import current_tenant_id

from ..contracts.models import Contract
from ..cover import service as cover
from ..reports.service import coordinator_of
from .models import OPEN_STATUSES, Case, CaseEntry, CaseSettings, CaseSla, Priority

# Business minutes per priority when an admin has set none: (first answer, resolution).
DEFAULT_SLA = {
    Priority.urgent.value: (60, 4 * 60),
    Priority.high.value: (4 * 60, 2 * 9 * 60),
    Priority.normal.value: (9 * 60, 5 * 9 * 60),
    Priority.low.value: (2 * 9 * 60, 10 * 9 * 60),
}


@dataclass(frozen=True)
class Hours:
    """Business hours in a timezone: ISO weekdays worked, and the day's start and end in minutes."""

    tz: str
    workdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    day_starts: int = 9 * 60
    day_ends: int = 18 * 60

    @property
    def always(self) -> bool:
        return not self.workdays or self.day_ends <= self.day_starts


def hours() -> Hours:
    """The current tenant's business hours."""
    tenant = db.session.get(Tenant, current_tenant_id())
    row = settings_if_any()
    if row is None:
        return Hours(tenant.timezone)
    return Hours(tenant.timezone, frozenset(int(d) for d in row.workdays if d.isdigit()), row.day_starts,
                 row.day_ends)


def settings_if_any() -> CaseSettings | None:
    return db.session.scalar(select(CaseSettings))


def add_business_minutes(start: datetime, minutes: int, h: Hours) -> datetime:
    """The instant `minutes` of working time after `start` (aware, UTC back), DST included."""
    if h.always:
        return start + timedelta(minutes=minutes)
    zone = ZoneInfo(h.tz)
    cursor = start.astimezone(timezone.utc)
    day = start.astimezone(zone).date()
    left = timedelta(minutes=minutes)
    for _ in range(3700):  # ten years of calendar days: a bound, never reached with a working day in the week
        if day.isoweekday() in h.workdays:
            opens = _at(day, h.day_starts, zone)
            closes = _at(day, h.day_ends, zone)
            cursor = max(cursor, opens)
            if cursor < closes:
                if cursor + left <= closes:
                    return cursor + left
                left -= closes - cursor
        day += timedelta(days=1)
    raise ValueError("no working time")


def business_minutes_between(start: datetime, end: datetime, h: Hours) -> int:
    """Working minutes from start to end (0 when end is before start)."""
    if end <= start:
        return 0
    if h.always:
        return int((end - start).total_seconds() // 60)
    zone = ZoneInfo(h.tz)
    total = timedelta()
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        if day.isoweekday() in h.workdays:
            lo = max(start, _at(day, h.day_starts, zone))
            hi = min(end, _at(day, h.day_ends, zone))
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), zone).astimezone(timezone.utc)


def sla_minutes(priority: str) -> tuple[int, int]:
    """(first answer, resolution) in business minutes for a priority: the tenant's, else the defaults."""
    row = db.session.scalar(select(CaseSla).where(CaseSla.priority == priority))
    if row is not None:
        return row.first_answer_minutes, row.resolution_minutes
    return DEFAULT_SLA[priority]


def set_deadlines(case: Case, since: datetime, h: Hours | None = None) -> None:
    """Both SLA deadlines of a case counted from `since` over business hours."""
    h = h or hours()
    first, resolution = sla_minutes(case.priority)
    case.first_answer_due_at = add_business_minutes(since, first, h)
    case.resolution_due_at = add_business_minutes(since, resolution, h)


def default_assignee(contract_id: int | None, today: date) -> int | None:
    """Who a case goes to: the coordinator who supports the contract's rep, else the form's person; their cover
    while they are away."""
    person = None
    if contract_id is not None:
        owner = db.session.scalar(select(Contract.owner_id).where(Contract.id == contract_id))
        if owner is not None:
            person = coordinator_of(owner) or owner
    if person is None:
        row = settings_if_any()
        person = row.webform_assignee_id if row else None
    return covered(person, today)


def covered(person: int | None, today: date) -> int | None:
    """The person, or whoever covers for them today."""
    if person is None:
        return None
    away = cover.running(today, user_ids=[person])
    return away[0].cover_id if away else person


def open_case(*, subject: str, channel: str, priority: str = Priority.normal.value, description: str | None = None,
              account_id: int | None = None, contact_id: int | None = None, contract_id: int | None = None,
              deliverable_id: int | None = None, assignee_id: int | None = None, actor_id: int | None = None,
              requester_name: str | None = None, requester_email: str | None = None,
              requester_locale: str | None = None, today: date | None = None, now: datetime | None = None) -> Case:
    """Open a case with its SLA deadlines and its first line; flushes, the caller commits."""
    now = now or utcnow()
    h = hours()
    today = today or now.astimezone(ZoneInfo(h.tz)).date()
    if assignee_id is None:
        assignee_id = default_assignee(contract_id, today)
    case = Case(subject=subject, description=description, channel=channel, priority=priority,
                account_id=account_id, contact_id=contact_id, contract_id=contract_id,
                deliverable_id=deliverable_id, assignee_id=assignee_id, opened_by_id=actor_id,
                requester_name=requester_name, requester_email=requester_email, requester_locale=requester_locale,
                created_at=now)
    set_deadlines(case, now, h)
    db.session.add(case)
    db.session.flush()
    audit.record("case.opened", actor_id=actor_id, subject_type="case", subject_id=case.id,
                 details={"channel": channel, "priority": priority, "assignee": assignee_id})
    return case


def open_case_on_deliverable(deliverable_id: int) -> Case | None:
    """The case still open on a deliverable, if any (the link checker opens one, not one per failure)."""
    return db.session.scalar(select(Case).where(Case.deliverable_id == deliverable_id,
                                                Case.status.in_(OPEN_STATUSES)).order_by(Case.id).limit(1))


def add_entry(case: Case, kind: str, body: str, *, author_id: int | None, to_email: str | None = None,
              locale: str | None = None, details: str | None = None) -> CaseEntry:
    """A line in the case's thread; flushes."""
    entry = CaseEntry(case_id=case.id, kind=kind, body=body, author_id=author_id, to_email=to_email,
                      locale=locale, details=details)
    db.session.add(entry)
    db.session.flush()
    return entry
