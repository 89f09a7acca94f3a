"""Cases: opening one (by hand, from the web form, from the link checker), its SLA deadlines over the tenant's
business hours, and who it goes to (the account's coordinator, or their cover while they are away)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import fields as _fields
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import joinedload

from i18n.locales import is_supported
from tenants import audit
from tenants.db import check_version, commit, db, utcnow
from tenants.members import person
from tenants.models import SEES_ALL, Role, Tenant, User
from tenants.pager import InvalidCursor, Keyset, Page
from tenants.scoping import built_once, current_tenant_id
from tenants.shapes import rule_of

from ..accounts.models import Account, Contact
from ..contracts.models import Contract
from ..cover import service as cover
from ..deliverables.models import Deliverable
from ..links import public_url_for
from ..locale_context import label
from ..mail.service import send_email
from ..reports.service import coordinator_of
from .business_hours import Hours, add_business_minutes, business_minutes_between
from .models import OPEN_STATUSES, STATUS_LABELS, Case, CaseEntry, CaseSettings, CaseSla, CaseStatus, Priority

# Business minutes per priority when an admin has set none: (first answer, resolution).
DEFAULT_SLA = {
    Priority.urgent.value: (60, 4 * 60),
    Priority.high.value: (4 * 60, 2 * 9 * 60),
    Priority.normal.value: (9 * 60, 5 * 9 * 60),
    Priority.low.value: (2 * 9 * 60, 10 * 9 * 60),
}


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
    """Who a case goes to: the contract's coordinator, else the coordinator who supports its rep, else the rep;
    with no contract, the form's person; their cover while they are away."""
    person = None
    if contract_id is not None:
        row = db.session.execute(select(Contract.coordinator_id, Contract.owner_id)
                                 .where(Contract.id == contract_id)).first()
        if row is not None:
            person = row.coordinator_id or coordinator_of(row.owner_id) or row.owner_id
    if person is None:
        settings = settings_if_any()
        person = settings.webform_assignee_id if settings else None
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


# --- who sees which cases, and the list ----------------------------------------------------------------------


CASES = Keyset(Case.id.desc())
# Where each status may go next: solved and closed cases are reopened, never edited back silently.
NEXT = {
    "new": ("open", "waiting", "solved", "closed"),
    "open": ("waiting", "solved", "closed"),
    "waiting": ("open", "solved", "closed"),
    "solved": ("open", "closed"),
    "closed": ("open",),
}


class CaseError(ValueError):
    """A change a case cannot take: the message says why."""


def visible_cases(user: User, role: Role | None):
    """Who sees which cases: coordinators, managers and admins all; a rep those of accounts where they own a
    contract; anyone else none. The rep's id is the parameter "cases_reader" (a statement built once takes it)."""
    stmt = select(Case)
    if role == Role.rep:
        stmt = stmt.where(Case.account_id.in_(select(Contract.account_id)
                                              .where(Contract.owner_id == bindparam("cases_reader", user.id))))
    elif role not in SEES_ALL:
        stmt = stmt.where(Case.id.is_(None))
    return stmt


def visible_accounts(user: User, role: Role | None):
    """The accounts a person may open a case on (the same rule as for seeing cases)."""
    stmt = select(Account)
    if role == Role.rep:
        stmt = stmt.where(Account.id.in_(select(Contract.account_id).where(Contract.owner_id == user.id)))
    elif role not in SEES_ALL:
        stmt = stmt.where(Account.id.is_(None))
    return stmt


def get_visible(case_id: int, user: User, role: Role | None) -> Case | None:
    return db.session.scalar(visible_cases(user, role).where(Case.id == case_id).options(
        joinedload(Case.account), joinedload(Case.contact), joinedload(Case.contract), joinedload(Case.deliverable),
        joinedload(Case.assignee)))


@dataclass
class Filters:
    status: str | None = None  # a status, or "active" (new, open, waiting)
    priority: str | None = None
    assignee: str | None = None  # "mine", "none" or a person's id
    overdue: bool = False
    q: str | None = None
    sort: str | None = None  # None: newest first; "due": the deadline a case answers to now, soonest (or most
    # breached) first

    @property
    def active(self) -> bool:
        return any(getattr(self, item.name) for item in _fields(self) if item.name != "sort")

    def args(self) -> dict:
        return {k: v for k, v in (("status", self.status), ("priority", self.priority), ("assignee", self.assignee),
                                  ("overdue", "1" if self.overdue else None), ("q", self.q),
                                  ("sort", self.sort)) if v}


