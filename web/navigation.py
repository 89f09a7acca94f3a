"""The sidebar: every area of the product, linked once its blueprint exists, marked 'soon' before."""
from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from i18n.locales import language_choices
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


# Where a kept top bar holds the request's own CSRF token and path (the language form's way back): each response puts
# its own in. Both are URL-safe text or escaped here, so nothing else in the HTML changes.
_CSRF_PLACEHOLDER = "coordina-topbar-csrf-0000"
_NEXT_PLACEHOLDER = "coordina-topbar-next-0000"


def topbar() -> Markup:
    """The layout's top bar (workspace switcher, language form, account menu), rendered once for what it shows and
    kept for the process: the workspace, the person's name, their workspaces and roles, the language. On every page
    it was a fifth of the layout's template work; a kept one costs its key and two replacements."""
    from .locale_context import locale_name
    from .templating import csrf_token, current_user, memberships_of

    user = current_user()
    tenant, membership = g.get("tenant"), g.get("membership")
    mine = memberships_of(user.id) if user is not None else []
    key = (locale_name(), request.script_root, user.name if user is not None else None,
           (tenant.id, tenant.name) if tenant is not None else None, membership is not None,
           tuple((m.tenant_id, m.tenant.slug, m.tenant.name, m.role) for m in mine))
    cache = current_app.extensions.setdefault("coordina_topbars", {})
    html = cache.get(key)
    if html is None:
        if len(cache) > 4096:
            cache.clear()
        html = cache[key] = current_app.jinja_env.get_template("_topbar.html").render(
            current_user=user, tenant=tenant, membership=membership, my_memberships=lambda: mine,
            languages=language_choices(), html_lang=key[0].replace("_", "-"),
            csrf_token=lambda: _CSRF_PLACEHOLDER, next_placeholder=_NEXT_PLACEHOLDER)
    return Markup(html.replace(_CSRF_PLACEHOLDER, csrf_token())
                  .replace(_NEXT_PLACEHOLDER, str(escape(request.full_path.rstrip("?")))))


_ADMIN_ENDPOINTS = frozenset(name if "." in name else f"{name}.index" for name, _label in ADMIN_AREAS)


def nav_context() -> dict:
    if g.get("membership") is None:
        return {}
    return {"sidebar": sidebar}
