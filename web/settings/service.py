"""Changing a tenant's settings, with the change in the audit trail."""
from __future__ import annotations

from tenants import audit
from tenants.db import db, utcnow
from tenants.models import Tenant

FIELDS = ("name", "base_currency", "default_locale", "timezone", "fx_use_ecb", "fx_use_live")


def update(tenant: Tenant, actor_id: int, **values) -> dict:
    """Apply the values; returns what changed as {field: [old, new]}."""
    tracked = audit.Tracked(tenant, FIELDS)
    for field, value in values.items():
        if field in FIELDS:
            setattr(tenant, field, value)
    changed = tracked.record("settings.updated", actor_id=actor_id, subject_type="tenant", subject_id=tenant.id)
    # Saved even unchanged: an admin has looked at the base currency and the rate sources (the first run's step).
    tenant.settings_confirmed_at = utcnow()
    db.session.commit()
    return changed
