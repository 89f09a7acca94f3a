"""Leads: the list (search as you type), the board (one-click moves), a lead's page (other features add their
panels: answers, activities), hand-off to a rep, acceptance or return, conversion, and the CSV export."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from i18n.locales import is_country
from i18n.money import Money
from tenants.auth import current_user
from tenants.db import EditConflict, commit, db
from tenants.models import STAFF
from tenants.resolve import TenantBlueprint, current_role

from ..accounts.service import get_account
from ..exports import csv_response
from ..features import hooks, panels
from ..forms import member_people, members, record_id
from ..home.firstrun import Step
from ..htmx import confirm, form_part, hx_redirect, render, wants_fragment
from ..locale_context import texts
from ..row_cache import kept_part
from ..templating import reader_currency
from . import conversion, handoffs, service
from .forms import ConvertForm, DisqualifyForm, HandoffForm, LeadForm, ReturnForm, default_term
from .models import SOURCE_LABELS, SOURCES, STATUS_LABELS, STATUSES, Lead, Status
from .service import LeadError

bp = TenantBlueprint("leads", __name__, roles=STAFF)


def people():
    """The workspace's staff, for owner and assignee lists (one query per request)."""
    return members(STAFF)


def status_label(value: str) -> str:
    """A status in the reader's words, from the labels translated once a request (every card shows two)."""
    return texts(STATUS_LABELS).get(value, value)


def source_label(value: str) -> str:
    return texts(SOURCE_LABELS).get(value, value)


def _filters() -> service.Filters:
    """The list's filters from the address; values that are not ours are ignored, never an error."""
    args = request.args
    status = args.get("status") if args.get("status") in STATUSES else None
    source = args.get("source") if args.get("source") in SOURCES else None
    country = args.get("country") if is_country(args.get("country")) else None
    return service.Filters(q=(args.get("q") or "").strip()[:100] or None, status=status, source=source,
                           owner_id=args.get("owner", type=record_id), country=country,
                           tag=(args.get("tag") or "").strip().lower()[:40] or None)


def lead_or_404(lead_id: int, *, related: bool = True) -> Lead:
    """A lead the reader may see (reps: their own or handed to them); 404 otherwise."""
    lead = service.get_visible(lead_id, current_user(), current_role(), related=related)
    if lead is None:
        abort(404)
    return lead


def _list_context(filters: service.Filters) -> dict:
    me, role = current_user(), current_role()
    page = service.list_page(me, role, filters, after=request.args.get("after"))
    count, pipeline = service.count_and_pipeline(me, role, filters, reader_currency(), date.today())
    return {"leads": page.rows, "page": page, "filters": filters, "args": filters.args(), "count": count,
            "pipeline": pipeline}


def _filter_context(filters: service.Filters, endpoint: str, target: str) -> dict:
    """The filter bar of the list or the board, rendered once for the filters chosen and the people offered (a tenth
    of the list's work on every view), and whether the reader may import."""
    people = member_people(STAFF)
    bar = kept_part("leads/_filters.html", (endpoint, target, tuple(sorted(filters.__dict__.items())), tuple(people)),
                    filters=filters, endpoint=endpoint, target=target, people=people, statuses=STATUS_LABELS,
                    sources=SOURCE_LABELS)
    return {"filter_bar": bar, "can_import": current_role() in service.TEES_UP}


@bp.route("")
def index():
    """The leads a person may see, newest first; searching and filtering swap only the list."""
    filters = _filters()
    ctx = _list_context(filters)
    if not wants_fragment():
        ctx.update(_filter_context(filters, "leads.index", "#leads-list"))
    return render("leads/index.html", "leads/_list.html", **ctx)


def _board_context(filters: service.Filters, error: str | None = None) -> dict:
    me, role = current_user(), current_role()
    return {"columns": service.board(me, role, filters), "filters": filters, "args": filters.args(),
            "board_error": error,
            "pipeline": service.pipeline_total(me, role, filters, reader_currency(), date.today())}


