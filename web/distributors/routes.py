"""Distributors for staff: the partner list, a partner's page (contacts, portal users), tiers."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import EditConflict, db
from tenants.models import ADMINS, SEES_ALL, STAFF
from tenants.resolve import TenantBlueprint, current_role, requires

from ..forms import record_id
from ..htmx import confirm, form_part, render, wants_fragment
from ..leads import conversion
from ..leads.routes import lead_or_404
from ..leads.routes import show_page as show_lead_page
from ..leads.service import get_visible
from ..team.service import TeamError
from . import catalogue, offers, orders, service
from . import registrations as regs
from . import results as partner_results
from .forms import (
    ApproveForm,
    ContactForm,
    DistributorForm,
    InvoiceForm,
    OfferForm,
    PartnerInviteForm,
    ProductForm,
    RejectForm,
    ShipForm,
    StepForm,
    TierForm,
    TierPriceForm,
)
from .models import ORDER_STATUS_LABELS, STATUS_LABELS, OfferStatus

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
                  can_edit=current_role() in SEES_ALL,
                  registrations=regs.page(distributor_id=distributor.id, limit=5).rows,
                  orders=orders.page(distributor_id=distributor.id, limit=5).rows)


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
    lead = get_visible(reg.lead_id, current_user(), current_role(), related=False) if reg.lead_id else None
    # Becoming a contract is the lead's own conversion (its page does it all); the contract keeps the credit.
    can_convert = lead is not None and conversion.can_convert(lead, current_user(), current_role())
    return render("distributors/registration.html", "distributors/_decision.html", status=status, reg=reg,
                  conflicts=found, approve_form=approve_form, reject_form=reject_form,
                  can_decide=current_role() in SEES_ALL, lead=lead, can_convert=can_convert)


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


# --- products and tier price lists ---------------------------------------------------------------------


def _product_data(form: ProductForm) -> catalogue.ProductData:
    names = {"en": form.name_en.data}
    names.update({code: getattr(form, f"name_{code}").data for code in ("it", "vi") if getattr(form, f"name_{code}").data})
    return catalogue.ProductData(code=form.code.data, names=names, unit=form.unit.data,
                                 base_price=form.base_price.data, active=form.active.data == "yes")


def _product_form(product=None, **kwargs) -> ProductForm:
    if product is None:
        return ProductForm(currency=g.tenant.base_currency, **kwargs)
    form = ProductForm(currency=product.base_currency, formdata=None, obj=product, **kwargs)
    for code in ("en", "it", "vi"):
        getattr(form, f"name_{code}").data = (product.names or {}).get(code, "")
    form.active.data = "yes" if product.active else "no"
    form.version.data = product.version
    return form


@bp.route("/products")
def products():
    """The catalogue partners order from, by code."""
    page = catalogue.products_page(after=request.args.get("after"))
    return render("distributors/products.html", "distributors/_products.html", products=page.rows, page=page,
                  is_admin=current_role() in ADMINS)


@bp.route("/products/new")
@requires(*ADMINS)
def new_product():
    """The new product form."""
    form = ProductForm(currency=g.tenant.base_currency, formdata=None, active="yes")
    return render("distributors/product_form.html", "distributors/_product_form.html", form=form, product=None)


@bp.route("/products", methods=["POST"])
@requires(*ADMINS)
def create_product():
    """Add a product."""
    form = _product_form()
    if form.validate_on_submit():
        try:
            product = catalogue.create_product(g.tenant, _product_data(form), actor_id=current_user().id)
        except catalogue.CatalogueError:
            db.session.rollback()
            form.code.errors = [_("Another product has this code.")]
        else:
            flash(_("%(code)s is added to the catalogue.", code=product.code), "success")
            return redirect(url_for("distributors.products"), 303)
    return render("distributors/product_form.html", "distributors/_product_form.html", status=422, form=form,
                  product=None)


def _product_or_404(product_id: int):
    product = catalogue.get_product(product_id)
    if product is None:
        abort(404)
    return product


@bp.route("/products/<int:product_id>/edit")
@requires(*ADMINS)
def edit_product(product_id: int):
    """Edit a product."""
    product = _product_or_404(product_id)
    return render("distributors/product_form.html", "distributors/_product_form.html", form=_product_form(product),
                  product=product)


@bp.route("/products/<int:product_id>", methods=["POST"])
@requires(*ADMINS)
def update_product(product_id: int):
    """Save a product (orders already placed keep their prices)."""
    product = _product_or_404(product_id)
    form = ProductForm(currency=product.base_currency)
    status = 422
    if form.validate_on_submit():
        try:
            catalogue.update_product(product, _product_data(form), version=form.version.data,
                                     actor_id=current_user().id)
        except catalogue.CatalogueError:
            db.session.rollback()
            form.code.errors = [_("Another product has this code.")]
        except EditConflict:
            db.session.rollback()
            form.fail(_("This product was changed by someone else while you were editing. Your changes are below "
                        "and were not saved. Save again to overwrite it."))
            form.version.data = _product_or_404(product_id).version
            status = 409
        else:
            flash(_("%(code)s is saved.", code=product.code), "success")
            return redirect(url_for("distributors.products"), 303)
    return render("distributors/product_form.html", "distributors/_product_form.html", status=status, form=form,
                  product=_product_or_404(product_id))


def _tier_prices_page(tier, *, status=200, form=None):
    products = catalogue.all_products()
    explicit = catalogue.tier_prices(tier)
    rows = [(p, *catalogue.tier_price(p, tier, explicit)) for p in products]
    return render("distributors/tier_prices.html", "distributors/_tier_prices.html", status=status, tier=tier,
                  rows=rows, form=form or TierPriceForm(formdata=None, products=products),
                  is_admin=current_role() in ADMINS)


@bp.route("/tiers/<int:tier_id>/prices")
def tier_prices(tier_id: int):
    """A tier's price list in the base currency: the discount, or an explicit price per product."""
    return _tier_prices_page(_tier_or_404(tier_id))


