"""Deliverables: the week's list across contracts, and each contract's deliverables (added, changed in place,
proven, edited, removed) under the contract's address, and the kinds admins keep."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from tenants.auth import current_user
from tenants.db import EditConflict, db
from tenants.models import ADMINS, SEES_ALL, STAFF, Role
from tenants.resolve import TenantBlueprint, current_role, requires

from ..contracts.routes import contract_or_404, file_response, settings_page, show_page
from ..files import service as files
from ..forms import errors_of, member_people
from ..home.firstrun import Step
from ..htmx import announce, form_part, render, wants_fragment
from ..links import fast_url_for
from ..row_cache import kept
from . import service
from .forms import (
    ANY_STATUS,
    OPEN_STATUSES,
    PERIOD_LABELS,
    DeliverableForm,
    KindForm,
    ListFilterForm,
    ProofForm,
    StatusForm,
)
from .models import DELIVERABLE_STATUS_LABELS

bp = TenantBlueprint("deliverables", __name__, roles=STAFF)
ON_CONTRACT = "/contracts"  # a contract's deliverables live under the contract's address


LIST_ARGS = ("due_from", "due_to", "period", "kind", "responsible", "status", "scope", "after")


def _list_filters(kinds, today: date) -> tuple[ListFilterForm, service.ListFilters]:
    """The list's filters from the URL. Without dates, the period's (overdue and the next 4 weeks by default);
    what cannot be read is left out of the list and marked on the form, never a 500."""
    args = request.args
    defaults: dict = {"status": OPEN_STATUSES}
    period_unknown = False
    if "due_from" not in args and "due_to" not in args:
        period = args.get("period") or service.DEFAULT_PERIOD
        period_unknown = period not in service.PERIODS
        defaults["due_from"], defaults["due_to"] = service.PERIODS[
            service.DEFAULT_PERIOD if period_unknown else period](today)
    if "responsible" not in args:
        # Reps see their own by default; `scope` is what the list's links said before it had filters.
        scope = args.get("scope") or ("mine" if current_role() == Role.rep else "all")
        defaults["responsible"] = service.MINE if scope == "mine" else ""
    form = ListFilterForm(args, kinds=kinds, **defaults)
    form.validate()
    due_from, due_to = form.value("due_from"), form.value("due_to")
    if due_from and due_to and due_to < due_from:
        form.due_to.errors = [_("Choose a day on or after the start.")]
        due_to = None
    if period_unknown or any(field.errors for field in form):
        form.fail(_("Some filters could not be read and are left out of the list."))
    responsible = form.value("responsible") or None
    if responsible not in (None, service.MINE, service.NOBODY):
        responsible = int(responsible)
    status = form.value("status") or OPEN_STATUSES
    statuses = {OPEN_STATUSES: service.OPEN, ANY_STATUS: ()}.get(status, (status,))
    return form, service.ListFilters(due_from=due_from, due_to=due_to, kind_id=form.value("kind"),
                                     responsible=responsible, statuses=statuses)


def _period_url(form: ListFilterForm, period: str) -> str:
    """The list over a quick range, with the other filters as they are (six a page: each built once for the process,
    web.links.fast_url_for)."""
    return fast_url_for("deliverables.index", period=period, kind=form.value("kind") or "",
                   responsible=form.value("responsible") or "", status=form.value("status") or OPEN_STATUSES)


def _periods(form: ListFilterForm, filters: service.ListFilters, today: date) -> list[dict]:
    """The quick ranges as links, the one shown marked."""
    return [{"label": label, "url": _period_url(form, key),
             "current": service.PERIODS[key](today) == (filters.due_from, filters.due_to)}
            for key, label in PERIOD_LABELS.items()]


class _FiltersPart(NamedTuple):
    filters: service.ListFilters
    periods: list
    overdue_url: str
    html: Markup


def _filters_part(kinds, today: date) -> _FiltersPart:
    """The filter form's reading of the URL and its HTML, worked out once (web.row_cache.kept) for everything they
    depend on besides the reader: the kind of reader (a rep's default is their own), the day (the periods' dates),
    what the URL asks and the kinds and people the form offers. Building, checking and rendering the WTForms form was
    a fifth of the list's cost on every view; the same URL read again (the list after each status change) reuses
    it."""
    key = (current_role(), today,
           tuple(sorted((k, v) for k, v in request.args.items(multi=True) if k in LIST_ARGS and k != "after")),
           tuple((k.id, k.key, k.name, k.active) for k in kinds), tuple(member_people(STAFF)))

    def make() -> _FiltersPart:
        form, filters = _list_filters(kinds, today)
        return _FiltersPart(filters, _periods(form, filters, today), _period_url(form, "overdue"),
                            Markup(render_template("deliverables/_filters.html", form=form)))

    return kept("deliverables/_filters.html", key, make)


@bp.route("")
def index():
    """Deliverables due in a range (overdue and the next 4 weeks unless asked), filtered by kind, person and
    status, overdue first, a keyset page at a time."""
    today = date.today()
    part = _filters_part(service.kinds(include_inactive=True), today)
    filters = part.filters
    page = service.list_page(current_user(), current_role(), filters, today=today, after=request.args.get("after"))
    counts = service.list_counts(current_user(), current_role(), filters, today=today)
    args = {k: v for k, v in request.args.items() if k in LIST_ARGS and k != "after"}
    return render("deliverables/index.html", "deliverables/_list.html", filters_html=part.html, filters=filters,
                  page=page, overdue=[d for d in page.rows if d.is_overdue(today)],
                  others=[d for d in page.rows if not d.is_overdue(today)], counts=counts, today=today,
                  periods=part.periods, args=args, list_query=urlencode(args), overdue_url=part.overdue_url)


def contract_panel(contract, deliverable_form=None, **_overrides):
    """The contract page's deliverables; the form to add one only when given (else it is loaded when opened)."""
    return "deliverables/_contract.html", {"deliverables": service.rows_of(contract), "form": deliverable_form}


