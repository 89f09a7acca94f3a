"""/t/<tenant>/... URLs: the slug picks the tenant, membership lets you in, url_for puts it back.

A feature has one blueprint, named after its package. Its routes live under /t/<tenant>/<segment>
and need a signed-in member (of the roles the blueprint admits; anyone else gets 404, so a tenant's
existence never leaks). A route says so when it is different: `access=PUBLIC` for the few pages
reached by a secret or a public form (calendar feeds, the web-to-lead form: the tenant is set, no
sign-in asked), `access=OUTSIDE` for pages that belong to no tenant (the front page, an invitation).
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, url_for

from .auth import current_user, current_user_id
from .db import db
from .members import find_membership
from .models import ADMINS, STAFF, Role, Tenant
from .scoping import reset_partner, reset_tenant, reset_user, set_partner, set_tenant

MEMBER, PUBLIC, OUTSIDE = "member", "public", "outside"


class TenantBlueprint(Blueprint):
    """A feature's blueprint: its routes under /t/<tenant>/<segment>, entered only by members of `roles`.

    `segment` defaults to the blueprint's name (the feature's one word); a route may name another
    (`segment="/contracts"`) where its address belongs under another feature's record.
    """

    def __init__(self, name: str, import_name: str, *, segment: str | None = None,
                 roles: tuple[Role, ...] | None = None, **kw):
        super().__init__(name, import_name, **kw)
        self.segment = f"/{name}" if segment is None else segment
        self.roles = roles
        self.access: dict[str, str] = {}  # endpoint (without the blueprint's name) -> MEMBER, PUBLIC or OUTSIDE
        self.url_value_preprocessor(_take_slug)
        self.before_request(self._enter)

    def add_url_rule(self, rule, endpoint=None, view_func=None, provide_automatic_options=None, *,
                     access: str = MEMBER, segment: str | None = None, **options):
        endpoint = endpoint or (view_func.__name__ if view_func else None)
        self.access[endpoint] = access
        if access != OUTSIDE:
            rule = f"/t/<tenant>{self.segment if segment is None else segment}{rule}"
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)

    def access_of(self, endpoint: str) -> str:
        return self.access.get(endpoint.rpartition(".")[2], MEMBER)

    def _enter(self):
        access = self.access_of(request.endpoint or "")
        if access == OUTSIDE:
            return None
        if access == PUBLIC:
            return _enter_public_tenant()
        return _enter_tenant(self.roles)


def _take_slug(endpoint, values):
    if values is not None:
        g.tenant_slug = values.pop("tenant", None)


def _enter_tenant(roles: tuple[Role, ...] | None):
    user_id = current_user_id()
    if user_id is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    # The memberships first: they are read with the person, so signing the person in for the rest of the request
    # (current_user(): the page's person, and the database's reader) finds them without a query.
    membership = find_membership(g.tenant_slug, user_id)
    current_user()
    # A blueprint that names no roles is for the company's staff: a partner enters only where they are named.
    if membership is None or membership.role_enum not in (STAFF if roles is None else roles):
        abort(404)
    g.tenant = membership.tenant
    g.membership = membership
    g._tenant_token = set_tenant(membership.tenant_id)
    if membership.role_enum is Role.distributor:
        # Everything a partner reads is scoped to their distributor; bound to none, they see nothing (0).
        g._partner_token = set_partner(membership.distributor_id or 0)
    return None


def _enter_public_tenant():
    tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == g.tenant_slug))
    if tenant is None:
        abort(404)
    g.tenant = tenant
    g.membership = None
    g._tenant_token = set_tenant(tenant.id)
    return None


def current_role() -> Role | None:
    membership = g.get("membership")
    return membership.role_enum if membership is not None else None


def requires(*roles: Role):
    """Limit a view to these roles; other members get 403 with a page that says why."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            role = current_role()
            if role not in roles:
                abort(404 if role is Role.distributor else 403)  # a partner never learns a staff page exists
            return view(*args, **kwargs)

        return wrapper

    return decorate


def route_access(app: Flask, endpoint: str) -> str:
    """How a route is entered: MEMBER, PUBLIC or OUTSIDE (for sweeps and the URL map's readers)."""
    blueprint = app.blueprints.get(endpoint.partition(".")[0])
    if isinstance(blueprint, TenantBlueprint):
        return blueprint.access_of(endpoint)
    return OUTSIDE


__all__ = ["TenantBlueprint", "MEMBER", "PUBLIC", "OUTSIDE", "ADMINS", "current_role", "requires", "route_access",
           "init_app"]


def init_app(app: Flask) -> None:
    expecting: dict[str, bool] = {}  # endpoint -> takes <tenant>; the URL map never changes once serving

    @app.url_defaults
    def _fill_tenant(endpoint, values):
        if "tenant" in values or "tenant" not in g:
            return
        takes = expecting.get(endpoint)
        if takes is None:
            takes = expecting[endpoint] = current_app.url_map.is_endpoint_expecting(endpoint, "tenant")
        if takes:
            values["tenant"] = g.tenant.slug

    @app.teardown_request
    def _leave_tenant(exc):
        token = g.pop("_tenant_token", None)
        if token is not None:
            reset_tenant(token)
        token = g.pop("_user_token", None)
        if token is not None:
            reset_user(token)
        token = g.pop("_partner_token", None)
        if token is not None:
            reset_partner(token)
