"""Contracts and what hangs off them: deliverables, billing entries, documents, signing and renewing."""
from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants.auth import current_user
from tenants.db import db
from tenants.models import Role
from tenants.resolve import ADMINS, TenantBlueprint, current_role, requires

from ..accounts.service import EditConflict, get_account
from ..files import service as files
from ..htmx import render, wants_fragment
from ..rates.routes import rate_problem
from ..rates.service import current_book
from . import service
from .forms import (
    BillingForm, ContractForm, DeliverableForm, DocumentForm, InvoiceForm, ProofForm, SignForm, StatusForm,
)
from .models import Status

bp = TenantBlueprint("contracts", __name__)
STAFF = (Role.owner, Role.admin, Role.manager, Role.coordinator, Role.rep)


@bp.before_request
def _staff_only():
    if current_role() not in STAFF:
        abort(404)


def viewer_currency() -> str:
    user = current_user()
    return (user.display_currency if user and user.display_currency else None) or g.tenant.base_currency


def _contract_or_404(contract_id: int):
    contract = service.get_visible(contract_id, current_user(), current_role())
    if contract is None:
        abort(404)
    return contract


def _data(form: ContractForm) -> service.ContractData:
    return service.ContractData(
        account_id=int(form.account_id.data), owner_id=int(form.owner_id.data),
        coordinator_id=int(form.coordinator_id.data) if form.coordinator_id.data else None,
        title=form.title.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        value=Money(form.value_amount.data, form.value_currency.data), auto_renew=form.auto_renew.data,
        notice_days=form.notice_days.data, notes=form.notes.data or None,
    )


def _check_people(form: ContractForm) -> bool:
    """The account must be one of ours, and a rep may only make contracts of their own."""
    ok = True
    if form.account_id.data and get_account(int(form.account_id.data)) is None:
        form.account_id.errors = [_("Choose the account this contract is with.")]
        ok = False
    # The owner and coordinator lists hold only this tenant's people (the form checks the choice).
    if current_role() == Role.rep and form.owner_id.data != str(current_user().id):
        form.owner_id.errors = [_("Sales reps make contracts of their own.")]
        ok = False
    return ok


# --- the list ------------------------------------------------------------------------------------------


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args[name]) if request.args.get(name) else None
    except ValueError:
        return None


def _filters() -> service.ListFilters:
    args = request.args
    return service.ListFilters(
        q=(args.get("q") or "").strip() or None, status=args.get("status") or None,
        owner_id=args.get("owner", type=int), account_id=args.get("account", type=int),
        country=args.get("country") or None, ends_from=_date_arg("ends_from"), ends_to=_date_arg("ends_to"),
    )


@bp.route("")
def index():
    """Contracts by end date, filtered and searched as you type, a keyset page at a time, with a converted total."""
    filters = _filters()
    after = None
    if request.args.get("after_end"):
        try:
            after = (date.fromisoformat(request.args["after_end"]), request.args.get("after_id", 0, type=int))
        except ValueError:
            abort(400)
    rows, cursor = service.list_page(current_user(), current_role(), filters, after=after)
    from .forms import SELLERS, people

    return render("contracts/index.html", "contracts/_table.html", contracts=rows, cursor=cursor, filters=filters,
                  today=date.today(), reps=[] if wants_fragment() else people(SELLERS),
                  args={k: v for k, v in request.args.items() if k not in ("after_end", "after_id")})


@bp.route("/total")
def total():
    """The filtered list's converted total: fetched by the list after it shows, so a long list never waits for it."""
    total = service.list_total(current_user(), current_role(), _filters(), g.tenant, viewer_currency())
    return render("contracts/total.html", "contracts/_total.html", total=total,
                  args={k: v for k, v in request.args.items() if k not in ("after_end", "after_id")})


# --- creating and editing -------------------------------------------------------------------------------