def breach_at():
    """The deadline a case answers to now: the first answer until there is one, then the resolution."""
    return sql_case((Case.first_answered_at.is_(None), Case.first_answer_due_at), else_=Case.resolution_due_at)


def _due_of(case: Case) -> datetime | None:
    return case.first_answer_due_at if case.first_answered_at is None else case.resolution_due_at


class _DueKeyset(Keyset):
    """The deadline order: its first key is an expression over UTC columns, read back as an aware datetime."""

    def decode(self, cursor: str) -> list:
        values = super().decode(cursor)
        try:
            values[0] = datetime.fromisoformat(values[0])
        except (TypeError, ValueError) as exc:
            raise InvalidCursor(cursor) from exc
        if values[0].tzinfo is None:
            raise InvalidCursor(cursor)
        return values


# Deadline first: a case with no deadline (none is opened without one) would sort last.
BY_DUE = _DueKeyset(func.coalesce(breach_at(), datetime(9999, 12, 31, tzinfo=timezone.utc)), Case.id,
                values=lambda c: (_due_of(c) or datetime(9999, 12, 31, tzinfo=timezone.utc), c.id))


def overdue_condition(now: datetime):
    # A case waiting on the client has its clock stopped: it is not overdue while it waits.
    return and_(Case.status.in_((CaseStatus.new.value, CaseStatus.open.value)), breach_at() < now)


def filtered(user: User, role: Role | None, filters: Filters, now: datetime):
    stmt = visible_cases(user, role)
    if filters.status == "active":
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
    elif filters.status:
        stmt = stmt.where(Case.status == filters.status)
    if filters.priority:
        stmt = stmt.where(Case.priority == filters.priority)
    if filters.assignee == "mine":
        stmt = stmt.where(Case.assignee_id == user.id)
    elif filters.assignee == "none":
        stmt = stmt.where(Case.assignee_id.is_(None))
    elif filters.assignee and filters.assignee.isdigit():
        stmt = stmt.where(Case.assignee_id == int(filters.assignee))
    if filters.overdue:
        stmt = stmt.where(overdue_condition(now))
    if filters.q:
        stmt = stmt.where(Case.subject.contains(filters.q, autoescape=True))
    return stmt


def list_page(user: User, role: Role | None, filters: Filters, *, after: str | None, now: datetime,
              limit: int = 50) -> Page:
    """One page of the cases a person may see, newest first, with account and assignee: one query."""
    stmt = filtered(user, role, filters, now).options(joinedload(Case.account), joinedload(Case.assignee))
    return (BY_DUE if filters.sort == "due" else CASES).page(stmt, after, limit=limit)


def count(user: User, role: Role | None, filters: Filters, now: datetime) -> int:
    stmt = filtered(user, role, filters, now).with_only_columns(func.count(Case.id)).order_by(None)
    return db.session.scalar(stmt) or 0


@dataclass(frozen=True)
class SlaState:
    kind: str  # "first" (answer) or "resolution"; "paused" while waiting; "done" once solved or closed
    due: datetime | None
    late: bool = False
    left: timedelta = timedelta()  # until the deadline, or past it when late


def sla_state(case: Case | CaseLine, now: datetime) -> SlaState:
    """Where a case stands against its SLA, for the reader: which deadline, and how far."""
    if not case.is_open:
        return SlaState("done", case.solved_at or case.closed_at)
    if case.status == CaseStatus.waiting.value:
        return SlaState("paused", case.waiting_since)
    due = case.first_answer_due_at if case.first_answered_at is None else case.resolution_due_at
    kind = "first" if case.first_answered_at is None else "resolution"
    if due is None:
        return SlaState(kind, None)
    return SlaState(kind, due, due < now, abs(due - now))


class CaseLine(NamedTuple):
    """A case as a short list shows it (home's cases to act on, an account's or a contract's cases): the columns its
    line and its deadline read, with its account's and assignee's names, no ORM object (issue 15). Named as the
    model names them, so sla_state reads it as it reads a case."""

    id: int
    subject: str
    status: str
    created_at: datetime
    solved_at: datetime | None
    closed_at: datetime | None
    waiting_since: datetime | None
    first_answer_due_at: datetime | None
    first_answered_at: datetime | None
    resolution_due_at: datetime | None
    account_name: str | None
    assignee_id: int | None
    assignee_name: str | None

    is_open = Case.is_open

    assignee = property(lambda self: person(self.assignee_id, self.assignee_name))


def _lines(stmt):
    """`stmt` (a select of cases) reading CaseLine's columns."""
    return (stmt.with_only_columns(*(getattr(Case, name) for name in CaseLine._fields[:-3]), Account.name,
                                   Case.assignee_id, User.name)
            .outerjoin(Account, Case.account).outerjoin(User, User.id == Case.assignee_id))