@bp.route("/tiers/<int:tier_id>/prices", methods=["POST"])
@requires(*ADMINS)
def set_tier_price(tier_id: int):
    """Give the tier an explicit price for a product."""
    tier = _tier_or_404(tier_id)
    products = catalogue.all_products()
    form = TierPriceForm(products=products)
    product = catalogue.get_product(form.product_id.data) if form.validate_on_submit() else None
    if product is None:
        if not form.product_id.errors and not form.price.errors:
            form.product_id.errors = [_("Choose one of the options.")]
        return _tier_prices_page(tier, status=422, form=form)
    catalogue.set_tier_price(tier, product, form.price.data, actor_id=current_user().id)
    flash(_("%(code)s has its own price for %(tier)s.", code=product.code, tier=tier.name), "success")
    return redirect(url_for("distributors.tier_prices", tier_id=tier.id), 303)


@bp.route("/tiers/<int:tier_id>/prices/<int:product_id>/delete", methods=["POST"])
@requires(*ADMINS)
def remove_tier_price(tier_id: int, product_id: int):
    """Back to the tier's discount for this product."""
    tier = _tier_or_404(tier_id)
    product = _product_or_404(product_id)
    if not catalogue.remove_tier_price(tier, product, actor_id=current_user().id):
        abort(404)
    flash(_("%(code)s is back to the %(tier)s discount.", code=product.code, tier=tier.name), "success")
    return redirect(url_for("distributors.tier_prices", tier_id=tier.id), 303)


# --- orders --------------------------------------------------------------------------------------------


@bp.route("/orders")
def orders_index():
    """The partners' orders, newest first; filter by state."""
    status = request.args.get("status") if request.args.get("status") in ORDER_STATUS_LABELS else None
    page = orders.page(after=request.args.get("after"), status=status)
    return render("distributors/orders.html", "distributors/_orders.html", orders=page.rows, page=page, state=status,
                  statuses=ORDER_STATUS_LABELS, counts=None if wants_fragment() else orders.counts_by_status())


def _order_or_404(order_id: int):
    order = orders.get(order_id)
    if order is None:
        abort(404)
    return order


def _current_step(order) -> str | None:
    return next((name for name, (before, _after, _stamp) in orders.STEPS.items() if before.value == order.status),
                None)


def _show_order(order, *, status=200, form=None, message=None):
    """The order page; `form` is the posted form of the order's current step (kept with its errors), `message` a
    conflict said on the current step's form."""
    forms = {"confirm": StepForm(formdata=None), "ship": ShipForm(formdata=None), "deliver": StepForm(formdata=None),
             "invoice": InvoiceForm(formdata=None)}
    for each in forms.values():
        each.version.data = order.version
    step = _current_step(order)
    if form is not None and step is not None:
        forms[step] = form
    if message is not None:
        if step is not None:
            forms[step].fail(message)
        else:
            flash(message, "error")
    return render("distributors/order.html", "distributors/_order_steps.html", status=status, order=order, step=step,
                  forms=forms, can_act=current_role() in SEES_ALL, statuses=ORDER_STATUS_LABELS)


@bp.route("/orders/<int:order_id>")
def order(order_id: int):
    """An order: its lines at the prices and rate it was placed at, and the next step."""
    return _show_order(_order_or_404(order_id))


def _advance(order_id: int, step: str, form, extra):
    order = _order_or_404(order_id)
    changed = _("This order changed meanwhile: its current state is shown.")
    if _current_step(order) != step:  # another step's form (a second tab, a double click): not this order's now
        return _show_order(order, status=409, message=changed)
    if not form.validate_on_submit():
        return _show_order(order, status=422, form=form)
    try:
        orders.advance(order, g.tenant, step, version=form.version.data, actor=current_user(), **extra(form))
    except (EditConflict, orders.OrderError):
        db.session.rollback()
        return _show_order(_order_or_404(order_id), status=409, message=changed)
    flash(_("Order %(number)s: %(status)s.", number=order.number, status=order.status_label), "success")
    return redirect(url_for("distributors.order", order_id=order_id), 303)