@bp.route("/new")
def new():
    """The new contract form (usually opened from an account)."""
    account = get_account(request.args.get("account_id", type=int) or 0)
    today = date.today()
    form = ContractForm(formdata=None, account_id=account.id if account else "", starts_on=today,
                        ends_on=service.default_end(today), notice_days=60,
                        value_currency=(account.currency if account and account.currency else g.tenant.base_currency),
                        owner_id=str(current_user().id))
    return render("contracts/new.html", "contracts/_form.html", form=form, contract=None, account=account)


@bp.route("", methods=["POST"])
def create():
    """Create a contract: a draft, or active at once when the signing date is given."""
    form = ContractForm()
    valid = form.validate_on_submit()
    valid = _check_people(form) and valid
    account = get_account(int(form.account_id.data)) if (form.account_id.data or "").isdigit() else None
    if valid:
        try:
            contract = service.create_contract(g.tenant, _data(form), actor_id=current_user().id,
                                               signed_on=form.signed_on.data)
            service.commit()
        except RateUnavailable as exc:
            db.session.rollback()
            form.signed_on.errors = [rate_problem(exc)]
        else:
            flash(_("Contract %(number)s is created.", number=contract.number), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id), 303)
    return render("contracts/new.html", "contracts/_form.html", status=422, form=form, contract=None, account=account)


@bp.route("/<int:contract_id>/edit")
def edit(contract_id: int):
    """The edit form, carrying the version it was opened on."""
    contract = _contract_or_404(contract_id)
    form = ContractForm(formdata=None, obj=contract)
    form.owner_id.data = str(contract.owner_id)
    form.coordinator_id.data = str(contract.coordinator_id or "")
    form.account_id.data = str(contract.account_id)
    form.version.data = contract.version
    return render("contracts/edit.html", "contracts/_form.html", form=form, contract=contract, account=contract.account)


@bp.route("/<int:contract_id>", methods=["POST"])
def update(contract_id: int):
    """Save the contract, unless someone saved it since this form was opened: then 409, input kept."""
    contract = _contract_or_404(contract_id)
    form = ContractForm()
    valid = form.validate_on_submit()
    valid = _check_people(form) and valid
    if valid:
        try:
            service.update_contract(contract, g.tenant, _data(form), version=int(form.version.data or 0),
                                    actor_id=current_user().id)
        except EditConflict:
            db.session.expire_all()
            contract = _contract_or_404(contract_id)
            form.fail(_("%(number)s was changed by someone else while you were editing. Your changes are below and "
                        "were not saved; open the contract in another tab to see the current version, then save "
                        "again to keep yours.", number=contract.number))
            form.version.data = contract.version
            return render("contracts/edit.html", "contracts/_form.html", status=409, form=form, contract=contract,
                          account=contract.account)
        except RateUnavailable as exc:
            db.session.rollback()
            form.fail(rate_problem(exc))
        else:
            flash(_("Contract %(number)s is saved.", number=contract.number), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id), 303)
    return render("contracts/edit.html", "contracts/_form.html", status=422, form=form, contract=contract,
                  account=contract.account)


@bp.route("/account-picker")
def account_picker():
    """Search accounts while typing in the contract form; picking one fills the hidden field (htmx)."""
    from ..accounts.service import search

    chosen = get_account(request.args.get("account_id", type=int) or 0)
    q = (request.args.get("account_q") or "").strip()
    matches = search(q, limit=8)[0] if q and chosen is None else []
    return render("contracts/account_picker.html", "contracts/_account_picker.html", account=chosen, matches=matches,
                  q=q, field_error=None)


# --- one contract ---------------------------------------------------------------------------------------------


def _floating(contract):
    """A draft's value at today's rate: shown, never stored."""
    if contract.base_amount is not None or contract.value_currency == g.tenant.base_currency:
        return None, None
    try:
        return current_book().convert(contract.value, g.tenant.base_currency, date.today()), None
    except RateUnavailable as exc:
        return None, rate_problem(exc)


