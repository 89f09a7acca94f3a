"""The partner portal: its own layout and navigation, in the partner user's language, amounts in the
distributor's currency. Entered only by distributor memberships; every query is partner-scoped by the ORM."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from i18n.money import Money
from tenants.auth import current_user
from tenants.db import EditConflict, db, utcnow
from tenants.models import Role
from tenants.resolve import TenantBlueprint

from ..distributors import catalogue
from ..distributors import offers as offers_service
from ..distributors import orders as orders_service
from ..distributors import registrations as regs
from ..distributors.forms import AnswerForm
from ..distributors.models import ORDER_STATUS_LABELS, STATUS_LABELS
from ..exports import csv_response
from ..forms import record_id_or_none
from ..htmx import render, wants_fragment
from . import service
from .forms import OrderForm, RegistrationForm
from .pdf import pdf_response

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
                           recent=regs.page(limit=5).rows, statuses=STATUS_LABELS,
                           leads_waiting=offers_service.waiting_count(), order_counts=orders_service.counts_by_status(),
                           order_statuses=ORDER_STATUS_LABELS)


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


# --- the price list -------------------------------------------------------------------------------------


def _price_list():
    return catalogue.price_list(g.partner, g.tenant)


@bp.route("/prices")
def prices():
    """The partner's price list in their currency, at the tenant's rate with its date and source."""
    return render_template("portal/prices.html", partner=g.partner, prices=_price_list())


@bp.route("/prices.csv")
def prices_csv():
    """The price list as a spreadsheet, headed in the partner's language."""
    prices = _price_list()
    locale = str(get_locale())
    header = [_("Code"), _("Name"), _("Unit"), _("Price") + f" ({prices.currency})",
              _("Base price") + f" ({prices.base_currency})"]
    rows = [[row.product.code, row.product.name_in(locale), row.product.unit,
             row.price.amount if row.price else "", row.base.amount] for row in prices.rows]
    return csv_response(f"price-list-{g.partner.currency.lower()}-{date.today().isoformat()}.csv", header, rows)


@bp.route("/prices.pdf")
def prices_pdf():
    """The price list as a PDF in the partner's language (WeasyPrint, fonts with Vietnamese glyphs)."""
    prices = _price_list()
    html = render_template("portal/prices_pdf.html", partner=g.partner, prices=prices, today=date.today())
    return pdf_response(html, f"price-list-{g.partner.currency.lower()}-{date.today().isoformat()}.pdf")


# --- orders ---------------------------------------------------------------------------------------------


QTY = "qty-"


def _typed_quantities() -> tuple[dict[int, int], dict[str, str], list[str]]:
    """The quantities typed (product id -> quantity), what was typed as is, and the problems found."""
    quantities, typed, problems = {}, {}, []
    for key, value in request.form.items():
        if not key.startswith(QTY):
            continue
        raw = (value or "").strip()
        typed[key] = raw
        product_id = record_id_or_none(key[len(QTY):])
        if product_id is None:
            problems.append("unknown")
            continue
        if not raw:
            continue
        if not (raw.isascii() and raw.lstrip("-").isdigit()):
            problems.append("quantity")
            continue
        quantities[product_id] = int(raw)
    return quantities, typed, problems


def _order_form(*, status=200, typed=None, error=None, notes="", form=None):
    prices = _price_list()
    if form is None:
        form = OrderForm(formdata=None, data={"country": orders_service.first_country(g.partner)})
    return render("portal/order_new.html", "portal/_order_form.html", status=status, partner=g.partner,
                  prices=prices, typed=typed or {}, error=error, notes=notes, form=form)


ORDER_PROBLEMS = {
    "empty": _l("Type a quantity for at least one product."),
    "quantity": _l("Quantities are whole numbers from 1 (leave a product empty to skip it)."),
    "unknown": _l("One of the products is not on your price list any more. Reload the page and order again."),
}


@bp.route("/orders")
def orders():
    """The partner's orders and where each one is."""
    status = request.args.get("status") if request.args.get("status") in ORDER_STATUS_LABELS else None
    page = orders_service.page(after=request.args.get("after"), status=status)
    return render("portal/orders.html", "portal/_orders.html", partner=g.partner, orders=page.rows, page=page,
                  state=status, statuses=ORDER_STATUS_LABELS)


