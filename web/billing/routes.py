"""Billing: the entries to invoice across contracts with their CSV export, and each contract's entries
(added, marked invoiced) under the contract's address."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from i18n.money import Money, format_money
from tenants.auth import current_user
from tenants.db import db
from tenants.models import STAFF
from tenants.resolve import TenantBlueprint, current_role

from ..contracts.routes import contract_or_404, show_page
from ..exports import csv_response
from ..htmx import confirm, form_part, render, wants_fragment
from ..templating import dateformat
from . import service
from .forms import BillingFilterForm, BillingForm, InvoiceForm

bp = TenantBlueprint("billing", __name__, roles=STAFF)
ON_CONTRACT = "/contracts"


def _filtered():
    form = BillingFilterForm(request.args, meta={"csrf": False})
    form.validate()
    invoiced = form.invoiced.data if form.invoiced.data in ("yes", "no") else None
    return form, service.Filters(form.due_from.data, form.due_to.data, invoiced)


@bp.route("")
def index():
    """Billing entries of every contract the reader can see, by due date."""
    form, filters = _filtered()
    page = service.list_page(current_user(), current_role(), filters, request.args.get("after"))
    return render("billing/index.html", "billing/_table.html", rows=page.rows, page=page, form=form,
                  export_args={k: v for k, v in request.args.items() if k != "after"})


CSV_COLUMNS = ("contract_number", "account", "due_on", "amount", "currency", "invoiced", "invoice_ref", "invoiced_on",
               "note", "entry_id")


@bp.route("/export.csv")
def export():
    """The filtered entries as CSV for the billing system: plain figures (dot decimals, ISO dates), UTF-8."""
    _form, filters = _filtered()
    stmt = service.billing_entries(current_user(), current_role(), filters)

    def rows():
        for entry in db.session.scalars(service.BY_DUE.after(service.with_contracts(stmt), None)
                                        .execution_options(yield_per=500)):
            yield (entry.contract.number, entry.contract.account.name, entry.due_on.isoformat(), entry.amount,
                   entry.currency, entry.invoiced, entry.invoice_ref, entry.invoiced_on.isoformat()
                   if entry.invoiced_on else "", entry.note, entry.id)

    return csv_response(f"billing-{date.today().isoformat()}.csv", CSV_COLUMNS, rows())


def contract_panel(contract, billing_form=None, **_overrides):
    """The contract page's billing entries; the form to add one only when given (else it is loaded when opened)."""
    return "billing/_contract.html", {"entries": service.billing_of(contract), "form": billing_form}


@bp.route("/<int:contract_id>/billing/new", segment=ON_CONTRACT)
def new(contract_id: int):
    """The form to add a billing entry, asked for when the contract page's "Add a billing entry" is opened."""
    contract = contract_or_404(contract_id)
    form = BillingForm(formdata=None, currency=contract.value_currency)
    return form_part("billing/_add_form.html", lambda: show_page(contract, billing_form=form),
                     contract=contract, form=form)


def _back(contract):
    return redirect(url_for("contracts.show", contract_id=contract.id) + "#billing", 303)


@bp.route("/<int:contract_id>/billing", methods=["POST"], segment=ON_CONTRACT)
def create(contract_id: int):
    """Add a billing entry."""
    contract = contract_or_404(contract_id)
    form = BillingForm()
    if form.validate_on_submit():
        amount = Money(form.amount.data, form.currency.data)
        service.add_billing_entry(contract, amount=amount, due_on=form.due_on.data,
                                  note=form.note.data or None, actor_id=current_user().id)
        db.session.commit()
        confirm(_("%(amount)s to invoice by %(date)s is added.", amount=format_money(amount, get_locale()),
                  date=dateformat(form.due_on.data)))
        if not wants_fragment():
            return _back(contract)
        return show_page(contract, "billing/_contract.html")
    return show_page(contract, "billing/_contract.html", 422, billing_form=form)


@bp.route("/<int:contract_id>/billing/<int:entry_id>/invoice", methods=["POST"], segment=ON_CONTRACT)
def invoice(contract_id: int, entry_id: int):
    """Mark a billing entry invoiced, with the invoice number."""
    contract = contract_or_404(contract_id)
    entry = service.get_billing_entry(contract, entry_id)
    if entry is None:
        abort(404)
    form = InvoiceForm()
    if not form.validate_on_submit():
        flash(_("Give the invoice number."), "error")
        return _back(contract)
    service.mark_invoiced(entry, invoice_ref=form.invoice_ref.data, on=date.today(), actor_id=current_user().id)
    db.session.commit()
    confirm(_("Marked invoiced: %(invoice)s.", invoice=form.invoice_ref.data))
    if wants_fragment():
        return show_page(contract, "billing/_contract.html")
    return _back(contract)