def _show_context(contract, **overrides):
    kinds = service.kinds()
    floating, floating_problem = _floating(contract)
    ctx = {
        "contract": contract,
        "deliverables": service.deliverables_of(contract),
        "billing": service.billing_of(contract),
        "documents": service.documents_of(contract),
        "history": service.history(contract),
        "renewal": service.renewal_of(contract),
        "floating": floating,
        "floating_problem": floating_problem,
        "today": date.today(),
        "deliverable_form": DeliverableForm(formdata=None, kinds=kinds, status="planned"),
        "billing_form": BillingForm(formdata=None, currency=contract.value_currency),
        "document_form": DocumentForm(formdata=None),
        "sign_form": SignForm(formdata=None, signed_on=date.today()),
    }
    ctx.update(overrides)
    return ctx


@bp.route("/<int:contract_id>")
def show(contract_id: int):
    """Everything about a contract on one page."""
    contract = _contract_or_404(contract_id)
    return render("contracts/show.html", "contracts/_deliverables.html", **_show_context(contract))


@bp.route("/<int:contract_id>/sign", methods=["POST"])
def sign(contract_id: int):
    """Sign a draft: it becomes active and its value is locked at that day's rate."""
    contract = _contract_or_404(contract_id)
    form = SignForm()
    if contract.status != Status.draft.value:
        form.signed_on.errors = [_("Only a draft can be signed.")]
    elif form.validate_on_submit():
        try:
            service.sign(contract, g.tenant, form.signed_on.data, actor_id=current_user().id)
            service.commit()
        except RateUnavailable as exc:
            db.session.rollback()
            contract = _contract_or_404(contract_id)
            form.signed_on.errors = [rate_problem(exc)]
        else:
            flash(_("%(number)s is signed and active.", number=contract.number), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id), 303)
    return render("contracts/show.html", "contracts/_sign.html", status=422, **_show_context(contract, sign_form=form))


@bp.route("/<int:contract_id>/cancel", methods=["POST"])
def cancel(contract_id: int):
    """Cancel a contract (its history stays)."""
    contract = _contract_or_404(contract_id)
    if contract.status in (Status.cancelled.value, Status.renewed.value):
        abort(409)
    service.cancel(contract, actor_id=current_user().id)
    db.session.commit()
    flash(_("%(number)s is cancelled.", number=contract.number), "success")
    return redirect(url_for("contracts.show", contract_id=contract.id), 303)


@bp.route("/<int:contract_id>/renew", methods=["POST"])
def renew(contract_id: int):
    """Start the renewal: a new draft for the next term, deliverables copied forward."""
    contract = _contract_or_404(contract_id)
    if contract.status in (Status.draft.value, Status.cancelled.value):
        abort(409)
    renewal = service.start_renewal(contract, g.tenant, actor_id=current_user().id)
    service.commit()
    flash(_("Renewal %(number)s is drafted from %(old)s. Check the dates and value, then sign it.",
            number=renewal.number, old=contract.number), "success")
    return redirect(url_for("contracts.show", contract_id=renewal.id), 303)


# --- deliverables on a contract ------------------------------------------------------------------------------


def _deliverable_or_404(contract, deliverable_id: int):
    deliverable = service.get_deliverable(contract, deliverable_id)
    if deliverable is None:
        abort(404)
    return deliverable


def _check_deliverable(form: DeliverableForm, contract) -> bool:
    ok = True
    if form.value_share.data is not None and form.value_share.data > contract.value_amount:
        form.value_share.errors = [_("The share cannot be more than the contract's value (%(value)s).",
                                     value=str(contract.value))]
        ok = False
    return ok


