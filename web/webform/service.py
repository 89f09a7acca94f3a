"""The public web form's settings: on or off, and who gets its leads."""
from __future__ import annotations

from tenants import audit
from tenants.db import db

from ..leads.service import settings


def set_webform(enabled: bool, owner_id: int | None, *, actor_id: int | None) -> None:
    """Turn the public web form on or off and choose who gets its leads. Commits."""
    row = settings()
    tracked = audit.Tracked(row, ("webform_enabled", "webform_owner_id"))
    row.webform_enabled, row.webform_owner_id = enabled, owner_id
    tracked.record("leads.settings_changed", actor_id=actor_id, subject_type="lead_settings", subject_id=row.id)
    db.session.commit()
