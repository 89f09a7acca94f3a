"""Helpers the contract features' tests share."""
from __future__ import annotations

from datetime import date

from tenants.db import db
from tenants.scoping import tenant_context

SIGNED = date(2026, 10, 30)


def get_row(app, tenant, model, row_id):
    with app.app_context(), tenant_context(tenant.id):
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row
