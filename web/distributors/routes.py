"""Distributors for staff: the partner list, a partner's page (contacts, portal users), tiers."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import EditConflict, db
from tenants.models import ADMINS, SEES_ALL, STAFF
from tenants.resolve import TenantBlueprint, current_role, requires

from ..forms import record_id
from ..htmx import confirm, render, wants_fragment
from ..team.service import TeamError
from . import registrations as regs
from . import service
from .forms import ApproveForm, ContactForm, DistributorForm, PartnerInviteForm, RejectForm, TierForm
from .models import STATUS_LABELS

bp = TenantBlueprint("distributors", __name__, roles=STAFF)


def _distributor_or_404(distributor_id: int):
    distributor = service.get_distributor(distributor_id)
    if distributor is None:
        abort(404)
    return distributor


def _data(form: DistributorForm) -> service.DistributorData:
    return service.DistributorData(**{f: (getattr(form, f).data or None) for f in service.FIELDS})


@bp.route("")
def index():
    """Partners by name, with their tier, territory and coordinator."""
    q = (request.args.get("q") or "").strip()[:100]
    tier_id = request.args.get("tier", type=lambda v: record_id(v))
    page = service.search(q, after=request.args.get("after"), tier_id=tier_id)
    return render("distributors/index.html", "distributors/_table.html", distributors=page.rows, page=page, q=q,
                  tier_id=tier_id, tiers=service.tiers(),
                  total=None if wants_fragment() else service.count_distributors(),
                  can_edit=current_role() in SEES_ALL)


@bp.route("/new")
@requires(*SEES_ALL)
def new():
    """The new partner form."""
    form = DistributorForm(formdata=None, tiers=service.tiers(), language=g.tenant.default_locale,
                           currency=g.tenant.base_currency)
    return render("distributors/new.html", "distributors/_form.html", form=form, distributor=None)


@bp.route("", methods=["POST"])
@requires(*SEES_ALL)
def create():
    """Add a partner."""
    form = DistributorForm(tiers=service.tiers())
    if not form.validate_on_submit():
        return render("distributors/new.html", "distributors/_form.html", status=422, form=form, distributor=None)
    data = _data(form)
    data.countries = form.countries.data
    distributor = service.create_distributor(data, actor_id=current_user().id)
    flash(_("%(name)s is added.", name=distributor.name), "success")
    return redirect(url_for("distributors.show", distributor_id=distributor.id), 303)


def _show(distributor, status=200, contact_form=None, invite_form=None):
    return render("distributors/show.html", "distributors/_people.html", status=status, distributor=distributor,
                  contacts=service.contacts_of(distributor),
                  portal_users=service.portal_users(g.tenant, distributor),
                  invitations=service.pending_invitations(distributor),
                  contact_form=contact_form or ContactForm(formdata=None),
                  invite_form=invite_form or PartnerInviteForm(formdata=None, locale=distributor.language),
                  can_edit=current_role() in SEES_ALL)


@bp.route("/<int:distributor_id>")
def show(distributor_id: int):
    """A partner: terms, territory, the people there and their portal users."""
    return _show(_distributor_or_404(distributor_id))


@bp.route("/<int:distributor_id>/edit")
@requires(*SEES_ALL)
def edit(distributor_id: int):
    """The edit form, carrying the version it was opened on."""
    distributor = _distributor_or_404(distributor_id)
    form = DistributorForm(formdata=None, obj=distributor, tiers=service.tiers())
    form.version.data = distributor.version
    return render("distributors/edit.html", "distributors/_form.html", form=form, distributor=distributor)


@bp.route("/<int:distributor_id>", methods=["POST"])
@requires(*SEES_ALL)
def update(distributor_id: int):
    """Save the partner, unless someone else saved it first (then 409 with the input kept)."""
    distributor = _distributor_or_404(distributor_id)
    form = DistributorForm(tiers=service.tiers())
    if not form.validate_on_submit():
        return render("distributors/edit.html", "distributors/_form.html", status=422, form=form,
                      distributor=distributor)
    data = _data(form)
    data.countries = form.countries.data
    try:
        service.update_distributor(distributor, data, version=form.version.data, actor_id=current_user().id)
    except EditConflict:
        db.session.expire_all()
        distributor = _distributor_or_404(distributor_id)
        form.fail(_("%(name)s was changed by someone else while you were editing. Your changes are below and "
                    "were not saved; the current version is on the partner's page. Save again to overwrite it.",
                    name=distributor.name))
        form.version.data = distributor.version
        return render("distributors/edit.html", "distributors/_form.html", status=409, form=form,
                      distributor=distributor)
    flash(_("%(name)s is saved.", name=distributor.name), "success")
    return redirect(url_for("distributors.show", distributor_id=distributor.id), 303)


@bp.route("/<int:distributor_id>/contacts", methods=["POST"])
@requires(*SEES_ALL)
def add_contact(distributor_id: int):
    """Add a person at the partner."""
    distributor = _distributor_or_404(distributor_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _show(distributor, status=422, contact_form=form)
    contact = service.add_contact(distributor, name=form.name.data, job_title=form.job_title.data or None,
                                  email=form.email.data or None, phone=form.phone.data or None,
                                  actor_id=current_user().id)
    confirm(_("%(name)s is added to the contacts.", name=contact.name))
    if wants_fragment():
        return _show(distributor)
    return redirect(url_for("distributors.show", distributor_id=distributor.id), 303)


@bp.route("/<int:distributor_id>/contacts/<int:partner_contact_id>/delete", methods=["POST"])
@requires(*SEES_ALL)
def delete_contact(distributor_id: int, partner_contact_id: int):
    """Remove a person at the partner."""
    contact = service.get_contact(partner_contact_id)
    if contact is None or contact.distributor_id != distributor_id:
        abort(404)
    service.delete_contact(contact, actor_id=current_user().id)
    flash(_("%(name)s is removed.", name=contact.name), "success")
    return redirect(url_for("distributors.show", distributor_id=distributor_id), 303)


@bp.route("/<int:distributor_id>/invitations", methods=["POST"])
@requires(*ADMINS)
def invite(distributor_id: int):
    """Invite someone at the partner to the portal, bound to this partner."""
    distributor = _distributor_or_404(distributor_id)
    form = PartnerInviteForm()
    if form.validate_on_submit():
        try:
            invitation = service.invite_portal_user(g.tenant, current_user(), distributor, email=form.email.data,
                                                    locale=form.locale.data)
        except TeamError as exc:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("distributors.show", distributor_id=distributor.id), 303)
    return _show(_distributor_or_404(distributor_id), status=422, invite_form=form)


# --- tiers -------------------------------------------------------------------------------------------


def _tier_data(form: TierForm) -> service.TierData:
    return service.TierData(**{f: getattr(form, f).data for f in service.TIER_FIELDS})


@bp.route("/tiers")
def tiers():
    """The partner tiers, with a form for admins to add one."""
    return render("distributors/tiers.html", "distributors/_tier_form.html", tiers=service.tiers(),
                  form=TierForm(formdata=None, rank=len(service.tiers()) + 1, discount_percent=Decimal(0),
                                exclusivity_days=90, lead_sla_hours=48),
                  tier=None, is_admin=current_role() in ADMINS)


@bp.route("/tiers", methods=["POST"])
@requires(*ADMINS)
def create_tier():
    """Add a tier."""
    form = TierForm()
    if not form.validate_on_submit():
        return render("distributors/tiers.html", "distributors/_tier_form.html", status=422, tiers=service.tiers(),
                      form=form, tier=None, is_admin=True)
    tier = service.create_tier(_tier_data(form), actor_id=current_user().id)
    flash(_("The tier %(name)s is added.", name=tier.name), "success")
    return redirect(url_for("distributors.tiers"), 303)


def _tier_or_404(tier_id: int):
    tier = service.get_tier(tier_id)
    if tier is None:
        abort(404)
    return tier


@bp.route("/tiers/<int:tier_id>/edit")
@requires(*ADMINS)
def edit_tier(tier_id: int):
    """Edit a tier."""
    tier = _tier_or_404(tier_id)
    form = TierForm(formdata=None, obj=tier)
    form.version.data = tier.version
    return render("distributors/tier_edit.html", "distributors/_tier_form.html", form=form, tier=tier)


@bp.route("/tiers/<int:tier_id>", methods=["POST"])
@requires(*ADMINS)
def update_tier(tier_id: int):
    """Save a tier, unless someone else saved it first."""
    tier = _tier_or_404(tier_id)
    form = TierForm()
    if not form.validate_on_submit():
        return render("distributors/tier_edit.html", "distributors/_tier_form.html", status=422, form=form, tier=tier)
    try:
        service.update_tier(tier, _tier_data(form), version=form.version.data, actor_id=current_user().id)
    except EditConflict:
        db.session.expire_all()
        tier = _tier_or_404(tier_id)
        form.fail(_("This tier was changed by someone else while you were editing. Your changes are below and were "
                    "not saved. Save again to overwrite it."))
        form.version.data = tier.version
        return render("distributors/tier_edit.html", "distributors/_tier_form.html", status=409, form=form, tier=tier)
    flash(_("The tier %(name)s is saved.", name=tier.name), "success")
    return redirect(url_for("distributors.tiers"), 303)


# --- deal registrations ------------------------------------------------------------------------------


def _status_filter() -> str | None:
    status = request.args.get("status")
    return status if status in STATUS_LABELS else None


@bp.route("/registrations")
def registrations():
    """Deals the partners registered, newest first; filter by state."""
    status = _status_filter()
    page = regs.page(after=request.args.get("after"), status=status)
    return render("distributors/registrations.html", "distributors/_registrations.html", registrations=page.rows,
                  page=page, state=status, statuses=STATUS_LABELS,
                  counts=None if wants_fragment() else regs.counts_by_status())


def _registration_or_404(registration_id: int):
    reg = regs.get(registration_id)
    if reg is None:
        abort(404)
    return reg


def _show_registration(reg, *, status=200, approve_form=None, reject_form=None):
    tier = service.get_tier(reg.distributor.tier_id) if reg.distributor.tier_id else None
    if approve_form is None:
        approve_form = ApproveForm(formdata=None, exclusivity_days=tier.exclusivity_days if tier else 90)
        approve_form.version.data = reg.version
    if reject_form is None:
        reject_form = RejectForm(formdata=None)
        reject_form.version.data = reg.version
    found = regs.check(reg) if reg.status == "submitted" else None
    return render("distributors/registration.html", "distributors/_decision.html", status=status, reg=reg,
                  conflicts=found, approve_form=approve_form, reject_form=reject_form,
                  can_decide=current_role() in SEES_ALL)


@bp.route("/registrations/<int:registration_id>")
def registration(registration_id: int):
    """A registration with what the conflict check finds, and the decision."""
    return _show_registration(_registration_or_404(registration_id))


@bp.route("/registrations/<int:registration_id>/approve", methods=["POST"])
@requires(*SEES_ALL)
def approve(registration_id: int):
    """Approve a registration: exclusive for the days given; it becomes a lead credited to the partner."""
    reg = _registration_or_404(registration_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _show_registration(reg, status=422, approve_form=form)
    try:
        regs.approve(reg, g.tenant, days=form.exclusivity_days.data, version=form.version.data, actor=current_user())
    except (EditConflict, regs.RegistrationError):
        db.session.rollback()
        reg = _registration_or_404(registration_id)
        form.fail(_("Someone decided on this registration meanwhile: its current state is shown."))
        return _show_registration(reg, status=409, approve_form=form)
    flash(_("%(company)s is approved: exclusive to %(partner)s until %(date)s.", company=reg.company,
            partner=reg.distributor.name, date=format_date(reg.exclusive_until, "medium")), "success")
    return redirect(url_for("distributors.registration", registration_id=reg.id), 303)


@bp.route("/registrations/<int:registration_id>/reject", methods=["POST"])
@requires(*SEES_ALL)
def reject(registration_id: int):
    """Reject a registration with a reason the partner reads."""
    reg = _registration_or_404(registration_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _show_registration(reg, status=422, reject_form=form)
    try:
        regs.reject(reg, g.tenant, reason=form.reason.data.strip(), version=form.version.data, actor=current_user())
    except (EditConflict, regs.RegistrationError):
        db.session.rollback()
        reg = _registration_or_404(registration_id)
        form.fail(_("Someone decided on this registration meanwhile: its current state is shown."))
        return _show_registration(reg, status=409, reject_form=form)
    flash(_("%(company)s is rejected; %(partner)s is told why.", company=reg.company, partner=reg.distributor.name),
          "success")
    return redirect(url_for("distributors.registration", registration_id=reg.id), 303)