def open_for(user_id: int, limit: int = 10) -> list[CaseLine]:
    """An assignee's cases to act on (new or open), by the deadline each answers to now: the overdue ones come
    first, the longest breached on top, then the next to fall due. One query."""
    stmt = built_once(lambda: _lines(select(Case)).where(
        Case.assignee_id == bindparam("assignee_id"), Case.status.in_((CaseStatus.new.value, CaseStatus.open.value)))
        .order_by(breach_at(), Case.id).limit(bindparam("limit")))
    return [CaseLine._make(row) for row in db.session.execute(stmt, {"assignee_id": user_id, "limit": limit})]


def of_account(account_id: int, user: User, role: Role | None, limit: int = 20) -> list[CaseLine]:
    """An account's cases, newest first (built once per kind of reader)."""
    stmt = built_once(lambda: _lines(visible_cases(user, role)).where(Case.account_id == bindparam("account_id"))
                      .order_by(Case.id.desc()).limit(bindparam("limit")), rule_of(role))
    return [CaseLine._make(row) for row in db.session.execute(
        stmt, {"account_id": account_id, "cases_reader": user.id, "limit": limit})]


def of_contract(contract_id: int, user: User, role: Role | None, limit: int = 20) -> list[CaseLine]:
    """A contract's cases, newest first (built once per kind of reader)."""
    stmt = built_once(lambda: _lines(visible_cases(user, role)).where(Case.contract_id == bindparam("contract_id"))
                      .order_by(Case.id.desc()).limit(bindparam("limit")), rule_of(role))
    return [CaseLine._make(row) for row in db.session.execute(
        stmt, {"contract_id": contract_id, "cases_reader": user.id, "limit": limit})]


# --- the thread ----------------------------------------------------------------------------------------------


def thread(case: Case) -> list[CaseEntry]:
    """A case's log, oldest first, with who wrote each line."""
    return list(db.session.scalars(select(CaseEntry).where(CaseEntry.case_id == case.id)
                                   .options(joinedload(CaseEntry.author)).order_by(CaseEntry.id)))


def _answered(case: Case, now: datetime) -> None:
    if case.first_answered_at is None:
        case.first_answered_at = now


def add_note(case: Case, body: str, *, actor_id: int | None, answered_by_phone: bool = False,
             now: datetime | None = None) -> CaseEntry:
    """A note in the thread; "answered the client by phone" counts as the first answer. Commits."""
    now = now or utcnow()
    entry = add_entry(case, "note", body, author_id=actor_id,
                      details='{"phone": true}' if answered_by_phone else None)
    if answered_by_phone:
        _answered(case, now)
    db.session.commit()
    return entry


def recipient(case: Case) -> tuple[str | None, str | None, str | None]:
    """(address, name, language) a case's emails go to: its contact, else who wrote in from the web form."""
    tenant = db.session.get(Tenant, current_tenant_id())
    if case.contact is not None and case.contact.email:
        contact = case.contact
        locale = contact.language or (case.account.language if case.account else None)
        name = contact.name
        address = contact.email
    elif case.requester_email:
        locale, name, address = case.requester_locale, case.requester_name, case.requester_email
    else:
        return None, None, None
    return address, name, locale if is_supported(locale) else tenant.default_locale


def email_client(case: Case, body: str, *, actor: User, now: datetime | None = None) -> CaseEntry:
    """Mail the client through the outbox in their language, keep it in the thread; the first one answers the
    case (and a new case becomes open). Commits."""
    now = now or utcnow()
    address, name, locale = recipient(case)
    if address is None:
        raise CaseError("no recipient")
    tenant = db.session.get(Tenant, current_tenant_id())
    send_email(address, "case_reply", locale, case=SimpleNamespace(id=case.id, subject=case.subject), name=name,
               body=body, sender=SimpleNamespace(name=actor.name), tenant=tenant)
    entry = add_entry(case, "email", body, author_id=actor.id, to_email=address, locale=locale)
    _answered(case, now)
    if case.status == CaseStatus.new.value:
        _set_status(case, CaseStatus.open.value, actor_id=actor.id, now=now)
    db.session.commit()
    return entry


