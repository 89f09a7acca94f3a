"""The first run: a short checklist on a new workspace's home page that ticks itself from the data.

Home knows no feature above it. Each feature declares its own step with the hook "first_step": a function
called per request that returns a Step (or None). A step's `done` is a SQL condition (an EXISTS, a count),
so every step of the list is answered by one SELECT, whatever the number of steps or of rows.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select

from tenants import audit
from tenants.db import db, utcnow
from tenants.models import Role, Tenant

from ..features import hooks


@dataclass(frozen=True)
class Step:
    """One thing a new workspace needs, where it is done, who can do it and how to tell it is done."""

    order: int
    title: Any            # what to do; the link's text
    text: Any             # why it matters and what it takes
    endpoint: str         # where it is done
    roles: tuple[Role, ...]
    # A SQL condition answered with the other steps' in one query, or an answer already known (a bool).
    done: Callable[[], ColumnElement[bool] | bool]
    more: tuple[tuple[str, Any], ...] = ()  # (endpoint, label): another place it can be done


def steps_for(role: Role | None) -> list[Step]:
    """The steps the features declare that this role can act on, in order."""
    steps = []
    for hook in hooks("first_step"):
        step = hook()
        if step is not None and role in step.roles:
            steps.append(step)
    return sorted(steps, key=lambda step: step.order)


def answer(steps: Iterable[Step]) -> list[tuple[Step, bool]]:
    """Each step with whether it is done: every SQL condition in a single SELECT."""
    steps = list(steps)
    answers: list[Any] = [step.done() for step in steps]
    asked = [(index, condition) for index, condition in enumerate(answers) if not isinstance(condition, bool)]
    if asked:
        row = db.session.execute(select(*(condition.label(f"step_{index}") for index, condition in asked))).one()
        for (index, _condition), value in zip(asked, row, strict=True):
            answers[index] = bool(value)
    return list(zip(steps, answers, strict=True))


# A workspace at work has done every step: home asked again on every visit (7% of its CPU) for a list it never shows.
# Each process remembers, for this long, that a workspace's steps were all done for a role. A step undone meanwhile
# (its last contract deleted) shows again once that has passed.
ALL_DONE_KEPT = 300.0
_all_done: dict[tuple, float] = {}


def checklist(tenant: Tenant, role: Role | None) -> list[tuple[Step, bool]] | None:
    """The reader's steps with their ticks; None once hidden, when none is theirs, or when all are done."""
    if tenant.first_run_dismissed_at is not None:
        return None
    # The workspace's creation time too: a key never outlives its workspace into another that gets the same id.
    key = (tenant.id, tenant.created_at, role)
    seen = _all_done.get(key)
    if seen is not None and time.monotonic() - seen < ALL_DONE_KEPT:
        return None
    steps = steps_for(role)
    if not steps:
        return None
    ticked = answer(steps)
    if all(done for _step, done in ticked):
        if len(_all_done) >= 10_000:
            _all_done.clear()
        _all_done[key] = time.monotonic()
        return None
    return ticked


def dismiss(tenant: Tenant, actor_id: int) -> None:
    """Hide the first steps for everyone in the workspace."""
    if tenant.first_run_dismissed_at is None:
        tenant.first_run_dismissed_at = utcnow()
        audit.record("home.first_steps_hidden", actor_id=actor_id, subject_type="tenant", subject_id=tenant.id)
    db.session.commit()