def _blank_form(contract) -> DeliverableForm:
    # Whoever coordinates the contract is responsible unless someone says otherwise; the kind is a choice.
    return DeliverableForm(formdata=None, kinds=service.kinds(), status="planned",
                           responsible_id=contract.coordinator_id or current_user().id)


@bp.route("/<int:contract_id>/deliverables/new", segment=ON_CONTRACT)
def new(contract_id: int):
    """The form to add a deliverable, asked for when the contract page's "Add a deliverable" is opened."""
    contract = contract_or_404(contract_id)
    form = _blank_form(contract)
    return form_part("deliverables/_add_form.html", lambda: show_page(contract, deliverable_form=form),
                     contract=contract, form=form)


def home_panel(**_overrides):
    """Home: the signed-in person's deliverables overdue or due this week."""
    if current_role() not in STAFF:
        return None
    today = date.today()
    rows = service.due_deliverables(current_user(), current_role(), today=today, mine=True, limit=8)
    return "deliverables/_panel.html", {"rows": rows, "today": today}


def first_step() -> Step:
    """The first run: list what a contract promised (added on the contract's page)."""
    return Step(50, _("List what a contract promised"),
                _("On a contract's page, add each ad, banner, discount or booth, who delivers it and by when."),
                "contracts.index", SEES_ALL, done=service.any_deliverable)


def kinds_panel(kind_form=None, **_overrides):
    """The contract settings' deliverable kinds."""
    return "deliverables/_kinds.html", {"kinds": service.kinds(include_inactive=True),
                                        "kind_form": kind_form or KindForm(formdata=None)}


def _deliverable_or_404(contract, deliverable_id: int):
    deliverable = service.get_deliverable(contract, deliverable_id)
    if deliverable is None:
        abort(404)
    return deliverable


def _check_share(form: DeliverableForm, contract) -> bool:
    if form.value_share.data is not None and form.value_share.data > contract.value_amount:
        form.value_share.errors = [_("The share cannot be more than the contract's value (%(value)s).",
                                     value=str(contract.value))]
        return False
    return True


def _list_query() -> str | None:
    """The deliverables list's own query string when a row's form was sent from that list, else None."""
    return request.form.get("in_list")


