"""Calls, emails, meetings and notes on leads and accounts; one with a due date is a follow-up to do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from flask_babel import get_timezone
from sqlalchemy import bindparam, case, select, update
from sqlalchemy.orm import aliased, joinedload

from tenants import audit
from tenants.db import db, utcnow
from tenants.members import person
from tenants.models import Role, User
from tenants.scoping import built_once

from ..accounts.models import Account
from ..leads.models import LEAD_NAME, LeadName
from .models import Activity


@dataclass
class ActivityData:
    kind: str
    subject: str
    notes: str | None = None
    due_on: date | None = None
    assignee_id: int | None = None
    done: bool = False


def add(data: ActivityData, *, lead_id: int | None = None, account_id: int | None = None,
        actor_id: int | None) -> Activity:
    """Log an activity; without a due date (or marked done) it is history, with one it is a follow-up. Caller commits."""
    activity = Activity(lead_id=lead_id, account_id=account_id, kind=data.kind, subject=data.subject,
                        notes=data.notes, due_on=data.due_on, assignee_id=data.assignee_id or actor_id,
                        created_by_id=actor_id)
    if data.due_on is None or data.done:
        activity.done_at = utcnow()
    db.session.add(activity)
    db.session.flush()
    audit.record("activity.added", actor_id=actor_id, subject_type="lead" if lead_id else "account",
                 subject_id=lead_id or account_id,
                 details={"kind": data.kind, "subject": data.subject,
                          "due_on": data.due_on.isoformat() if data.due_on else None})
    return activity


class ActivityLine(NamedTuple):
    """An activity as a lead's or an account's panel lists it: its columns and both people's names, no ORM object
    (issue 15). Named as the model names them, so Activity.is_open reads it."""

    id: int
    kind: str
    subject: str
    notes: str | None
    due_on: date | None
    done_at: datetime | None
    created_at: datetime
    assignee_id: int | None
    created_by_id: int | None
    assignee_name: str | None
    created_by_name: str | None

    is_open = Activity.is_open

    assignee = property(lambda self: person(self.assignee_id, self.assignee_name))
    created_by = property(lambda self: person(self.created_by_id, self.created_by_name))


def _listed(column, record_id: int, limit: int) -> list[ActivityLine]:
    """The activities whose `column` (a lead's or an account's) is `record_id`: open follow-ups first (soonest due),
    then the history, newest first. Built once per column (a lead's and an account's pages read it)."""
    def build():
        assignee, author = aliased(User), aliased(User)
        return (select(*(getattr(Activity, name) for name in ActivityLine._fields[:-2]), assignee.name, author.name)
                .outerjoin(assignee, assignee.id == Activity.assignee_id)
                .outerjoin(author, author.id == Activity.created_by_id)
                .where(column == bindparam("record_id"))
                .order_by(case((Activity.done_at.is_(None), 0), else_=1), Activity.due_on, Activity.id.desc())
                .limit(bindparam("limit")))

    stmt = built_once(build, column.key)
    return [ActivityLine._make(row) for row in db.session.execute(stmt, {"record_id": record_id, "limit": limit})]


def of_lead(lead_id: int, limit: int = 100) -> list[ActivityLine]:
    return _listed(Activity.lead_id, lead_id, limit)


def of_account(account_id: int, limit: int = 100) -> list[ActivityLine]:
    """The account's activities, those from the leads it was converted from included."""
    return _listed(Activity.account_id, account_id, limit)


def get(activity_id: int) -> Activity | None:
    return db.session.get(Activity, activity_id)


def can_change(activity: Activity, user: User, role: Role | None) -> bool:
    return role in (Role.owner, Role.admin, Role.manager) or user.id in (activity.assignee_id, activity.created_by_id)


def mark_done(activity: Activity, *, actor_id: int | None) -> None:
    """Tick a follow-up off. Caller commits."""
    if activity.done_at is None:
        activity.done_at = utcnow()
        audit.record("activity.done", actor_id=actor_id,
                     subject_type="lead" if activity.lead_id else "account",
                     subject_id=activity.lead_id or activity.account_id,
                     details={"kind": activity.kind, "subject": activity.subject})


def open_for(user: User, limit: int = 200) -> list[Activity]:
    """Every open follow-up of the person, soonest due first."""
    return list(db.session.scalars(
        select(Activity).where(Activity.assignee_id == user.id, Activity.done_at.is_(None),
                               Activity.due_on.is_not(None))
        .options(joinedload(Activity.lead), joinedload(Activity.account))
        .order_by(Activity.due_on, Activity.id).limit(limit)))


def local_today() -> date:
    """Today where the reader is (a follow-up due today is due in their timezone, not the server's)."""
    return datetime.now(get_timezone()).date()


class DueActivity(NamedTuple):
    """A follow-up as home's panel shows it: its columns, the name of its lead or account, no ORM object (issue 15)."""

    id: int
    kind: str
    subject: str
    due_on: date
    lead_id: int | None
    account_name: str | None
    company: str | None
    contact_name: str | None
    email: str | None
    phone: str | None

    @property
    def lead_title(self) -> str | None:
        return LeadName(self.lead_id, self.company, self.contact_name, self.email, self.phone).title \
            if self.lead_id is not None else None


def due_for(user: User, today: date, limit: int = 20) -> list[DueActivity]:
    """The person's open follow-ups due today or earlier, most overdue first, with their lead's or account's name."""
    stmt = built_once(lambda: (
        select(Activity.id, Activity.kind, Activity.subject, Activity.due_on, Activity.lead_id, Account.name,
               *LEAD_NAME[1:])
        .outerjoin(Activity.lead).outerjoin(Activity.account)
        .where(Activity.assignee_id == bindparam("assignee_id"), Activity.done_at.is_(None),
               Activity.due_on.is_not(None), Activity.due_on <= bindparam("today"))
        .order_by(Activity.due_on, Activity.id).limit(bindparam("limit"))))
    return [DueActivity._make(row)
            for row in db.session.execute(stmt, {"assignee_id": user.id, "today": today, "limit": limit})]


def move_to_account(sender, lead, account, **kwargs) -> None:
    """Receiver: a lead became a customer; its calls and follow-ups now show on the customer's page too."""
    db.session.execute(update(Activity).where(Activity.lead_id == lead.id).values(account_id=account.id)
                       .execution_options(synchronize_session=False))
