"""The sidebar: every area of the product, linked once its blueprint exists, marked 'soon' before."""
from __future__ import annotations

from flask import current_app, g
from flask_babel import lazy_gettext as _l

from tenants.resolve import ADMINS, current_role

AREAS = [
    ("contracts", _l("Contracts")),
    ("deliverables", _l("Deliverables")),
    ("renewals", _l("Renewals")),
    ("billing", _l("Billing")),
    ("accounts", _l("Accounts")),
    ("cases", _l("Cases")),
    ("leads", _l("Leads")),
    ("events", _l("Events")),
    ("distributors", _l("Distributors")),
    ("reports", _l("Reports")),
    ("rates", _l("Exchange rates")),
]
ADMIN_AREAS = [
    ("settings.edit", _l("Settings")),
    ("contracts.settings", _l("Contract settings")),
    ("cases.settings", _l("Case settings")),
    ("audit", _l("Audit trail")),
]


def _linked(areas):
    views = current_app.view_functions
    linked = []
    for name, label in areas:
        endpoint = name if "." in name else f"{name}.index"
        linked.append((endpoint if endpoint in views else None, label))
    return linked


def nav_context() -> dict:
    if g.get("membership") is None:
        return {}
    admin = current_role() in ADMINS
    return {
        "nav_areas": _linked(AREAS),
        "nav_admin": [(e, label) for e, label in _linked(ADMIN_AREAS) if e] if admin else [],
        "nav_admin_endpoints": [e for e, _label in _linked(ADMIN_AREAS)],
    }