def _back(contract, deliverable_id: int | None = None):
    """Back where the change was made: the deliverables list with its filters, or the contract's page."""
    query = _list_query()
    if query is not None:
        args = {k: v for k, v in parse_qsl(query) if k in LIST_ARGS}  # rebuilt by url_for: never off the site
        anchor = f"#deliverable-{deliverable_id}" if deliverable_id else ""
        return redirect(url_for("deliverables.index", **args) + anchor, 303)
    return redirect(url_for("contracts.show", contract_id=contract.id) + "#deliverables", 303)


def _confirm(message: str) -> None:
    """Say what an action did: in the page's live region after an in-place change, as a flash after a post."""
    if wants_fragment():
        announce(message)
    else:
        flash(message, "success")


@bp.route("/<int:contract_id>/deliverables", methods=["POST"], segment=ON_CONTRACT)
def create(contract_id: int):
    """Add a deliverable to the contract."""
    contract = contract_or_404(contract_id)
    kinds = service.kinds()
    form = DeliverableForm(kinds=kinds)
    if form.validate_on_submit() and _check_share(form, contract):
        service.add_deliverable(
            contract, kind=next(k for k in kinds if k.id == form.kind_id.data), details=form.details.data,
            due_on=form.due_on.data, responsible_id=form.responsible_id.data,
            department=form.department.data or None, value_share=form.value_share.data, status=form.status.data,
            actor_id=current_user().id)
        db.session.commit()
        _confirm(_("The deliverable is added."))
        if not wants_fragment():
            return _back(contract)
        return show_page(contract, "deliverables/_contract.html")
    return show_page(contract, "deliverables/_contract.html", 422, deliverable_form=form)


def _row(contract, deliverable, status: int = 200, **ctx):
    """One deliverable's row, alone: what an in-place change swaps."""
    return render_template("deliverables/_row.html", d=deliverable, contract=contract, today=date.today(),
                           list_query=_list_query(), **ctx), status, {"Vary": "HX-Request"}


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/status", methods=["POST"], segment=ON_CONTRACT)
def update_status(contract_id: int, deliverable_id: int):
    """Change a deliverable's status in place (htmx swaps the row)."""
    contract = contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    form = StatusForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            service.update_deliverable(deliverable, version=form.version.data, actor_id=current_user().id,
                                       status=form.status.data)
            deliverable = _deliverable_or_404(contract, deliverable_id)  # reloaded whole, in one statement
            _confirm(_("Status of “%(what)s” saved: %(status)s.", what=deliverable.details,
                       status=DELIVERABLE_STATUS_LABELS.get(deliverable.status, deliverable.status)))
        except EditConflict:
            db.session.expire_all()
            deliverable = _deliverable_or_404(contract, deliverable_id)
            error, status = _("Someone changed this deliverable a moment ago; it now shows their version."), 409
    else:
        error, status = form.form_error or errors_of(form.status) or _("Choose one of the options."), 422
    if status == 200 and not wants_fragment():
        return _back(contract, deliverable.id)
    if not wants_fragment():
        flash(error, "error")
        return show_page(contract, "deliverables/_contract.html", status)
    return _row(contract, deliverable, status, row_error=error)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/proof", segment=ON_CONTRACT)
def proof_form(contract_id: int, deliverable_id: int):
    """The form to attach proof, asked for when a row's "Add proof" is opened (htmx), or on a page of its own without
    JavaScript. `in_list`: the deliverables list's query, when asked from that list (the form goes back there)."""
    contract = contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    list_query = request.args.get("in_list")
    if wants_fragment():
        return render_template("deliverables/_proof_form.html", d=deliverable, list_query=list_query)
    return render_template("deliverables/proof.html", d=deliverable, contract=contract, list_query=list_query)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/proof", methods=["POST"], segment=ON_CONTRACT)
