"""The front door and each tenant's home page."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for

from tenants.auth import current_user
from tenants.db import utcnow
from tenants.members import memberships_of
from tenants.resolve import TenantBlueprint

from .panels import render_panels

root_bp = Blueprint("root", __name__)
bp = TenantBlueprint("home", __name__, url_prefix="")


@root_bp.route("/", endpoint="index")
def front():
    """Visitors see what Coordina is; members go to their workspace or choose one."""
    user = current_user()
    if user is None:
        return render_template("home/welcome.html")
    memberships = memberships_of(user.id)
    if len(memberships) == 1:
        return redirect(url_for("home.index", tenant=memberships[0].tenant.slug))
    return render_template("home/choose.html", memberships=memberships)


@bp.route("/")
def index():
    """The tenant's home page."""
    return render_template("home/index.html", tenant=g.tenant, now=utcnow(), panels=render_panels())
