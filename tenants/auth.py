"""Who is signed in: server-side sessions behind a random cookie id, so logout really ends them."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from blinker import Namespace
from flask import current_app, g, session
from sqlalchemy import bindparam, delete, select, update

from .db import db, utcnow
from .models import AuthSession, User
from .scoping import prebuilt, read_sign_in, set_user

# Sent when a person loses access: removed from a tenant, moved to a role without the staff areas, or a
# password changed (every tenant). kwargs: user_id, tenant_id (None: every tenant). Features that hand out
# standing access of their own (a calendar feed's secret address) end it. Receivers run in the transaction.
access_ended = Namespace().signal("access-ended")

SESSION_KEY = "sid"
IDLE_LIMIT = timedelta(days=14)
# Writing last_seen on every request would make every page a write; a few minutes' precision is enough.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, ip: str | None, user_agent: str | None) -> None:
    """A fresh session id at every sign-in, so a planted cookie never becomes a signed-in one."""
    locale = session.get("locale")
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(
        AuthSession(id_hash=_digest(token), user_id=user.id, ip=ip, user_agent=(user_agent or "")[:255])
    )
    session[SESSION_KEY] = token
    session.permanent = True
    if user.locale:
        session["locale"] = user.locale
    elif locale:
        session["locale"] = locale
    _remember(user)


# Read on every request: built once (tenants.scoping.prebuilt), run as plain Core (a shared table).
_sessions = AuthSession.__table__.c
_SESSION_ROW = prebuilt(select(_sessions.user_id, _sessions.last_seen_at).where(_sessions.id_hash == bindparam("id_hash")))


def _signed_in() -> tuple[str, int] | None:
    """(session id hash, user id) of this browser's live session, read once a request as two plain columns (the
    person is loaded by whoever needs them: entering a workspace reads them with their memberships)."""
    if "_coordina_auth" not in g:
        g._coordina_auth = None
        token = session.get(SESSION_KEY)
        if token:
            digest = _digest(token)
            row = read_sign_in(_SESSION_ROW, {"id_hash": digest}, _sessions.user_id)
            now = utcnow()
            if row is not None and now - row.last_seen_at < IDLE_LIMIT:
                if now - row.last_seen_at > TOUCH_EVERY:
                    db.session.execute(update(AuthSession).where(AuthSession.id_hash == digest)
                                       .values(last_seen_at=now))
                    db.session.commit()
                g._coordina_auth = (digest, row.user_id)
            elif row is not None:
                db.session.execute(delete(AuthSession).where(AuthSession.id_hash == digest))
                db.session.commit()
    return g._coordina_auth


def current_auth_session() -> AuthSession | None:
    """This browser's session row (the profile page marks it among the person's sessions)."""
    found = _signed_in()
    return db.session.get(AuthSession, found[0]) if found else None


def current_user_id() -> int | None:
    found = _signed_in()
    return found[1] if found else None


def current_user() -> User | None:
    if "_coordina_user" not in g:
        found = _signed_in()
        # Found in the session's identity map when the memberships were read first (they carry the person).
        _remember(db.session.get(User, found[1]) if found else None)
    return g._coordina_user


def _remember(user: User | None) -> None:
    """The signed-in person for this request, and for the database (their memberships become readable)."""
    g._coordina_user = user
    token = set_user(user.id if user is not None else None)
    g.setdefault("_user_token", token)  # the first one: resetting it at teardown leaves no trace


def end_session() -> None:
    """Sign this browser out, server-side."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(delete(AuthSession).where(AuthSession.id_hash == _digest(token)))
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    _remember(None)
    g._coordina_auth = None


def end_all_sessions(user_id: int, *, keep_current: bool = False) -> int:
    """End every session of a person (password change, reset, removal); returns how many ended."""
    stmt = delete(AuthSession).where(AuthSession.user_id == user_id)
    token = session.get(SESSION_KEY) if keep_current else None
    if token:
        stmt = stmt.where(AuthSession.id_hash != _digest(token))
    return db.session.execute(stmt).rowcount or 0


def end_access(user_id: int, tenant_id: int | None = None) -> None:
    """Tell every feature that this person's access ended (in one tenant, or everywhere). Caller commits."""
    access_ended.send(current_app._get_current_object(), user_id=user_id, tenant_id=tenant_id)
