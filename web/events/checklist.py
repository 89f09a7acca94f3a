"""The event checklist: the tenant's template (admins edit it), each event's tasks due relative to the show."""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import joinedload

from tenants import audit
from tenants.db import db, utcnow
from tenants.models import User
from tenants.scoping import built_once

from .models import DEFAULT_CHECKLIST, LIVE_STATUSES, ChecklistItem, Event, EventAttendee, EventTask


def template_items(*, include_inactive: bool = False) -> list[ChecklistItem]:
    """The tenant's checklist template, soonest first; the defaults are written on first use."""
    if not db.session.scalar(select(func.count()).select_from(ChecklistItem)):
        for key, offset in DEFAULT_CHECKLIST:
            db.session.add(ChecklistItem(key=key, offset_days=offset, active=True))
        db.session.flush()
    stmt = select(ChecklistItem).order_by(ChecklistItem.offset_days, ChecklistItem.id)
    if not include_inactive:
        stmt = stmt.where(ChecklistItem.active.is_(True))
    return list(db.session.scalars(stmt))


def add_item(title: str, offset_days: int, *, actor_id: int | None) -> ChecklistItem:
    """Add an item to the template (events made from now on get it). Caller commits."""
    template_items()  # the defaults first, so adding one item never hides them
    item = ChecklistItem(title=title, offset_days=offset_days, active=True)
    db.session.add(item)
    db.session.flush()
    audit.record("event.checklist_item_added", actor_id=actor_id, subject_type="checklist", subject_id=item.id,
                 details={"title": title, "offset_days": offset_days})
    return item


def toggle_item(item_id: int, *, actor_id: int | None) -> ChecklistItem | None:
    """Take an item out of the template (events that have it keep it) or put it back. Caller commits."""
    item = db.session.get(ChecklistItem, item_id)
    if item is None:
        return None
    item.active = not item.active
    audit.record("event.checklist_item_toggled", actor_id=actor_id, subject_type="checklist", subject_id=item.id,
                 details={"title": item.label, "active": item.active})
    return item


def build_tasks(event: Event) -> None:
    """Give a new event the template's items, each due its number of days from the opening day."""
    for item in template_items():
        db.session.add(EventTask(event_id=event.id, key=item.key, title=item.title, offset_days=item.offset_days,
                                 due_on=event.opens_on + timedelta(days=item.offset_days)))


def reschedule(event: Event) -> None:
    """The show moved: every task keeps its distance from the opening day."""
    for task in db.session.scalars(select(EventTask).where(EventTask.event_id == event.id)):
        task.due_on = event.opens_on + timedelta(days=task.offset_days)


def tasks_of(event: Event) -> list[EventTask]:
    return list(db.session.scalars(select(EventTask).where(EventTask.event_id == event.id)
                                   .options(joinedload(EventTask.done_by))
                                   .order_by(EventTask.due_on, EventTask.id)))


def get_task(event: Event, task_id: int) -> EventTask | None:
    return db.session.scalar(select(EventTask).where(EventTask.event_id == event.id, EventTask.id == task_id))


def tick(task: EventTask, *, actor_id: int | None) -> None:
    """Tick a task off, or back on if it was ticked by mistake. Caller commits."""
    task.done_at = None if task.done_at else utcnow()
    task.done_by_id = actor_id if task.done_at else None
    audit.record("event.task_done" if task.done_at else "event.task_reopened", actor_id=actor_id,
                 subject_type="event", subject_id=task.event_id, details={"task": task.label})


def _open_on_live_events():
    return (select(EventTask).join(Event, EventTask.event)
            .where(EventTask.done_at.is_(None), Event.status.in_(LIVE_STATUSES)))


class OverdueTask(NamedTuple):
    """A checklist item as home's panel shows it: its columns and its event's name, no ORM object (issue 15). Named
    as the model names them, so EventTask.label reads it."""

    id: int
    event_id: int
    key: str | None
    title: str | None
    due_on: date
    event_name: str

    label = EventTask.label


def _overdue():
    open_items = _open_on_live_events().where(EventTask.due_on < bindparam("today"))
    return (open_items.with_only_columns(EventTask.id, EventTask.event_id, EventTask.key, EventTask.title,
                                         EventTask.due_on, Event.name)
            .order_by(EventTask.due_on, EventTask.id).limit(bindparam("limit")),
            select(func.count()).select_from(open_items.subquery()))


def overdue(today: date, limit: int = 10) -> tuple[list[OverdueTask], int]:
    """Open tasks of live events past their due day, most overdue first, and how many there are in all."""
    listed, counted = built_once(_overdue)
    rows = [OverdueTask._make(row) for row in db.session.execute(listed, {"today": today, "limit": limit})]
    if len(rows) < limit:  # not a full list: these are all there are, no count needed (home's usual case)
        return rows, len(rows)
    return rows, db.session.scalar(counted, {"today": today})


def open_tasks_for(user: User) -> list[EventTask]:
    """Open tasks of the live events the person goes to (their calendar feed)."""
    attends = exists().where(EventAttendee.event_id == EventTask.event_id, EventAttendee.user_id == user.id)
    return list(db.session.scalars(_open_on_live_events().where(attends).options(joinedload(EventTask.event))
                                   .order_by(EventTask.due_on, EventTask.id)))
