"""Changes a person makes to their own account."""
from __future__ import annotations

from sqlalchemy import select

from tenants.auth import end_access, end_all_sessions
from tenants.db import db, utcnow
from tenants.models import AuthSession, User
from tenants.passwords import hash_password, verify_password


def update_profile(user: User, *, name: str, locale: str, timezone: str, display_currency: str | None) -> None:
    """Save name, language, timezone and display currency."""
    user.name = name
    user.locale = locale
    user.timezone = timezone
    user.display_currency = display_currency or None
    db.session.commit()


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if the current one is right; every other session of the person ends."""
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    end_all_sessions(user.id, keep_current=True)
    end_access(user.id)
    db.session.commit()
    return True


def sessions_of(user: User) -> list[AuthSession]:
    return list(
        db.session.scalars(
            select(AuthSession).where(AuthSession.user_id == user.id).order_by(AuthSession.last_seen_at.desc()).limit(20)
        )
    )


def end_other_sessions(user: User) -> int:
    """Sign out everywhere but here."""
    ended = end_all_sessions(user.id, keep_current=True)
    db.session.commit()
    return ended
