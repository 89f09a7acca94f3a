"""Workspace settings: name, base currency, language, timezone and which rate sources convert."""
from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.resolve import ADMINS, TenantBlueprint, requires

from ..home.firstrun import Step
from ..htmx import render
from . import service
from .forms import SettingsForm

bp = TenantBlueprint("settings", __name__)


def first_step() -> Step:
    """The first run: look at the base currency and rate sources (ticked once the settings are saved)."""
    tenant = g.tenant
    return Step(20, _("Confirm the base currency and exchange rates"),
                _("Totals and reports are converted into %(code)s. Check it and the rate sources, then save; add "
                  "corporate rates for the currencies the ECB does not publish.", code=tenant.base_currency),
                "settings.edit", ADMINS, done=lambda: tenant.settings_confirmed_at is not None,
                more=(("rates.corporate", _("Corporate rates")),))


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