@bp.route("/<int:contract_id>/deliverables", methods=["POST"])
def add_deliverable(contract_id: int):
    """Add a deliverable to the contract."""
    contract = _contract_or_404(contract_id)
    kinds = service.kinds()
    form = DeliverableForm(kinds=kinds)
    if form.validate_on_submit() and _check_deliverable(form, contract):
        service.add_deliverable(
            contract, kind=next(k for k in kinds if str(k.id) == form.kind_id.data), details=form.details.data,
            due_on=form.due_on.data, responsible_id=int(form.responsible_id.data) if form.responsible_id.data else None,
            department=form.department.data or None, value_share=form.value_share.data, status=form.status.data,
            actor_id=current_user().id)
        db.session.commit()
        if not wants_fragment():
            return redirect(url_for("contracts.show", contract_id=contract.id) + "#deliverables", 303)
        return render("contracts/show.html", "contracts/_deliverables.html", **_show_context(contract))
    return render("contracts/show.html", "contracts/_deliverables.html", status=422,
                  **_show_context(contract, deliverable_form=form))


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/status", methods=["POST"])
def deliverable_status(contract_id: int, deliverable_id: int):
    """Change a deliverable's status in place (htmx swaps the row)."""
    contract = _contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    form = StatusForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            version = int(form.version.data) if (form.version.data or "").isdigit() else None
            service.update_deliverable(deliverable, version=version, actor_id=current_user().id,
                                       status=form.status.data)
        except EditConflict:
            db.session.expire_all()
            deliverable = _deliverable_or_404(contract, deliverable_id)
            error, status = _("Someone changed this deliverable a moment ago; it now shows their version."), 409
    else:
        error, status = " ".join(form.status.errors) or _("Choose one of the options."), 422
    if status == 200 and not wants_fragment():
        return redirect(url_for("contracts.show", contract_id=contract.id) + "#deliverables", 303)
    return render("contracts/show.html", "contracts/_deliverable.html", status=status, d=deliverable, row_error=error,
                  **_show_context(contract))


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/proof", methods=["POST"])
def deliverable_proof(contract_id: int, deliverable_id: int):
    """Attach proof of delivery: a link, or a file (size and type checked)."""
    contract = _contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    form = ProofForm()
    error = None
    if form.validate_on_submit():
        upload = form.proof_file.data
        values = {}
        if upload is not None and getattr(upload, "filename", ""):
            try:
                stored = files.store(upload, current_user().id)
            except files.UploadError as exc:
                error = str(exc.args[0])
            else:
                values["proof_file_id"] = stored.id
        if form.proof_url.data:
            values["proof_url"] = form.proof_url.data
        if error is None and not values:
            error = _("Give a link or choose a file.")
        if error is None:
            service.update_deliverable(deliverable, version=None, actor_id=current_user().id, **values)
            deliverable = _deliverable_or_404(contract, deliverable_id)
    else:
        error = " ".join(str(e) for e in form.proof_url.errors)
    if error:
        db.session.rollback()
        deliverable = _deliverable_or_404(contract, deliverable_id)
    if error is None and not wants_fragment():
        return redirect(url_for("contracts.show", contract_id=contract.id) + "#deliverables", 303)
    return render("contracts/show.html", "contracts/_deliverable.html", status=422 if error else 200, d=deliverable,
                  row_error=error, proof_form=form if error else None, **_show_context(contract))


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/edit")
def edit_deliverable(contract_id: int, deliverable_id: int):
    """Edit a deliverable in full."""
    contract = _contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    form = DeliverableForm(formdata=None, obj=deliverable, kinds=service.kinds(include_inactive=True))
    form.kind_id.data = str(deliverable.kind_id)
    form.responsible_id.data = str(deliverable.responsible_id or "")
    form.version.data = deliverable.version
    return render("contracts/deliverable_edit.html", "contracts/_deliverable_form.html", contract=contract,
                  deliverable=deliverable, form=form)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>", methods=["POST"])
def update_deliverable(contract_id: int, deliverable_id: int):
    """Save a deliverable (409 with the input kept if someone saved first)."""
    contract = _contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    form = DeliverableForm(kinds=service.kinds(include_inactive=True))
    if form.validate_on_submit() and _check_deliverable(form, contract):
        try:
            service.update_deliverable(
                deliverable, version=int(form.version.data or 0), actor_id=current_user().id,
                kind_id=int(form.kind_id.data), details=form.details.data, due_on=form.due_on.data,
                responsible_id=int(form.responsible_id.data) if form.responsible_id.data else None,
                department=form.department.data or None, value_share=form.value_share.data, status=form.status.data,
                proof_url=form.proof_url.data or None)
        except EditConflict:
            db.session.expire_all()
            deliverable = _deliverable_or_404(contract, deliverable_id)
            form.fail(_("Someone changed this deliverable while you were editing. Your changes are below and were "
                        "not saved; save again to keep them."))
            form.version.data = deliverable.version
            return render("contracts/deliverable_edit.html", "contracts/_deliverable_form.html", status=409,
                          contract=contract, deliverable=deliverable, form=form)
        flash(_("The deliverable is saved."), "success")
        return redirect(url_for("contracts.show", contract_id=contract.id) + "#deliverables", 303)
    return render("contracts/deliverable_edit.html", "contracts/_deliverable_form.html", status=422,
                  contract=contract, deliverable=deliverable, form=form)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/delete", methods=["POST"])
