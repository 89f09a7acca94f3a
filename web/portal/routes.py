"""The partner portal: its own layout and navigation, in the partner user's language, amounts in the
distributor's currency. Entered only by distributor memberships; every query is partner-scoped by the ORM."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from i18n.money import Money
from tenants.auth import current_user
from tenants.models import Role
from tenants.resolve import TenantBlueprint

from ..distributors import registrations as regs
from ..distributors.models import STATUS_LABELS
from ..htmx import render, wants_fragment
from . import service
from .forms import RegistrationForm

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
    """The portal's home: the partner's terms, whom to ask, and their registrations at a glance."""
    return render_template("portal/index.html", partner=g.partner, counts=regs.counts_by_status(),
                           recent=regs.page(limit=5).rows, statuses=STATUS_LABELS)


@bp.route("/registrations")
def registrations():
    """The partner's registered deals, newest first."""
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    page = regs.page(after=request.args.get("after"), status=status)
    return render("portal/registrations.html", "portal/_registrations.html", partner=g.partner,
                  registrations=page.rows, page=page, state=status, statuses=STATUS_LABELS)


@bp.route("/registrations/new")
def new_registration():
    """The form to register a deal."""
    form = RegistrationForm(formdata=None, currency=g.partner.currency,
                            country=g.partner.countries[0] if len(g.partner.countries) == 1 else "")
    return render("portal/registration_new.html", "portal/_registration_form.html", partner=g.partner, form=form)


@bp.route("/registrations", methods=["POST"])
def create_registration():
    """Register a deal; the coordinator reviews it."""
    form = RegistrationForm(currency=g.partner.currency)
    if not form.validate_on_submit():
        return render("portal/registration_new.html", "portal/_registration_form.html", status=422,
                      partner=g.partner, form=form)
    data = regs.RegistrationData(
        company=form.company.data, country=form.country.data, website=form.website.data or None,
        contact_name=form.contact_name.data or None, contact_email=form.contact_email.data or None,
        value=Money(form.value.data, g.partner.currency), expected_close=form.expected_close.data,
        products=form.products.data or None, notes=form.notes.data or None)
    reg = regs.register(g.partner, data, actor_id=current_user().id)
    flash(_("%(company)s is registered. Your coordinator reviews it and you will hear by email.",
            company=reg.company), "success")
    return redirect(url_for("portal.registration", registration_id=reg.id), 303)


@bp.route("/registrations/<int:registration_id>")
def registration(registration_id: int):
    """One registered deal: its state, the exclusivity or the reason it was rejected."""
    reg = regs.get(registration_id)
    if reg is None:
        abort(404)
    return render_template("portal/registration.html", partner=g.partner, reg=reg,
                           fragment=wants_fragment())
