"""The partner portal: its own layout and navigation, in the partner user's language, amounts in the
distributor's currency. Entered only by distributor memberships; every query is partner-scoped by the ORM."""
from __future__ import annotations

from flask import abort, g, render_template, url_for

from tenants.models import Role
from tenants.resolve import TenantBlueprint

from . import service

bp = TenantBlueprint("portal", __name__, roles=(Role.distributor,))


@bp.before_request
def _load_partner():
    # After the kernel let the member in (its before_request runs first) and set the partner scope.
    if g.get("membership") is None:
        return None
    g.partner = service.my_distributor()
    if g.partner is None:
        abort(404)  # a portal user bound to no distributor (or one since removed) has no portal
    return None


def landing() -> str:
    """Where a partner lands in the workspace: the portal's home."""
    return url_for("portal.index")


@bp.route("")
def index():
    """The portal's home: the partner's terms and whom to ask."""
    return render_template("portal/index.html", partner=g.partner, portal_panels=[])
