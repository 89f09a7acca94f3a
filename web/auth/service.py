"""Signing in, and the emailed password reset."""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from tenants import audit
from tenants.auth import end_access, end_all_sessions
from tenants.db import db, utcnow
from tenants.members import memberships_of
from tenants.models import User
from tenants.passwords import hash_password, needs_rehash, verify_password
from tenants.scoping import tenant_context

from ..links import public_url_for
from ..mail import send_email

RESET_MAX_AGE = 60 * 60  # seconds a reset link stays valid


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The person with this email and password, or None; a miss costs the same time as a hit."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_sign_in(user: User | None, *, ok: bool, ip: str | None) -> None:
    """Write the sign-in (or the failed attempt) into the audit trail of every tenant the person is in."""
    if user is None:
        return
    # The workspaces' ids first: each commit below expires the memberships, and reading one again outside its
    # workspace finds nothing on PostgreSQL (its row policy), which made a person of two workspaces fail to sign in.
    for tenant_id in [membership.tenant_id for membership in memberships_of(user.id)]:
        with tenant_context(tenant_id):
            audit.record("auth.sign_in" if ok else "auth.sign_in_failed", actor_id=user.id,
                         subject_type="user", subject_id=user.id, ip=ip)
            db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    # The link names the current password hash: once the password changes, the link is spent.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "h": _fingerprint(user)})


def user_for_reset(token: str) -> User | None:
    """The person a reset link is for, or None when it is forged, expired or already used."""
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or data.get("h") != _fingerprint(user):
        return None
    return user


def request_reset(email: str) -> None:
    """Mail a reset link if the address has an account; say nothing either way."""
    user = find_user(email)
    if user is None:
        return
    link = public_url_for("auth.reset", token=reset_token(user))
    send_email(user.email, "password_reset", user.locale or "en", user=user, link=link)
    db.session.commit()


def set_password(user: User, password: str) -> None:
    """A new password ends every session of the person."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user.id)
    end_access(user.id)
