"""Contracts: the list with its converted total, drafting, editing, signing, cancelling, documents, and one
contract's page, where deliverables, billing and renewal add their panels."""
from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants.auth import current_user
from tenants.db import EditConflict, commit, db
from tenants.models import ADMINS, SEES_ALL, SELLERS, STAFF, Role
from tenants.resolve import TenantBlueprint, current_role, requires

from ..accounts.service import get_account, search
from ..features import panels
from ..files import service as files
from ..forms import record_id
from ..home.firstrun import Step
from ..htmx import form_part, render, wants_fragment
from ..rates.routes import rate_problem
from ..rates.service import current_book
from ..row_cache import kept_part
from ..templating import reader_currency
from . import service
from .forms import ContractForm, DocumentForm, NumberingForm, SignForm, people
from .models import Status

bp = TenantBlueprint("contracts", __name__, roles=STAFF)


def first_step() -> Step:
    """The first run: add a contract."""
    return Step(40, _("Add a contract"),
                _("What an account bought, for how much in any currency, and when it ends: renewal reminders and "
                  "billing follow from it."),
                "contracts.new", SEES_ALL, done=service.any_contract)


def contract_or_404(contract_id: int):
    """A contract the reader may see (reps: their own), with account and people loaded; 404 otherwise."""
    contract = service.get_visible(contract_id, current_user(), current_role())
    if contract is None:
        abort(404)
    return contract


def _data(form: ContractForm) -> service.ContractData:
    return service.ContractData(
        account_id=form.account_id.data, owner_id=form.owner_id.data, coordinator_id=form.coordinator_id.data,
        title=form.title.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        value=Money(form.value_amount.data, form.value_currency.data), auto_renew=form.auto_renew.data,
        notice_days=form.notice_days.data, notes=form.notes.data or None,
    )


def _check_people(form: ContractForm) -> bool:
    """The account must be one of ours, and a rep may only make contracts of their own."""
    ok = True
    if form.account_id.data is not None and get_account(form.account_id.data) is None:
        form.account_id.errors = [_("Choose the account this contract is with.")]
        ok = False
    # The owner and coordinator lists hold only this tenant's people (the form checks the choice).
    if current_role() == Role.rep and form.owner_id.data != current_user().id:
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
        owner_id=args.get("owner", type=record_id), account_id=args.get("account", type=record_id),
        country=args.get("country") or None, ends_from=_date_arg("ends_from"), ends_to=_date_arg("ends_to"),
    )


def _list_args() -> dict:
    return {k: v for k, v in request.args.items() if k != "after"}


@bp.route("")
def index():
    """Contracts by end date, filtered and searched as you type, a keyset page at a time, with a converted total."""
    filters = _filters()
    page = service.list_page(current_user(), current_role(), filters, after=request.args.get("after"))
    bar = None
    if not wants_fragment():
        # Rendered once per filters chosen and reps offered, for each reader's language and workspace.
        reps = people(SELLERS)
        bar = kept_part("contracts/_filters.html", (tuple(sorted(vars(filters).items())), tuple(reps)),
                        filters=filters, reps=reps)
    return render("contracts/index.html", "contracts/_table.html", contracts=page.rows, page=page, filters=filters,
                  today=date.today(), filter_bar=bar, args=_list_args())


@bp.route("/total")
def total():
    """The filtered list's converted total: fetched by the list after it shows, so a long list never waits for it."""
    total, count = service.list_total(current_user(), current_role(), _filters(), reader_currency())
    return render("contracts/total.html", "contracts/_total.html", total=total, count=count, args=_list_args())


# --- creating and editing -------------------------------------------------------------------------------


@bp.route("/new")
def new():
    """The new contract form (usually opened from an account)."""
    account = get_account(request.args.get("account_id", type=record_id) or 0)
    today = date.today()
    # The creator where they fit the role, nobody otherwise: a coordinator's contract must not silently go to
    # the first manager in the list (reminders and bonuses follow the sales rep).
    me, role = current_user(), current_role()
    form = ContractForm(formdata=None, account_id=account.id if account else "", starts_on=today,
                        ends_on=service.default_end(today), notice_days=60,
                        value_currency=(account.currency if account and account.currency else g.tenant.base_currency),
                        owner_id=me.id if role in SELLERS else None,
                        coordinator_id=me.id if role == Role.coordinator else None)
    return render("contracts/new.html", "contracts/_form.html", form=form, contract=None, account=account)


@bp.route("", methods=["POST"])
def create():
    """Create a contract: a draft, or active at once when the signing date is given."""
    form = ContractForm()
    valid = form.validate_on_submit()
    valid = _check_people(form) and valid
    account = get_account(form.account_id.data) if form.account_id.data is not None else None
    if valid:
        try:
            contract = service.create_contract(g.tenant, _data(form), actor_id=current_user().id,
                                               signed_on=form.signed_on.data)
            commit()
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
    contract = contract_or_404(contract_id)
    form = ContractForm(formdata=None, obj=contract)
    form.version.data = contract.version
    return render("contracts/edit.html", "contracts/_form.html", form=form, contract=contract, account=contract.account)


@bp.route("/<int:contract_id>", methods=["POST"])
def update(contract_id: int):
    """Save the contract, unless someone saved it since this form was opened: then 409, input kept."""
    contract = contract_or_404(contract_id)
    form = ContractForm()
    valid = form.validate_on_submit()
    valid = _check_people(form) and valid
    if valid:
        try:
            service.update_contract(contract, g.tenant, _data(form), version=form.version.data,
                                    actor_id=current_user().id)
        except EditConflict:
            db.session.expire_all()
            contract = contract_or_404(contract_id)
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
    chosen = get_account(request.args.get("account_id", type=record_id) or 0)
    q = (request.args.get("account_q") or "").strip()
    matches = search(q, limit=8).rows if q and chosen is None else []
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


