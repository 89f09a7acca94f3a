"""Workspace settings: name, base currency, language, timezone and which rate sources convert."""
from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.resolve import ADMINS, TenantBlueprint, requires

from ..htmx import render
from . import service
from .forms import SettingsForm

bp = TenantBlueprint("settings", __name__)


@bp.route("", methods=["GET"])
@requires(*ADMINS)
def edit():
    """The settings form."""
    form = SettingsForm(obj=g.tenant, formdata=None)
    return render("settings/edit.html", "settings/_form.html", form=form)


@bp.route("", methods=["POST"])
@requires(*ADMINS)
def update():
    """Save the settings."""
    form = SettingsForm()
    if not form.validate_on_submit():
        return render("settings/edit.html", "settings/_form.html", status=422, form=form)
    service.update(g.tenant, current_user().id, **{f: getattr(form, f).data for f in service.FIELDS})
    flash(_("The settings are saved."), "success")
    return redirect(url_for("settings.edit"), 303)