@bp.route("/orders/new")
def new_order():
    """Order from the price list: a quantity per product."""
    return _order_form()


@bp.route("/orders", methods=["POST"])
def create_order():
    """Place an order at today's prices and rate."""
    form = OrderForm()
    notes = (request.form.get("notes") or "").strip()[:2000]
    quantities, typed, problems = _typed_quantities()
    if not form.validate_on_submit():
        error = form.form_error or (None if form.country.errors else _("Reload the page and try again."))
        return _order_form(status=422, typed=typed, error=error, notes=notes, form=form)
    if any(q < 0 for q in quantities.values()) and "quantity" not in problems:
        problems.append("quantity")
    if problems:
        return _order_form(status=422, typed=typed, error=str(ORDER_PROBLEMS[problems[0]]), notes=notes, form=form)
    try:
        order = orders_service.place(g.partner, g.tenant, quantities, notes=notes or None, actor_id=current_user().id,
                                     country=form.country.data)
    except orders_service.OrderError as exc:
        db.session.rollback()
        if exc.reason == "rate":
            error = _("There is no exchange rate to %(currency)s today, so the order cannot be priced. Ask your "
                      "coordinator to add one; nothing was ordered.", currency=exc.details["currency"])
        else:
            error = str(ORDER_PROBLEMS.get(exc.reason, ORDER_PROBLEMS["quantity"]))
        return _order_form(status=422, typed=typed, error=error, notes=notes, form=form)
    flash(_("Order %(number)s is placed. You will hear by email as it moves on.", number=order.number), "success")
    return redirect(url_for("portal.order", order_id=order.id), 303)


@bp.route("/orders/<int:order_id>")
def order(order_id: int):
    """One order: its lines at the prices and rate it was placed at, and where it stands."""
    found = orders_service.get(order_id)
    if found is None:
        abort(404)
    return render_template("portal/order.html", partner=g.partner, order=found, statuses=ORDER_STATUS_LABELS)


# --- leads passed to the partner --------------------------------------------------------------------------


@bp.route("/leads")
def leads():
    """Leads the company passed to the partner, newest first."""
    page = offers_service.page(after=request.args.get("after"))
    return render("portal/leads.html", "portal/_leads.html", partner=g.partner, offers=page.rows, page=page,
                  now=utcnow())


def _offer_or_404(offer_id: int):
    found = offers_service.get(offer_id)
    if found is None:
        abort(404)
    return found


def _show_lead(found, *, status=200, form=None):
    if form is None:
        form = AnswerForm(formdata=None)
        form.version.data = found.version
    return render("portal/lead.html", "portal/_lead_answer.html", status=status, partner=g.partner, offer=found,
                  form=form, now=utcnow())


@bp.route("/leads/<int:offer_id>")
def lead(offer_id: int):
    """A lead passed to the partner: accept or decline it in time, then say how it ended."""
    return _show_lead(_offer_or_404(offer_id))


@bp.route("/leads/<int:offer_id>/answer", methods=["POST"])
def answer_lead(offer_id: int):
    """Accept or decline a lead (the button pressed says which)."""
    found = _offer_or_404(offer_id)
    form = AnswerForm()
    choice = request.form.get("answer")
    if not form.validate_on_submit() or choice not in ("accept", "decline", "won", "lost"):
        if not form.form_error:
            form.fail(_("Choose one of the buttons."))
        return _show_lead(found, status=422, form=form)
    try:
        if choice in ("accept", "decline"):
            offers_service.answer(found, g.tenant, accept=choice == "accept", note=form.note.data or None,
                                  version=form.version.data, actor_id=current_user().id)
        else:
            offers_service.record_outcome(found, g.tenant, won=choice == "won", note=form.note.data or None,
                                          version=form.version.data, actor_id=current_user().id)
    except (EditConflict, offers_service.OfferError):
        db.session.rollback()
        form.fail(_("This lead cannot be answered any more: its current state is shown."))
        return _show_lead(_offer_or_404(offer_id), status=409, form=form)
    flash(_("%(company)s: %(status)s.", company=found.company, status=found.status_label), "success")
    return redirect(url_for("portal.lead", offer_id=offer_id), 303)