@bp.route("/orders/<int:order_id>/confirm", methods=["POST"])
@requires(*SEES_ALL)
def confirm_order(order_id: int):
    """Confirm an order to the partner."""
    return _advance(order_id, "confirm", StepForm(), lambda form: {})


@bp.route("/orders/<int:order_id>/ship", methods=["POST"])
@requires(*SEES_ALL)
def ship_order(order_id: int):
    """Ship an order: carrier, tracking, incoterm, the export papers' numbers."""
    return _advance(order_id, "ship", ShipForm(), lambda form: {"shipment": orders.Shipment(
        carrier=form.carrier.data, tracking=form.tracking.data or None, incoterm=form.incoterm.data,
        export_papers=form.export_papers.data or None)})


@bp.route("/orders/<int:order_id>/deliver", methods=["POST"])
@requires(*SEES_ALL)
def deliver_order(order_id: int):
    """Mark an order delivered."""
    return _advance(order_id, "deliver", StepForm(), lambda form: {})


@bp.route("/orders/<int:order_id>/invoice", methods=["POST"])
@requires(*SEES_ALL)
def invoice_order(order_id: int):
    """Mark an order invoiced, with the invoice's number."""
    return _advance(order_id, "invoice", InvoiceForm(), lambda form: {"invoice_number": form.invoice_number.data})


# --- partner results ------------------------------------------------------------------------------------


@bp.route("/results")
def results():
    """Partner results by tier and country, in the base currency, with a chart and the same figures as tables."""
    res = partner_results.results(g.tenant, no_tier=_("No tier"))
    return render("distributors/results.html", "distributors/results.html", res=res,
                  chart=partner_results.orders_chart(res))


def contract_panel(contract, **_overrides):
    """On a contract's page (staff): the partner it is credited to, and the registration it came of."""
    if current_role() not in STAFF or contract.distributor_id is None:
        return None
    return "distributors/_contract_panel.html", {
        "distributor": service.get_distributor(contract.distributor_id),
        "registration": regs.of_contract(contract)}


# --- leads passed to partners -----------------------------------------------------------------------------


def lead_panel(lead, **_overrides):
    """On a lead's page: the partners it was passed to, and (for coordinators) passing it to one."""
    if current_role() not in STAFF:
        return None
    distributors = service.all_by_name()
    passed = offers.offers_of(lead)
    # One offer is open at a time and none can be made while it is: if there is one, it is the newest listed.
    is_open = bool(passed) and passed[0].status in (OfferStatus.offered.value, OfferStatus.accepted.value)
    can_offer = current_role() in SEES_ALL and distributors and not is_open
    # The form to pass it is asked for when opened (offer_form): its partners' list was a twentieth of the lead's page.
    return "distributors/_lead_panel.html", {
        "offers": passed, "lead": lead, "can_offer": can_offer,
        "registration": regs.of_lead(lead.id), "offer_form": _overrides.get("offer_form")}


@bp.route("/leads/<int:lead_id>/offer")
@requires(*SEES_ALL)
def offer_form(lead_id: int):
    """The form to pass a lead to a partner, asked for when the lead page's "Pass to a partner" is opened."""
    lead = lead_or_404(lead_id)
    form = OfferForm(formdata=None, distributors=service.all_by_name())
    return form_part("distributors/_offer_form.html", lambda: show_lead_page(lead, offer_form=form), lead=lead,
                     form=form)


@bp.route("/leads")
def lead_offers():
    """Leads passed to partners, newest first, with their answers."""
    page = offers.page(after=request.args.get("after"))
    return render("distributors/lead_offers.html", "distributors/_lead_offers.html", offers=page.rows, page=page)


@bp.route("/leads/<int:lead_id>/offer", methods=["POST"])
@requires(*SEES_ALL)
def offer_lead(lead_id: int):
    """Pass a lead to a partner, to answer within their tier's time."""
    lead = get_visible(lead_id, current_user(), current_role())
    if lead is None:
        abort(404)
    distributors = service.all_by_name()
    form = OfferForm(distributors=distributors)
    distributor = service.get_distributor(form.distributor_id.data) if form.validate_on_submit() else None
    if distributor is None:
        if not form.distributor_id.errors:
            form.distributor_id.errors = [_("Choose one of the options.")]
        flash(" ".join(str(e) for e in form.distributor_id.errors + form.note.errors), "error")
        return redirect(url_for("leads.show", lead_id=lead.id), 303)
    try:
        offer = offers.offer(lead, distributor, g.tenant, note=form.note.data or None, actor=current_user())
    except offers.OfferError:
        db.session.rollback()
        flash(_("This lead is already with a partner."), "error")
        return redirect(url_for("leads.show", lead_id=lead.id), 303)
    flash(_("%(company)s is passed to %(partner)s, who has until %(date)s to answer.", company=offer.company,
            partner=distributor.name, date=format_datetime(offer.due_at, "short")), "success")
    return redirect(url_for("leads.show", lead_id=lead.id), 303)
