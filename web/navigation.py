"""The sidebar: every area of the product, linked once its blueprint exists, marked 'soon' before."""
from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

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


def _sidebar_html(here: str | None, endpoint: str | None, admin: bool) -> str:
    areas = _linked(AREAS)
    return current_app.jinja_env.get_template("_nav.html").render(
        tenant=g.tenant, here=here, here_endpoint=endpoint, nav_areas=areas,
        nav_admin=[(e, label) for e, label in _linked(ADMIN_AREAS) if e] if admin else [])


def sidebar() -> Markup:
    """The staff sidebar, rendered once per workspace, language, role and place and kept for the process: it is the
    same few dozen links and words on every page (a tenth of a page's template work), and nothing in it changes
    while the process runs but the workspace's name, which is part of the key."""
    from .locale_context import locale_name

    admin = current_role() in ADMINS
    # Only an admin page marks its own endpoint; any other page marks its area (the blueprint).
    endpoint = request.endpoint if request.endpoint in _ADMIN_ENDPOINTS else None
    key = (g.tenant.id, g.tenant.slug, g.tenant.name, locale_name(), admin, request.blueprint, endpoint)
    cache = current_app.extensions.setdefault("coordina_sidebars", {})
    html = cache.get(key)
    if html is None:
        if len(cache) > 2048:  # many workspaces in one process: start over rather than grow
            cache.clear()
        html = cache[key] = Markup(_sidebar_html(request.blueprint, endpoint, admin))
    return html


_ADMIN_ENDPOINTS = frozenset(name if "." in name else f"{name}.index" for name, _label in ADMIN_AREAS)


def nav_context() -> dict:
    if g.get("membership") is None:
        return {}
    return {"sidebar": sidebar}