@bp.route("/board")
def board():
    """The leads by status, each card one click from the next step."""
    filters = _filters()
    ctx = _board_context(filters)
    if not wants_fragment():
        ctx.update(_filter_context(filters, "leads.board", "#board"))
    return render("leads/board.html", "leads/_board.html", **ctx)


@bp.route("/<int:lead_id>/move", methods=["POST"])
def move(lead_id: int):
    """Move a card to another status (the board's one-click step)."""
    lead = lead_or_404(lead_id, related=False)
    status = request.form.get("status", "")
    error = None
    try:
        service.move(lead, status, actor_id=current_user().id)
        commit()
    except LeadError as exc:
        db.session.rollback()
        error = str(exc)
    except EditConflict:
        error = _("Someone changed this lead meanwhile. The board shows it as it is now.")
    filters = _filters()
    if not error:
        confirm(_("“%(lead)s” is now %(status)s.", lead=lead.title, status=status_label(status).lower()))
    if not wants_fragment():
        if error:
            flash(error, "error")
        target = request.form.get("back")
        return redirect(url_for("leads.show", lead_id=lead.id) if target == "show"
                        else url_for("leads.board", **filters.args()), 303)
    return render("leads/board.html", "leads/_board.html", status=422 if error else 200,
                  **_board_context(filters, error))


@bp.route("/export.csv")
def export():
    """The filtered list as CSV (UTF-8 with a BOM, so spreadsheets read accents right)."""
    filters = _filters()
    header = [_("Id"), _("Company"), _("Contact person"), _("Their role"), _("Email"), _("Phone"), _("Website"),
              _("Country"), _("Language"), _("Source"), _("Status"), _("Reason"), _("Estimated value"), _("Currency"),
              _("Score"), _("Owner"), _("Teed up by"), _("Handed to"), _("Tags"), _("Created on")]

    def rows():
        for batch in service.export_batches(current_user(), current_role(), filters):
            for lead in batch:
                yield (lead.id, lead.company, lead.contact_name, lead.contact_title, lead.email, lead.phone,
                       lead.website, lead.country, lead.language, source_label(lead.source), status_label(lead.status),
                       lead.disqualify_reason, lead.value_amount.normalize() if lead.value_amount is not None else None,
                       lead.value_currency, lead.score, lead.owner.name if lead.owner else "",
                       lead.teed_up_by.name if lead.teed_up_by else "", lead.handed_to.name if lead.handed_to else "",
                       ", ".join(lead.tag_names), lead.created_at.date().isoformat())

    return csv_response(f"leads-{g.tenant.slug}-{date.today().isoformat()}.csv", header, rows())



# --- creating, with duplicates flagged before saving ------------------------------------------------------


def _data(form: LeadForm) -> service.LeadData:
    value = None
    if form.value.data is not None and form.currency.data:
        value = Money(form.value.data, form.currency.data)
    return service.LeadData(
        company=form.company.data or None, contact_name=form.contact_name.data or None,
        contact_title=form.contact_title.data or None, email=form.email.data or None,
        phone=form.phone.data or None, website=form.website.data or None, country=form.country.data or None,
        language=form.language.data or None, source=form.source.data, value=value,
        owner_id=form.owner_id.data, tags=service.parse_tags(form.tags.data),
        notes=form.notes.data or None)


@bp.route("/new")
def new():
    """The new lead form."""
    me = current_user()
    form = LeadForm(formdata=None, people=people(), source="cold_research", owner_id=str(me.id),
                    currency=g.tenant.base_currency)
    return render("leads/new.html", "leads/_form.html", form=form, lead=None, matches=[])