def delete_deliverable(contract_id: int, deliverable_id: int):
    """Remove a deliverable."""
    contract = _contract_or_404(contract_id)
    service.delete_deliverable(_deliverable_or_404(contract, deliverable_id), actor_id=current_user().id)
    flash(_("The deliverable is removed."), "success")
    return redirect(url_for("contracts.show", contract_id=contract.id) + "#deliverables", 303)


def _file_response(stored):
    # Read whole (uploads are at most a few MB) so no file handle outlives the request.
    data = files.path_of(stored).read_bytes()
    response = send_file(io.BytesIO(data), mimetype=stored.content_type, as_attachment=True,
                         download_name=stored.name, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/proof-file")
def proof_file(contract_id: int, deliverable_id: int):
    """Download a deliverable's proof file."""
    deliverable = _deliverable_or_404(_contract_or_404(contract_id), deliverable_id)
    if deliverable.proof_file is None:
        abort(404)
    return _file_response(deliverable.proof_file)


# --- billing and documents on a contract ---------------------------------------------------------------------


@bp.route("/<int:contract_id>/billing", methods=["POST"])
def add_billing(contract_id: int):
    """Add a billing entry."""
    contract = _contract_or_404(contract_id)
    form = BillingForm()
    if form.validate_on_submit():
        service.add_billing_entry(contract, amount=Money(form.amount.data, form.currency.data), due_on=form.due_on.data,
                                  note=form.note.data or None, actor_id=current_user().id)
        db.session.commit()
        if not wants_fragment():
            return redirect(url_for("contracts.show", contract_id=contract.id) + "#billing", 303)
        return render("contracts/show.html", "contracts/_billing.html", **_show_context(contract))
    return render("contracts/show.html", "contracts/_billing.html", status=422, **_show_context(contract, billing_form=form))


@bp.route("/<int:contract_id>/billing/<int:entry_id>/invoice", methods=["POST"])
def invoice_billing(contract_id: int, entry_id: int):
    """Mark a billing entry invoiced, with the invoice number."""
    contract = _contract_or_404(contract_id)
    entry = service.get_billing_entry(contract, entry_id)
    if entry is None:
        abort(404)
    form = InvoiceForm()
    if not form.validate_on_submit():
        flash(_("Give the invoice number."), "error")
        return redirect(url_for("contracts.show", contract_id=contract.id) + "#billing", 303)
    service.mark_invoiced(entry, invoice_ref=form.invoice_ref.data, on=date.today(), actor_id=current_user().id)
    db.session.commit()
    if wants_fragment():
        return render("contracts/show.html", "contracts/_billing.html", **_show_context(contract))
    return redirect(url_for("contracts.show", contract_id=contract.id) + "#billing", 303)


@bp.route("/<int:contract_id>/documents", methods=["POST"])
def add_document(contract_id: int):
    """Attach a link or a file to the contract."""
    contract = _contract_or_404(contract_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        file_id = None
        if upload is not None and getattr(upload, "filename", ""):
            try:
                file_id = files.store(upload, current_user().id).id
            except files.UploadError as exc:
                form.file.errors = [str(exc.args[0])]
        if not form.file.errors:
            if file_id is None and not form.url.data:
                form.url.errors = [_("Give a link or choose a file.")]
            else:
                service.add_document(contract, label=form.label.data, url=form.url.data or None, file_id=file_id,
                                     actor_id=current_user().id)
                db.session.commit()
                return redirect(url_for("contracts.show", contract_id=contract.id) + "#documents", 303)
    db.session.rollback()
    return render("contracts/show.html", "contracts/_documents.html", status=422,
                  **_show_context(contract, document_form=form))


@bp.route("/<int:contract_id>/documents/<int:document_id>")
def document(contract_id: int, document_id: int):
    """Download a contract's file."""
    document = service.get_document(_contract_or_404(contract_id), document_id)
    if document is None or document.file is None:
        abort(404)
    return _file_response(document.file)


# --- numbering and kinds, for admins ----------------------------------------------------------------------


@bp.route("/settings")
@requires(*ADMINS)
def settings():
    """Contract numbering, reminder days and deliverable kinds."""
    from .forms import KindForm, NumberingForm

    settings = service.contract_settings()
    db.session.commit()
    form = NumberingForm(formdata=None, obj=settings)
    return render("contracts/settings.html", "contracts/_settings.html", form=form, kind_form=KindForm(formdata=None),
                  kinds=service.kinds(include_inactive=True), example=service.format_number(settings, 42, date.today()))


@bp.route("/settings", methods=["POST"])
@requires(*ADMINS)
def update_settings():
    """Save numbering and reminder days."""
    from .forms import KindForm, NumberingForm

    settings = service.contract_settings()
    form = NumberingForm()
    if form.validate_on_submit():
        service.update_settings(settings, number_prefix=form.number_prefix.data, number_digits=form.number_digits.data,
                                reminder_days=form.reminder_days.data, actor_id=current_user().id)
        flash(_("The contract settings are saved."), "success")
        return redirect(url_for("contracts.settings"), 303)
    return render("contracts/settings.html", "contracts/_settings.html", status=422, form=form,
                  kind_form=KindForm(formdata=None), kinds=service.kinds(include_inactive=True),
                  example=service.format_number(settings, 42, date.today()))


@bp.route("/settings/kinds", methods=["POST"])
@requires(*ADMINS)
def add_kind():
    """Add a deliverable kind of the tenant's own."""
    from .forms import KindForm, NumberingForm

    form = KindForm()
    if form.validate_on_submit():
        service.add_kind(form.name.data, actor_id=current_user().id)
        flash(_("%(name)s is added to the deliverable kinds.", name=form.name.data), "success")
        return redirect(url_for("contracts.settings"), 303)
    settings = service.contract_settings()
    return render("contracts/settings.html", "contracts/_settings.html", status=422,
                  form=NumberingForm(formdata=None, obj=settings), kind_form=form,
                  kinds=service.kinds(include_inactive=True), example=service.format_number(settings, 42, date.today()))


@bp.route("/settings/kinds/<int:kind_id>/toggle", methods=["POST"])
@requires(*ADMINS)
def toggle_kind(kind_id: int):
    """Retire a kind (existing deliverables keep it) or bring it back."""
    if not service.toggle_kind(kind_id, actor_id=current_user().id):
        abort(404)
    return redirect(url_for("contracts.settings"), 303)


@bp.app_template_filter("contract_status")
def _status_label(status: str) -> str:
    from .forms import STATUS_LABELS

    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global("status_badge")
def _status_badge(status: str):
    from markupsafe import Markup, escape

    return Markup('<span class="badge status-{0}">{1}</span>').format(escape(status), _status_label(status))


@bp.app_template_filter("deliverable_status")
def _deliverable_status_label(status: str) -> str:
    from .forms import DELIVERABLE_STATUS_LABELS

    return str(DELIVERABLE_STATUS_LABELS.get(status, status))


@bp.app_template_filter("kind_label")
def _kind_label(kind) -> str:
    from .forms import kind_label

    return kind_label(kind)


@bp.app_template_global("deliverable_statuses")
def _deliverable_statuses():
    from .forms import DELIVERABLE_STATUS_LABELS

    return list(DELIVERABLE_STATUS_LABELS.items())


@bp.app_template_global("contract_statuses")
def _contract_statuses():
    from .forms import STATUS_LABELS

    return list(STATUS_LABELS.items())
