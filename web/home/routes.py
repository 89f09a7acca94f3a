"""The front door and each tenant's home page."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import utcnow
from tenants.members import memberships_of
from tenants.models import ADMINS, STAFF, Role
from tenants.resolve import OUTSIDE, TenantBlueprint, current_role, requires

from ..features import hooks, panels
from . import firstrun

# Partners enter too, only to be sent to their portal (hook "landing"): every other page here is staff's.
bp = TenantBlueprint("home", __name__, segment="", roles=(*STAFF, Role.distributor))


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
    if current_role() is Role.distributor:
        for landing in hooks("landing"):
            return redirect(landing())
        abort(404)
    return render_template("home/index.html", tenant=g.tenant, now=utcnow(), panels=panels("home"))


def first_steps_panel(**_overrides):
    """Home, first of all: what a new workspace still needs, for those who can do it."""
    steps = firstrun.checklist(g.tenant, current_role())
    if steps is None:
        return None
    return "home/_first_steps.html", {"steps": steps, "done": sum(1 for _step, done in steps if done),
                                      "can_hide": current_role() in ADMINS}


@bp.route("/first-steps/hide", methods=["POST"])
@requires(*ADMINS)
def hide_first_steps():
    """Hide the first steps for the whole workspace."""
    firstrun.dismiss(g.tenant, current_user().id)
    flash(_("The first steps are hidden for everyone. Settings and the team stay in the menu."), "success")
    return redirect(url_for("home.index"), 303)