def _set_status(case: Case, status: str, *, actor_id: int | None, now: datetime, h: Hours | None = None) -> None:
    old = case.status
    if status == old:
        return
    if status not in NEXT[old]:
        raise CaseError(f"{old} -> {status}")
    paused = 0
    if old == CaseStatus.waiting.value and case.waiting_since is not None:
        # The clock stopped while the client had the ball: both deadlines move on by the working time spent.
        h = h or hours()
        paused = business_minutes_between(case.waiting_since, now, h)
        if paused:
            if case.first_answer_due_at is not None:
                case.first_answer_due_at = add_business_minutes(case.first_answer_due_at, paused, h)
            if case.resolution_due_at is not None:
                case.resolution_due_at = add_business_minutes(case.resolution_due_at, paused, h)
        case.waiting_since = None
    if status == CaseStatus.waiting.value:
        case.waiting_since = now
    if status == CaseStatus.solved.value:
        case.solved_at = now
    if status == CaseStatus.closed.value:
        case.closed_at = now
    if status in (CaseStatus.open.value,) and old in (CaseStatus.solved.value, CaseStatus.closed.value):
        case.solved_at = case.closed_at = None
    case.status = status
    # The working minutes waited stay on the line: a new priority counts its deadlines again with them.
    add_entry(case, "status", f"{old} → {status}", author_id=actor_id,
              details=json.dumps({"from": old, "to": status, **({"paused": paused} if paused else {})}))
    audit.record("case.status", actor_id=actor_id, subject_type="case", subject_id=case.id,
                 details={"status": [old, status]})


def paused_minutes(case: Case) -> int:
    """The working minutes a case has spent waiting on the client, from its thread."""
    total = 0
    for details in db.session.scalars(select(CaseEntry.details).where(CaseEntry.case_id == case.id,
                                                                      CaseEntry.kind == "status")):
        try:
            total += int(json.loads(details or "{}").get("paused", 0))
        except (ValueError, TypeError, AttributeError):
            continue
    return total


def update(case: Case, *, status: str, priority: str, assignee_id: int | None, version: int | None,
           actor_id: int | None, now: datetime | None = None) -> list[str]:
    """Change a case's status, priority and assignee as one edit on the version it was opened on; each change
    is a line in the thread and in the audit trail. EditConflict when someone saved in between. Commits."""
    check_version(case, version)
    now = now or utcnow()
    changed = []
    if status != case.status:
        _set_status(case, status, actor_id=actor_id, now=now)
        changed.append("status")
    if priority != case.priority:
        old = case.priority
        case.priority = priority
        # A new priority means other promises: both deadlines from when the case came in, moved on by the
        # working time already spent waiting on the client.
        h = hours()
        set_deadlines(case, case.created_at, h)
        waited = paused_minutes(case)
        if waited:
            case.first_answer_due_at = add_business_minutes(case.first_answer_due_at, waited, h)
            case.resolution_due_at = add_business_minutes(case.resolution_due_at, waited, h)
        add_entry(case, "system", f"priority {old} → {priority}", author_id=actor_id,
                  details=json.dumps({"priority": [old, priority]}))
        audit.record("case.priority", actor_id=actor_id, subject_type="case", subject_id=case.id,
                     details={"priority": [old, priority]})
        changed.append("priority")
    if assignee_id != case.assignee_id:
        old_assignee = case.assignee_id
        case.assignee_id = assignee_id
        add_entry(case, "system", "assigned", author_id=actor_id,
                  details=json.dumps({"assignee": [old_assignee, assignee_id]}))
        audit.record("case.assigned", actor_id=actor_id, subject_type="case", subject_id=case.id,
                     details={"assignee": [old_assignee, assignee_id]})
        changed.append("assignee")
    if changed:
        commit()
    return changed


def create(*, subject: str, description: str | None, channel: str, priority: str, account_id: int | None,
           contact_id: int | None, contract_id: int | None, deliverable_id: int | None, assignee_id: int | None,
           actor_id: int | None) -> Case:
    """A case opened by hand, with its first line. Commits."""
    case = open_case(subject=subject, description=description, channel=channel, priority=priority,
                     account_id=account_id, contact_id=contact_id, contract_id=contract_id,
                     deliverable_id=deliverable_id, assignee_id=assignee_id, actor_id=actor_id)
    add_entry(case, "system", "opened", author_id=actor_id, details=json.dumps({"channel": channel}))
    db.session.commit()
    return case


