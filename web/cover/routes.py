"""Away periods and cover: say when you are away and who covers; the cover person's home lists what came in for
whom, and an absent rep's accounts say who to contact."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.models import ADMINS, STAFF, Role
from tenants.resolve import TenantBlueprint, current_role

from ..htmx import render
from ..templating import dateformat
from . import service
from .forms import AwayForm

bp = TenantBlueprint("cover", __name__, roles=STAFF)

# Who may say someone else is away (a rep off sick who cannot log in).
FOR_OTHERS = (*ADMINS, Role.manager)


def _page(form=None, status=200):
    me, today = current_user(), date.today()
    everyone = current_role() in FOR_OTHERS
    return render("cover/index.html", "cover/_form.html", status=status, form=form or AwayForm(formdata=None),
                  periods=service.periods(user_id=None if everyone else me.id, today=today), for_others=everyone,
                  today=today, me=me)


@bp.route("")
def index():
    """Your away periods (everyone's, for managers) and the form that adds one."""
    return _page()


@bp.route("", methods=["POST"])
def create():
    """Record an away period; the cover person is the one named, else the rep's coordinator."""
    me = current_user()
    form = AwayForm()
    valid = form.validate_on_submit()
    who = form.who.data if current_role() in FOR_OTHERS and form.who.data else me.id
    if valid:
        cover = form.cover.data or service.default_cover(who)
        if cover is None:
            form.cover.errors = [_("Nobody supports this person yet: choose who covers.")]
        elif cover == who:
            form.cover.errors = [_("Someone else must cover: choose another person.")]
        else:
            service.set_away(user_id=who, cover_id=cover, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                             note=form.note.data or None, actor_id=me.id)
            flash(_("Saved: %(name)s covers from %(start)s to %(end)s.", name=service.people([cover])[cover].name,
                    start=dateformat(form.starts_on.data), end=dateformat(form.ends_on.data)),
                  "success")
            return redirect(url_for("cover.index"), 303)
    return _page(form, 422)


@bp.route("/<int:away_id>/end", methods=["POST"])
def end(away_id: int):
    """End an away period (back early), or drop one that has not begun."""
    away = service.get(away_id)
    me = current_user()
    if away is None or (away.user_id != me.id and current_role() not in FOR_OTHERS):
        abort(404)
    service.end_away(away, date.today(), actor_id=me.id)
    flash(_("Welcome back: the cover has ended."), "success")
    return redirect(url_for("cover.index"), 303)


def home_panel(**_overrides):
    """Home: what came in for the people you cover for, and your own away period."""
    if current_role() not in STAFF:
        return None
    me, today = current_user(), date.today()
    # One read: the periods not yet over where I am away or covering; those running today that I cover.
    periods = service.periods(user_id=me.id, today=today)
    covering = sorted((a for a in periods if a.cover_id == me.id and a.starts_on <= today), key=lambda a: a.id)
    mine = [a for a in periods if a.user_id == me.id]
    return "cover/_home.html", {"covering": covering, "arrivals": service.arrivals(covering, g.tenant.timezone),
                                "mine": mine, "today": today}


def account_panel(account, **_overrides):
    """On an account's page: its rep is away until ..., contact ..."""
    away = service.away_owners(account.id, date.today())
    if not away:
        return None
    return "cover/_account.html", {"away": away}
