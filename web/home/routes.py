"""The front door and each tenant's home page."""
from __future__ import annotations

from flask import g, redirect, render_template, url_for

from tenants.auth import current_user
from tenants.db import utcnow
from tenants.members import memberships_of
from tenants.resolve import OUTSIDE, TenantBlueprint

from ..features import panels

bp = TenantBlueprint("home", __name__, segment="")


@bp.route("/", access=OUTSIDE)
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
    """The tenant's home page: what each feature wants this person to see first."""
    return render_template("home/index.html", tenant=g.tenant, now=utcnow(), panels=panels("home"))
