"""A workspace's reference data, kept per process until it changes (issue 15).

Some tenant data is read on many pages and changed rarely, by an admin: the lead questionnaire on every lead's page,
the people a list's filter offers, the deliverable kinds, the corporate rates, the partners. A feature names its
tables (`watch`) and reads through `kept(name, build)`: the value is built once per process and workspace, and kept
under the workspace's reference stamp (Tenant.reference_stamp). Any change of a watched table, by the ORM's flush or
by an UPDATE, DELETE or INSERT statement, sets a new random stamp on the workspace's row in the same transaction (a
person's rename or removal, on every workspace's: `watch_people`). Every request reads its workspace's row anyway (with the person's memberships),
so a process learns of a change made by any other at its next request, without a statement of its own, and the
request that made the change builds afresh for the rest of its own work.

A kept value is shared by every request of the process: plain values, or objects no session holds (detached), which
no one changes.
"""
from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import TypeVar

from flask import g, has_request_context
from sqlalchemy import event, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from .db import db
from .models import Tenant, User, new_stamp
from .scoping import current_partner_id, current_tenant_id

T = TypeVar("T")

_watched: set[str] = set()  # table names (an ORM statement's table is an annotated copy, its name the same)
_kept: dict[tuple, object] = {}  # (name, tenant id, stamp) -> value
_MISSING = object()  # a kept value may be None
KEPT = 4096  # past this many values, the store starts over (old stamps' values are never read again)


def watch(*models) -> None:
    """A change of these models' tables changes their workspace's reference stamp."""
    _watched.update(model.__table__.name for model in models)


def kept(name: str, build: Callable[[Session], T]) -> T:
    """build(session)'s value for the current workspace, built once per process until its reference data changes.
    To be kept, it is built in a session of its own on the request's connection, closed at once: objects it holds are
    in no session (a commit cannot expire them, the request's session never sees them), and must not be changed.
    Outside a request, for a partner (who reads less of some tables than the staff), while the request's session
    holds changes, or once the request has changed reference data, it is built every time, in the request's
    session."""
    session = db.session()  # the request's session itself, not its scoped proxy
    tenant = g.get("tenant") if has_request_context() else None
    if tenant is None or g.get("_reference_changed") or tenant.id != current_tenant_id() \
            or current_partner_id() is not None or _holds_changes(session):
        return build(session)
    key = (name, tenant.id, tenant.reference_stamp)
    found = _kept.get(key, _MISSING)
    if found is _MISSING:
        own = Session(bind=session.connection())
        try:
            found = build(own)
        finally:
            own.close()
        if len(_kept) >= KEPT:
            _kept.clear()
        _kept[key] = found
    return found  # type: ignore[return-value]


def _holds_changes(session: Session) -> bool:
    """session.new or session.dirty or session.deleted, without the three sets those build (a page asks this a few
    times): objects added or deleted, or loaded ones with changed attributes."""
    return bool(session._new or session._deleted or session.identity_map._modified)


def _changed(session: Session, tenant_ids=(), *, people: bool = False) -> None:
    """Watched tables changed in this transaction: these workspaces get a new stamp, every workspace when people were
    renamed or removed, and this request builds afresh. Every one, not those the people belong to: which those are
    is read from the memberships, which row-level security shows only in part (a person's own, or one workspace's)
    to the request that changes them; a rename is rare, and each process then reads each workspace's lists once."""
    tenant_ids = set(tenant_ids) - {None}
    if not tenant_ids and not people:
        return
    if has_request_context():
        g._reference_changed = True
    tenants = Tenant.__table__
    stamp = update(tenants).values(reference_stamp=new_stamp())
    # On the connection, not through the session: no ORM events, no autoflush, inside a flush.
    session.connection().execute(stamp if people else stamp.where(tenants.c.id.in_(tenant_ids)))


def _table_name(obj) -> str | None:
    return getattr(getattr(type(obj), "__table__", None), "name", None)


@event.listens_for(Session, "before_flush")
def _flushing(session, flush_context, instances):
    if not _watched:
        return
    tenant_ids, people = set(), False
    for obj in chain(session.new, session.dirty, session.deleted):
        table = _table_name(obj)
        if table not in _watched:
            continue
        if table == User.__table__.name:
            # A person's name is what the lists show: a new person belongs to no workspace yet.
            if obj in session.deleted or (obj not in session.new and get_history(obj, "name").has_changes()):
                people = True
        else:  # a workspace's row, of the current workspace or (a membership) the one it names
            tenant_ids.add(getattr(obj, "tenant_id", None) or current_tenant_id())
    _changed(session, tenant_ids, people=people)


@event.listens_for(Session, "do_orm_execute")
def _writing(state):
    """An UPDATE, DELETE or INSERT statement on a watched table changes the current workspace's stamp; one that
    renames or removes people, every workspace's."""
    if not (_watched and (state.is_update or state.is_delete or state.is_insert)):
        return
    statement = state.statement
    table = getattr(getattr(statement, "table", None), "name", None)
    if table not in _watched:
        return
    if table != User.__table__.name:
        _changed(state.session, (current_tenant_id(),))
    elif state.is_delete or (state.is_update and "name" in {getattr(c, "key", c) for c in statement._values or ()}):
        _changed(state.session, people=True)


def watch_people() -> None:
    """A person's name changing (or the person leaving) changes every workspace's stamp."""
    _watched.add(User.__table__.name)