@bp.route("", methods=["POST"])
def create():
    """Create a lead; a possible duplicate is shown first, with the choice to save anyway, open it or merge."""
    form = LeadForm(people=people())
    if not form.validate_on_submit():
        return render("leads/new.html", "leads/_form.html", status=422, form=form, lead=None, matches=[])
    data = _data(form)
    me, role = current_user(), current_role()
    if form.merge_into.data:
        target = service.get_visible(form.merge_into.data, me, role)
        if target is None:
            abort(404)
        filled = service.merge_into(target, data, actor_id=me.id, origin="new lead form")
        commit()
        flash(_("Merged into “%(lead)s”: %(count)d fields filled.", lead=target.title, count=len(filled)), "success")
        return redirect(url_for("leads.show", lead_id=target.id), 303)
    if not form.confirmed.data:
        matches = service.find_duplicates(me, role, company=data.company, email=data.email, website=data.website,
                                          phone=data.phone)
        if matches:
            return render("leads/new.html", "leads/_form.html", status=409, form=form, lead=None, matches=matches)
    account = None
    if form.account_id.data:
        account = get_account(form.account_id.data)
        if account is None:
            abort(404)
    lead = service.create_lead(data, actor_id=me.id, account=account)
    db.session.commit()
    flash(_("“%(lead)s” is added.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead.id), 303)


@bp.route("/duplicates")
def duplicates():
    """As the form is filled in: leads and accounts that look like the same company (a fragment)."""
    args = request.args
    matches = service.find_duplicates(
        current_user(), current_role(), company=(args.get("company") or "")[:200],
        email=(args.get("email") or "")[:254], website=(args.get("website") or "")[:300],
        phone=(args.get("phone") or "")[:40], exclude_id=args.get("lead_id", type=record_id))
    return render("leads/duplicates.html", "leads/_duplicates.html", matches=matches, live=True)


# --- a lead's page --------------------------------------------------------------------------------------------


def summary(lead: Lead, locale: str) -> list:
    """What other features tell about a lead (its qualifying answers), in `locale`: for the hand-off."""
    return [item for hook in hooks("lead_summary") for item in hook(lead, locale)]


def show_page(lead: Lead, fragment: str = "leads/_details.html", status: int = 200, *, disqualify_form=None,
              return_form=None, **overrides):
    """The lead's page (or one fragment of it for htmx), with every feature's panel.

    `overrides` replace a panel's defaults, e.g. the answers typed with the errors found in them.
    """
    me, role = current_user(), current_role()
    ctx = {
        "lead": lead,
        "handoffs": handoffs.handoffs_of(lead),
        # The disqualify form is asked for when opened (disqualify_form); the return form is only the hand-off's rep's.
        "disqualify_form": disqualify_form,
        "history": service.history(lead),
        "moves": service.allowed_moves(lead),
        "can_hand_off": role in service.TEES_UP and lead.status == Status.qualified.value,
        "waiting_for_me": (lead.status == Status.handed_off.value and lead.handed_to_id == me.id
                           and lead.accepted_at is None),
        "can_convert": conversion.can_convert(lead, me, role),
        "lead_panels": panels("lead", lead, **overrides),
    }
    ctx["return_form"] = return_form or (ReturnForm(formdata=None) if ctx["waiting_for_me"] else None)
    ctx["panel"] = next((panel for template, panel in ctx["lead_panels"] if template == fragment), {})
    return render("leads/show.html", fragment, status=status, also=("audit/_history.html",), **ctx)


@bp.route("/<int:lead_id>")
def show(lead_id: int):
    """A lead with what every feature keeps about it, its hand-offs and history."""
    return show_page(lead_or_404(lead_id))


@bp.route("/<int:lead_id>/edit")
def edit(lead_id: int):
    """The edit form."""
    lead = lead_or_404(lead_id)
    values = {name: getattr(lead, name) for name in service.FIELDS if name != "owner_id"}
    form = LeadForm(formdata=None, people=people(), value=lead.value_amount, version=lead.version,
                    currency=lead.value_currency or g.tenant.base_currency, tags=", ".join(lead.tag_names),
                    owner_id=str(lead.owner_id or ""), **values)
    return render("leads/edit.html", "leads/_form.html", form=form, lead=lead, matches=[])


@bp.route("/<int:lead_id>", methods=["POST"])
def update(lead_id: int):
    """Save edits; if someone else saved first, say so and keep what was typed."""
    lead = lead_or_404(lead_id)
    form = LeadForm(people=people())
    if not form.validate_on_submit():
        return render("leads/edit.html", "leads/_form.html", status=422, form=form, lead=lead, matches=[])
    try:
        service.update_lead(lead, _data(form), version=form.version.data, actor_id=current_user().id)
    except EditConflict:
        db.session.rollback()
        form.fail(_("Someone else saved this lead while you were editing. Your changes are below; "
                    "reload the page to see theirs, then apply yours again."))
        return render("leads/edit.html", "leads/_form.html", status=409, form=form, lead=lead, matches=[])
    flash(_("“%(lead)s” is saved.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead.id), 303)


@bp.route("/<int:lead_id>/disqualify")
def disqualify_form(lead_id: int):
    """The form to disqualify a lead, asked for when the lead page's "Disqualify…" is opened (or that page with it
    open, without JavaScript)."""
    lead = lead_or_404(lead_id)
    if lead.status in (Status.converted.value, Status.disqualified.value):  # finished meanwhile: its page says so
        return hx_redirect(url_for("leads.show", lead_id=lead.id))
    form = DisqualifyForm(formdata=None)
    return form_part("leads/_disqualify_form.html", lambda: show_page(lead, disqualify_form=form), lead=lead,
                     form=form)


@bp.route("/<int:lead_id>/disqualify", methods=["POST"])
def disqualify(lead_id: int):
    """Set a lead aside with a reason."""
    lead = lead_or_404(lead_id)
    form = DisqualifyForm()
    if not form.validate_on_submit():
        return show_page(lead, "leads/_disqualify.html", 422, disqualify_form=form)
    try:
        service.disqualify(lead, form.reason.data, actor_id=current_user().id)
        commit()
    except (LeadError, EditConflict) as exc:
        db.session.rollback()
        flash(str(exc) if isinstance(exc, LeadError) else _("Someone changed this lead meanwhile."), "error")
        return redirect(url_for("leads.show", lead_id=lead_id), 303)
    flash(_("“%(lead)s” is disqualified.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead.id), 303)


# --- hand-off ------------------------------------------------------------------------------------------------


@bp.route("/<int:lead_id>/handoff")
def new_handoff(lead_id: int):
    """The hand-off form: a rep and a note; the answers go with it."""
    lead = lead_or_404(lead_id)
    if current_role() not in service.TEES_UP:
        abort(403)
    form = HandoffForm(formdata=None, reps=handoffs.reps(g.tenant))
    return render("leads/handoff.html", "leads/_handoff_form.html", form=form, lead=lead,
                  shown=summary(lead, str(get_locale())))


@bp.route("/<int:lead_id>/handoff", methods=["POST"])
def create_handoff(lead_id: int):
    """Hand a qualified lead to a rep, who is told by email and on their home page."""
    lead = lead_or_404(lead_id)
    if current_role() not in service.TEES_UP:
        abort(403)
    reps = handoffs.reps(g.tenant)
    form = HandoffForm(reps=reps)
    shown = summary(lead, str(get_locale()))
    if form.validate_on_submit():
        rep = next(u for u in reps if u.id == form.rep_id.data)
        try:
            handoffs.hand_off(lead, g.tenant, coordinator=current_user(), rep=rep, note=form.note.data,
                             answers=summary(lead, rep.locale or g.tenant.default_locale))
            commit()
        except LeadError as exc:
            db.session.rollback()
            form.fail(str(exc))
        except EditConflict:
            form.fail(_("Someone changed this lead meanwhile. Reload the page and try again."))
        else:
            flash(_("“%(lead)s” is handed to %(rep)s.", lead=lead.title, rep=rep.name), "success")
            return redirect(url_for("leads.show", lead_id=lead.id), 303)
    return render("leads/handoff.html", "leads/_handoff_form.html", status=422, form=form, lead=lead, shown=shown)


@bp.route("/<int:lead_id>/accept", methods=["POST"])
def accept(lead_id: int):
    """The rep takes the lead on."""
    lead = lead_or_404(lead_id)
    try:
        handoffs.accept(lead, current_user())
        commit()
    except (LeadError, EditConflict) as exc:
        db.session.rollback()
        flash(str(exc) if isinstance(exc, LeadError) else _("Someone changed this lead meanwhile."), "error")
    else:
        flash(_("“%(lead)s” is yours now.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead_id), 303)


@bp.route("/<int:lead_id>/return", methods=["POST"])
def give_back(lead_id: int):
    """The rep returns the lead to the coordinator with a reason."""
    lead = lead_or_404(lead_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        return show_page(lead, "leads/_return.html", 422, return_form=form)
    try:
        handoffs.give_back(lead, g.tenant, current_user(), form.reason.data)
        commit()
    except (LeadError, EditConflict) as exc:
        db.session.rollback()
        flash(str(exc) if isinstance(exc, LeadError) else _("Someone changed this lead meanwhile."), "error")
    else:
        flash(_("“%(lead)s” is returned with your reason.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead_id), 303)


# --- conversion ------------------------------------------------------------------------------------------------


def _convert_or_403(lead: Lead) -> None:
    if not conversion.can_convert(lead, current_user(), current_role()):
        abort(403)


@bp.route("/<int:lead_id>/convert")
def new_conversion(lead_id: int):
    """The conversion form, filled in from the lead."""
    lead = lead_or_404(lead_id)
    _convert_or_403(lead)
    starts, ends = default_term(date.today())
    form = ConvertForm(formdata=None, account_name=lead.company or lead.contact_name or lead.domain or "",
                       contact_name=lead.contact_name, contact_email=lead.email, contact_phone=lead.phone,
                       title=lead.company or lead.title, starts_on=starts, ends_on=ends, value=lead.value_amount,
                       currency=lead.value_currency or g.tenant.base_currency)
    return render("leads/convert.html", "leads/_convert_form.html", form=form, lead=lead,
                  account_link=url_for("accounts.show", account_id=lead.account_id) if lead.account_id else None)


@bp.route("/<int:lead_id>/convert", methods=["POST"])
def create_conversion(lead_id: int):
    """Make the account, contact and draft contract in one step; the value keeps its currency."""
    lead = lead_or_404(lead_id)
    _convert_or_403(lead)
    form = ConvertForm()
    if form.validate_on_submit():
        data = conversion.ConversionData(
            account_name=form.account_name.data, contact_name=form.contact_name.data or None,
            contact_email=form.contact_email.data or None, contact_phone=form.contact_phone.data or None,
            contract_title=form.title.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            value=Money(form.value.data, form.currency.data))
        try:
            _account, contract = conversion.convert(lead, g.tenant, data, actor=current_user())
            commit()
        except LeadError as exc:
            db.session.rollback()
            form.fail(str(exc))
        except EditConflict:
            db.session.rollback()
            form.fail(_("Someone changed this lead meanwhile. Reload the page and try again."))
        else:
            flash(_("“%(lead)s” is converted: draft contract %(number)s is ready.", lead=lead.title,
                    number=contract.number), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id), 303)
    return render("leads/convert.html", "leads/_convert_form.html", status=422, form=form, lead=lead,
                  account_link=url_for("accounts.show", account_id=lead.account_id) if lead.account_id else None)


def first_step() -> Step:
    """The first run: add or import leads."""
    return Step(70, _("Add or import your leads"),
                _("Prospects to research and qualify before a rep takes them over: one by one, or a CSV file from "
                  "your CRM."),
                "leads.new", service.TEES_UP, done=service.any_lead, more=(("imports.index", _("Import CSV")),))


def home_panel(**_overrides):
    """Home: the leads handed to this person that wait for their answer (only when there are some)."""
    if current_role() not in STAFF:
        return None
    waiting = handoffs.waiting_for(current_user())
    if not waiting:
        return None
    return "leads/_home.html", {"handoffs": waiting}