def show_page(contract, fragment: str = "contracts/_facts.html", status: int = 200, **overrides):
    """The contract's page (or one fragment of it for htmx): its facts, then every feature's panel.

    `overrides` replace a panel's defaults, e.g. a form with the errors of what was just posted.
    """
    floating, floating_problem = _floating(contract)
    ctx = {
        "contract": contract,
        "documents": service.documents_of(contract),
        "history": service.history(contract),
        "floating": floating,
        "floating_problem": floating_problem,
        "today": date.today(),
        "document_form": None,  # left out until asked for (new_document)
        "sign_form": SignForm(formdata=None, signed_on=date.today()) if contract.status == Status.draft.value else None,
    }
    ctx.update({k: v for k, v in overrides.items() if k in ctx})
    ctx["contract_panels"] = panels("contract", contract, **overrides)
    # A panel's fragment, swapped alone, reads its context as the page's loop would give it.
    ctx["panel"] = next((panel for template, panel in ctx["contract_panels"] if template == fragment), {})
    return render("contracts/show.html", fragment, status=status, also=("audit/_history.html",), **ctx)


@bp.route("/<int:contract_id>")
def show(contract_id: int):
    """Everything about a contract on one page."""
    return show_page(contract_or_404(contract_id))


@bp.route("/<int:contract_id>/sign", methods=["POST"])
def sign(contract_id: int):
    """Sign a draft: it becomes active and its value is locked at that day's rate."""
    contract = contract_or_404(contract_id)
    form = SignForm()
    if contract.status != Status.draft.value:
        form.signed_on.errors = [_("Only a draft can be signed.")]
    elif form.validate_on_submit():
        try:
            service.sign(contract, g.tenant, form.signed_on.data, actor_id=current_user().id)
            commit()
        except RateUnavailable as exc:
            db.session.rollback()
            contract = contract_or_404(contract_id)
            form.signed_on.errors = [rate_problem(exc)]
        else:
            flash(_("%(number)s is signed and active.", number=contract.number), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id), 303)
    return show_page(contract, "contracts/_sign.html", 422, sign_form=form)


@bp.route("/<int:contract_id>/cancel", methods=["POST"])
def cancel(contract_id: int):
    """Cancel a contract (its history stays)."""
    contract = contract_or_404(contract_id)
    if contract.status in (Status.cancelled.value, Status.renewed.value):
        abort(409)
    service.cancel(contract, actor_id=current_user().id)
    db.session.commit()
    flash(_("%(number)s is cancelled.", number=contract.number), "success")
    return redirect(url_for("contracts.show", contract_id=contract.id), 303)


# --- documents -------------------------------------------------------------------------------------------------


def file_response(stored):
    """An uploaded file as a download that can never run in the page (attachment, sandboxed)."""
    # Read whole (uploads are at most a few MB) so no file handle outlives the request.
    data = files.path_of(stored).read_bytes()
    response = send_file(io.BytesIO(data), mimetype=stored.content_type, as_attachment=True,
                         download_name=stored.name, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/<int:contract_id>/documents/new")
def new_document(contract_id: int):
    """The form to attach a document, asked for when the contract page's "Attach" is opened."""
    contract = contract_or_404(contract_id)
    form = DocumentForm(formdata=None)
    return form_part("contracts/_add_document.html", lambda: show_page(contract, document_form=form),
                     contract=contract, form=form)


@bp.route("/<int:contract_id>/documents", methods=["POST"])
def add_document(contract_id: int):
    """Attach a link or a file to the contract."""
    contract = contract_or_404(contract_id)
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
    return show_page(contract, "contracts/_documents.html", 422, document_form=form)


@bp.route("/<int:contract_id>/documents/<int:document_id>")
def document(contract_id: int, document_id: int):
    """Download a contract's file."""
    document = service.get_document(contract_or_404(contract_id), document_id)
    if document is None or document.file is None:
        abort(404)
    return file_response(document.file)


# --- numbering, for admins (other features add their settings to the page) ------------------------------------


def settings_page(form=None, status: int = 200, **overrides):
    """The contract settings page: numbering and reminders, then what other features set here."""
    settings = service.contract_settings()
    db.session.commit()
    return render("contracts/settings.html", "contracts/_settings.html", status=status,
                  form=form or NumberingForm(formdata=None, obj=settings),
                  example=service.format_number(settings, 42, date.today()),
                  settings_panels=panels("contract_settings", **overrides))


@bp.route("/settings")
@requires(*ADMINS)
def settings():
    """Contract numbering and reminder days, and what other features set for contracts."""
    return settings_page()


@bp.route("/settings", methods=["POST"])
@requires(*ADMINS)
def update_settings():
    """Save numbering and reminder days."""
    form = NumberingForm()
    if form.validate_on_submit():
        service.update_settings(service.contract_settings(), number_prefix=form.number_prefix.data,
                                number_digits=form.number_digits.data, reminder_days=form.reminder_days.data,
                                actor_id=current_user().id)
        flash(_("The contract settings are saved."), "success")
        return redirect(url_for("contracts.settings"), 303)
    return settings_page(form, 422)


def account_panel(account, **_overrides):
    """On an account's page: its contracts the reader may see, a page at a time (?contracts_after= the next)."""
    return "contracts/_account.html", {
        "page": service.contracts_of_account(account, current_user(), current_role(),
                                             after=request.args.get("contracts_after")), "account_id": account.id}