def add_proof(contract_id: int, deliverable_id: int):
    """Attach proof of delivery: a link, or a file (size and type checked)."""
    contract = contract_or_404(contract_id)
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
            service.update_deliverable(deliverable, version=deliverable.version, actor_id=current_user().id, **values)
            deliverable = _deliverable_or_404(contract, deliverable_id)
            _confirm(_("The proof of “%(what)s” is saved.", what=deliverable.details))
    else:
        error = errors_of(form.proof_url, form.proof_file) or form.form_error or _("Give a link or choose a file.")
    if error:
        db.session.rollback()
        deliverable = _deliverable_or_404(contract, deliverable_id)
    if error is None and not wants_fragment():
        return _back(contract, deliverable.id)
    if not wants_fragment():
        flash(error, "error")
        return show_page(contract, "deliverables/_contract.html", 422)
    return _row(contract, deliverable, 422 if error else 200, row_error=error, proof_form=form if error else None)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/edit", segment=ON_CONTRACT)
def edit(contract_id: int, deliverable_id: int):
    """Edit a deliverable in full."""
    contract = contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    form = DeliverableForm(formdata=None, obj=deliverable, kinds=service.kinds(include_inactive=True))
    form.version.data = deliverable.version
    return render("deliverables/edit.html", "deliverables/_form.html", contract=contract, deliverable=deliverable,
                  form=form)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>", methods=["POST"], segment=ON_CONTRACT)
def update(contract_id: int, deliverable_id: int):
    """Save a deliverable (409 with the input kept if someone saved first)."""
    contract = contract_or_404(contract_id)
    deliverable = _deliverable_or_404(contract, deliverable_id)
    form = DeliverableForm(kinds=service.kinds(include_inactive=True))
    if form.validate_on_submit() and _check_share(form, contract):
        try:
            service.update_deliverable(
                deliverable, version=form.version.data, actor_id=current_user().id,
                kind_id=form.kind_id.data, details=form.details.data, due_on=form.due_on.data,
                responsible_id=form.responsible_id.data,
                department=form.department.data or None, value_share=form.value_share.data, status=form.status.data,
                proof_url=form.proof_url.data or None)
        except EditConflict:
            db.session.expire_all()
            deliverable = _deliverable_or_404(contract, deliverable_id)
            form.fail(_("Someone changed this deliverable while you were editing. Your changes are below and were "
                        "not saved; save again to keep them."))
            form.version.data = deliverable.version
            return render("deliverables/edit.html", "deliverables/_form.html", status=409, contract=contract,
                          deliverable=deliverable, form=form)
        flash(_("The deliverable is saved."), "success")
        return _back(contract)
    return render("deliverables/edit.html", "deliverables/_form.html", status=422, contract=contract,
                  deliverable=deliverable, form=form)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/delete", methods=["POST"], segment=ON_CONTRACT)
def delete(contract_id: int, deliverable_id: int):
    """Remove a deliverable."""
    contract = contract_or_404(contract_id)
    service.delete_deliverable(_deliverable_or_404(contract, deliverable_id), actor_id=current_user().id)
    flash(_("The deliverable is removed."), "success")
    return _back(contract)


@bp.route("/<int:contract_id>/deliverables/<int:deliverable_id>/proof-file", segment=ON_CONTRACT)
def proof_file(contract_id: int, deliverable_id: int):
    """Download a deliverable's proof file."""
    deliverable = _deliverable_or_404(contract_or_404(contract_id), deliverable_id)
    if deliverable.proof_file is None:
        abort(404)
    return file_response(deliverable.proof_file)


# --- kinds, for admins ------------------------------------------------------------------------------------


@bp.route("/settings/kinds", methods=["POST"], segment=ON_CONTRACT)
@requires(*ADMINS)
def add_kind():
    """Add a deliverable kind of the tenant's own."""
    form = KindForm()
    if form.validate_on_submit():
        service.add_kind(form.name.data, actor_id=current_user().id)
        flash(_("%(name)s is added to the deliverable kinds.", name=form.name.data), "success")
        return redirect(url_for("contracts.settings"), 303)
    return settings_page(status=422, kind_form=form)


@bp.route("/settings/kinds/<int:kind_id>/toggle", methods=["POST"], segment=ON_CONTRACT)
@requires(*ADMINS)
def toggle_kind(kind_id: int):
    """Retire a kind (existing deliverables keep it) or bring it back."""
    if not service.toggle_kind(kind_id, actor_id=current_user().id):
        abort(404)
    return redirect(url_for("contracts.settings"), 303)
