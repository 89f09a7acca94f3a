"""/t/<tenant>/... URLs: the slug picks the tenant, membership lets you in, url_for puts it back."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, url_for

from .auth import current_user
from .db import db
from .members import find_membership
from .models import Role, Tenant
from .scoping import reset_tenant, set_tenant


class TenantBlueprint(Blueprint):
    """A feature blueprint under /t/<tenant>/<feature>: sign-in and membership required, tenant set.

    Anyone who is not a member gets 404, whether the slug exists or not, so a tenant's existence
    never leaks. `public=True` is for the few pages reached by a secret or a public form (calendar
    feeds, web-to-lead): the tenant is set but no sign-in is asked.
    """

    def __init__(self, name: str, import_name: str, url_prefix: str | None = None, *, public: bool = False, **kw):
        segment = f"/{name}" if url_prefix is None else url_prefix
        super().__init__(name, import_name, url_prefix=f"/t/<tenant>{segment}", **kw)
        self.public = public
        self.url_value_preprocessor(_take_slug)
        self.before_request(_enter_public_tenant if public else _enter_tenant)


def _take_slug(endpoint, values):
    if values is not None:
        g.tenant_slug = values.pop("tenant", None)


def _enter_tenant():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    membership = find_membership(g.tenant_slug, user.id)
    if membership is None:
        abort(404)
    g.tenant = membership.tenant
    g.membership = membership
    g._tenant_token = set_tenant(membership.tenant_id)
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
    """Limit a tenant view to these roles; others get 403 with a page that says why."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_role() not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


ADMINS = (Role.owner, Role.admin)


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