def choices_for(account_id: int | None) -> tuple[list[Contact], list[Contract], list[Deliverable]]:
    """An account's contacts, contracts and their deliverables: what a case on it may concern."""
    if account_id is None:
        return [], [], []
    contacts = list(db.session.scalars(select(Contact).where(Contact.account_id == account_id)
                                       .order_by(Contact.name).limit(200)))
    contracts = list(db.session.scalars(select(Contract).where(Contract.account_id == account_id)
                                        .order_by(Contract.id.desc()).limit(200)))
    deliverables = list(db.session.scalars(
        select(Deliverable).where(Deliverable.contract_id.in_([c.id for c in contracts] or [0]))
        .options(joinedload(Deliverable.kind)).order_by(Deliverable.due_on, Deliverable.id).limit(300)))
    return contacts, contracts, deliverables


def routing_contract(account_id: int | None) -> int | None:
    """The account's latest contract: whose coordinator a case on the account goes to."""
    if account_id is None:
        return None
    return db.session.scalar(select(Contract.id).where(Contract.account_id == account_id)
                             .order_by(Contract.id.desc()).limit(1))


# --- settings --------------------------------------------------------------------------------------------------


def settings() -> CaseSettings:
    """The tenant's case settings, made on first use."""
    row = settings_if_any()
    if row is None:
        row = CaseSettings()
        db.session.add(row)
        db.session.flush()
    return row


def sla_table() -> dict[str, tuple[int, int]]:
    """Per priority (first answer, resolution) in business minutes: the tenant's, else the defaults."""
    table = dict(DEFAULT_SLA)
    for row in db.session.scalars(select(CaseSla)):
        table[row.priority] = (row.first_answer_minutes, row.resolution_minutes)
    return table


def save_settings(*, slas: dict[str, tuple[int, int]], workdays: str, day_starts: int, day_ends: int,
                  webform_enabled: bool, webform_assignee_id: int | None, version: int | None,
                  actor_id: int | None) -> None:
    """Save the SLA per priority, the business hours and the public form. Open cases keep their deadlines.
    Commits."""
    row = settings()
    if version is not None:
        check_version(row, version)
    tracked = audit.Tracked(row, ("workdays", "day_starts", "day_ends", "webform_enabled", "webform_assignee_id"))
    row.workdays, row.day_starts, row.day_ends = workdays, day_starts, day_ends
    row.webform_enabled, row.webform_assignee_id = webform_enabled, webform_assignee_id
    existing = {r.priority: r for r in db.session.scalars(select(CaseSla))}
    sla_changes = {}
    for priority, (first, resolution) in slas.items():
        sla = existing.get(priority)
        if sla is None:
            sla = CaseSla(priority=priority, first_answer_minutes=first, resolution_minutes=resolution)
            db.session.add(sla)
            sla_changes[priority] = [None, f"{first}/{resolution}"]
        elif (sla.first_answer_minutes, sla.resolution_minutes) != (first, resolution):
            sla_changes[priority] = [f"{sla.first_answer_minutes}/{sla.resolution_minutes}", f"{first}/{resolution}"]
            sla.first_answer_minutes, sla.resolution_minutes = first, resolution
    changed = {**audit.changes(tracked.before, tracked.snapshot()), **sla_changes}
    if changed:
        audit.record("case.settings_changed", actor_id=actor_id, subject_type="case_settings", subject_id=row.id,
                     details=changed)
    commit()


# --- the public form -------------------------------------------------------------------------------------------


def from_webform(*, name: str, email: str, company: str | None, subject: str, message: str | None,
                 locale: str, now: datetime | None = None) -> Case:
    """A visitor's message becomes a case: an address matching a contact links it to them and their account;
    it goes to the default assignee; the visitor gets a confirmation in their language. Commits."""
    contact = db.session.scalar(select(Contact).where(func.lower(Contact.email) == email.lower())
                                .order_by(Contact.id).limit(1))
    account_id = contact.account_id if contact else None
    now = now or utcnow()
    h = hours()
    today = now.astimezone(ZoneInfo(h.tz)).date()
    description = message or None
    if company and contact is None:
        description = f"{company}\n\n{message or ''}".strip()
    case = open_case(subject=subject, description=description, channel="web_form",
                     account_id=account_id, contact_id=contact.id if contact else None,
                     assignee_id=default_assignee(routing_contract(account_id), today),
                     requester_name=name, requester_email=email, requester_locale=locale, now=now)
    add_entry(case, "system", "web form", author_id=None, details=json.dumps({"channel": "web_form"}))
    tenant = db.session.get(Tenant, current_tenant_id())
    send_email(email, "case_received", locale if is_supported(locale) else tenant.default_locale,
               case=SimpleNamespace(id=case.id, subject=subject), name=name, tenant=tenant,
               form_link=public_url_for("cases.public_new", tenant=tenant.slug))
    db.session.commit()
    return case


def status_label(status: str) -> str:
    return label(STATUS_LABELS, status)

