"""Leads: the list (search as you type), the board (one-click moves), a lead's page with its qualifying
answers, hand-off to a rep, acceptance or return, conversion, and the CSV export of the filtered list."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from i18n.locales import is_country
from i18n.money import Money
from tenants.auth import current_user
from tenants.db import db
from tenants.members import members_with_roles
from tenants.resolve import TenantBlueprint, current_role

from ..htmx import render, wants_fragment
from . import activities as activity_service
from . import questionnaire, service
from .forms import ActivityForm, ConvertForm, DisqualifyForm, HandoffForm, LeadForm, ReturnForm, default_term
from .labels import (ACTIVITY_LABELS, HANDOFF_LABELS, SOURCE_LABELS, STATUS_LABELS, STATUS_TONES, source_label,
                     status_label)
from .models import SOURCES, STATUSES, Lead, Status
from .service import EditConflict, LeadError

bp = TenantBlueprint("leads", __name__)


@bp.before_request
def _staff_only():
    # Distributors have a portal of their own; leads are the staff's.
    if current_role() not in service.STAFF:
        abort(404)


@bp.app_template_filter("lead_status")
def _lead_status(value: str) -> str:
    return status_label(value)


@bp.app_template_filter("lead_source")
def _lead_source(value: str) -> str:
    return source_label(value)


@bp.app_template_global("lead_status_tone")
def _lead_status_tone(value: str) -> str:
    return STATUS_TONES.get(value, "")


def people():
    """The workspace's staff, for owner and assignee lists (one query per request)."""
    if "_lead_people" not in g:
        g._lead_people = [m.user for m in members_with_roles(g.tenant.id, service.STAFF)]
    return g._lead_people


def _filters() -> service.Filters:
    """The list's filters from the address; values that are not ours are ignored, never an error."""
    args = request.args
    status = args.get("status") if args.get("status") in STATUSES else None
    source = args.get("source") if args.get("source") in SOURCES else None
    country = args.get("country") if is_country(args.get("country")) else None
    return service.Filters(q=(args.get("q") or "").strip()[:100] or None, status=status, source=source,
                           owner_id=args.get("owner", type=int), country=country,
                           tag=(args.get("tag") or "").strip().lower()[:40] or None)


def _lead_or_404(lead_id: int, *, related: bool = True) -> Lead:
    lead = service.get_visible(lead_id, current_user(), current_role(), related=related)
    if lead is None:
        abort(404)
    return lead


def _reader_currency() -> str:
    user = current_user()
    return user.display_currency or g.tenant.base_currency


def _list_context(filters: service.Filters) -> dict:
    me, role = current_user(), current_role()
    rows, next_before = service.list_page(me, role, filters, before=request.args.get("before", type=int))
    return {
        "leads": rows, "next_before": next_before, "filters": filters, "args": filters.args(),
        "count": service.count(me, role, filters),
        "pipeline": service.pipeline_total(me, role, filters, _reader_currency(), date.today()),
    }


def _filter_context() -> dict:
    return {"people": people(), "statuses": STATUS_LABELS, "sources": SOURCE_LABELS,
            "can_import": current_role() in service.TEES_UP}


@bp.route("")
def index():
    """The leads a person may see, newest first; searching and filtering swap only the list."""
    filters = _filters()
    ctx = _list_context(filters)
    if not wants_fragment():
        ctx.update(_filter_context())
    return render("leads/index.html", "leads/_list.html", **ctx)


def _board_context(filters: service.Filters, error: str | None = None) -> dict:
    me, role = current_user(), current_role()
    return {"columns": service.board(me, role, filters), "filters": filters, "args": filters.args(),
            "board_error": error,
            "pipeline": service.pipeline_total(me, role, filters, _reader_currency(), date.today())}


@bp.route("/board")
def board():
    """The leads by status, each card one click from the next step."""
    filters = _filters()
    ctx = _board_context(filters)
    if not wants_fragment():
        ctx.update(_filter_context())
    return render("leads/board.html", "leads/_board.html", **ctx)


@bp.route("/<int:lead_id>/move", methods=["POST"])
def move(lead_id: int):
    """Move a card to another status (the board's one-click step)."""
    lead = _lead_or_404(lead_id, related=False)
    status = request.form.get("status", "")
    error = None
    try:
        service.move(lead, status, actor_id=current_user().id)
        service.commit()
    except LeadError as exc:
        db.session.rollback()
        error = str(exc)
    except EditConflict:
        error = _("Someone changed this lead meanwhile. The board shows it as it is now.")
    filters = _filters()
    if not wants_fragment():
        if error:
            flash(error, "error")
        else:
            flash(_("“%(lead)s” is now %(status)s.", lead=lead.title, status=status_label(status).lower()), "success")
        target = request.form.get("back")
        return redirect(url_for("leads.show", lead_id=lead.id) if target == "show"
                        else url_for("leads.board", **filters.args()), 303)
    return render("leads/board.html", "leads/_board.html", status=422 if error else 200,
                  **_board_context(filters, error))


@bp.route("/export.csv")
def export():
    """The filtered list as CSV (UTF-8 with a BOM, so spreadsheets read accents right)."""
    filters = _filters()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Id"), _("Company"), _("Contact person"), _("Their role"), _("Email"), _("Phone"),
                     _("Website"), _("Country"), _("Language"), _("Source"), _("Status"), _("Reason"),
                     _("Estimated value"), _("Currency"), _("Score"), _("Owner"), _("Teed up by"), _("Handed to"),
                     _("Tags"), _("Created on")])
    for batch in service.export_batches(current_user(), current_role(), filters):
        for lead in batch:
            writer.writerow([_cell(v) for v in (
                lead.id, lead.company, lead.contact_name, lead.contact_title, lead.email, lead.phone, lead.website,
                lead.country, lead.language, source_label(lead.source), status_label(lead.status),
                lead.disqualify_reason, format(lead.value_amount.normalize(), "f") if lead.value_amount is not None
                else "", lead.value_currency, lead.score, lead.owner.name if lead.owner else "",
                lead.teed_up_by.name if lead.teed_up_by else "", lead.handed_to.name if lead.handed_to else "",
                ", ".join(lead.tag_names), lead.created_at.date().isoformat())])
    filename = f"leads-{g.tenant.slug}-{date.today().isoformat()}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _plain(amount):
    """An amount as a form shows it: 12000, not 12000.0000."""
    if amount is None:
        return None
    normal = amount.normalize()
    return normal.quantize(1) if normal == normal.to_integral() else normal


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
        owner_id=int(form.owner_id.data) if form.owner_id.data else None, tags=service.parse_tags(form.tags.data),
        notes=form.notes.data or None)


def _account_link(account_id: int) -> str | None:
    if "accounts.show" in current_app.view_functions:
        return url_for("accounts.show", account_id=account_id)
    return None


@bp.app_template_global("lead_account_link")
def _lead_account_link(account_id: int) -> str | None:
    return _account_link(account_id)


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
        target = service.get_visible(int(form.merge_into.data) if form.merge_into.data.isdigit() else 0, me, role)
        if target is None:
            abort(404)
        filled = service.merge_into(target, data, actor_id=me.id, origin="new lead form")
        service.commit()
        flash(_("Merged into “%(lead)s”: %(count)d fields filled.", lead=target.title, count=len(filled)), "success")
        return redirect(url_for("leads.show", lead_id=target.id), 303)
    if not form.confirmed.data:
        matches = service.find_duplicates(company=data.company, email=data.email, website=data.website,
                                          phone=data.phone)
        if matches:
            return render("leads/new.html", "leads/_form.html", status=409, form=form, lead=None, matches=matches)
    account = None
    if form.account_id.data:
        from ..accounts.service import get_account

        account = get_account(int(form.account_id.data) if form.account_id.data.isdigit() else 0)
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
    matches = service.find_duplicates(company=(args.get("company") or "")[:200], email=(args.get("email") or "")[:254],
                                      website=(args.get("website") or "")[:300], phone=(args.get("phone") or "")[:40],
                                      exclude_id=args.get("lead_id", type=int))
    return render("leads/duplicates.html", "leads/_duplicates.html", matches=matches, live=True)


# --- a lead's page --------------------------------------------------------------------------------------------


def _show_context(lead: Lead, *, sheet=None, activity_form=None, disqualify_form=None, return_form=None) -> dict:
    me, role = current_user(), current_role()
    qs = questionnaire.questions()
    answers = questionnaire.answers_of(lead)
    row = questionnaire.settings_if_any()
    threshold = row.qualify_threshold if row else None
    return {
        "lead": lead,
        "sheet": sheet or questionnaire.sheet_for(qs, answers),
        "shown": questionnaire.shown_answers(lead, str(get_locale()), qs),
        "threshold": threshold,
        "suggest_qualified": questionnaire.suggests_qualified(lead, threshold),
        "handoffs": service.handoffs_of(lead),
        "activities": activity_service.of_lead(lead.id),
        "activity_form": activity_form or ActivityForm(formdata=None, people=people()),
        "activity_action": url_for("activities.create_for_lead", lead_id=lead.id),
        "disqualify_form": disqualify_form or DisqualifyForm(formdata=None),
        "return_form": return_form or ReturnForm(formdata=None),
        "history": service.history(lead),
        "moves": service.allowed_moves(lead),
        "can_hand_off": role in service.TEES_UP and lead.status == Status.qualified.value,
        "can_answer": lead.status not in (Status.converted.value,),
        "waiting_for_me": (lead.status == Status.handed_off.value and lead.handed_to_id == me.id
                           and lead.accepted_at is None),
        "can_convert": service.can_convert(lead, me, role),
        "account_link": _account_link(lead.account_id) if lead.account_id else None,
        "contract_link": (url_for("contracts.show", contract_id=lead.contract_id)
                          if lead.contract_id and "contracts.show" in current_app.view_functions else None),
    }


@bp.route("/<int:lead_id>")
def show(lead_id: int):
    """A lead with its qualifying answers, hand-offs, activities and history."""
    lead = _lead_or_404(lead_id)
    return render("leads/show.html", "leads/_answers.html", **_show_context(lead))


@bp.route("/<int:lead_id>/edit")
def edit(lead_id: int):
    """The edit form."""
    lead = _lead_or_404(lead_id)
    values = {name: getattr(lead, name) for name in service.FIELDS if name != "owner_id"}
    form = LeadForm(formdata=None, people=people(), value=_plain(lead.value_amount), version=lead.version,
                    currency=lead.value_currency or g.tenant.base_currency, tags=", ".join(lead.tag_names),
                    owner_id=str(lead.owner_id or ""), **values)
    return render("leads/edit.html", "leads/_form.html", form=form, lead=lead, matches=[])


@bp.route("/<int:lead_id>", methods=["POST"])
def update(lead_id: int):
    """Save edits; if someone else saved first, say so and keep what was typed."""
    lead = _lead_or_404(lead_id)
    form = LeadForm(people=people())
    if not form.validate_on_submit():
        return render("leads/edit.html", "leads/_form.html", status=422, form=form, lead=lead, matches=[])
    try:
        version = int(form.version.data or 0)
        service.update_lead(lead, _data(form), version=version, actor_id=current_user().id)
    except (EditConflict, ValueError):
        db.session.rollback()
        form.fail(_("Someone else saved this lead while you were editing. Your changes are below; "
                    "reload the page to see theirs, then apply yours again."))
        return render("leads/edit.html", "leads/_form.html", status=409, form=form, lead=lead, matches=[])
    flash(_("“%(lead)s” is saved.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead.id), 303)


@bp.route("/<int:lead_id>/answers", methods=["POST"])
def answers(lead_id: int):
    """Record the qualifying answers of a call; a wrong one is explained and every answer typed stays."""
    lead = _lead_or_404(lead_id)
    qs = questionnaire.questions()
    sheet = questionnaire.read_sheet(qs, request.form)
    if sheet.errors:
        return render("leads/show.html", "leads/_answers.html", status=422,
                      **_show_context(lead, sheet=sheet))
    changed = questionnaire.save_answers(lead, sheet, actor_id=current_user().id)
    service.commit()
    if not wants_fragment():
        flash(_("The answers are saved. Score: %(score)s.", score=lead.score if lead.score is not None else "–")
              if changed else _("Nothing changed."), "success")
        return redirect(url_for("leads.show", lead_id=lead.id), 303)
    ctx = _show_context(lead)
    ctx["saved"] = True
    return render("leads/show.html", "leads/_answers.html", **ctx)


@bp.route("/<int:lead_id>/disqualify", methods=["POST"])
def disqualify(lead_id: int):
    """Set a lead aside with a reason."""
    lead = _lead_or_404(lead_id)
    form = DisqualifyForm()
    if not form.validate_on_submit():
        return render("leads/show.html", "leads/_disqualify.html", status=422,
                      **_show_context(lead, disqualify_form=form))
    try:
        service.disqualify(lead, form.reason.data, actor_id=current_user().id)
        service.commit()
    except (LeadError, EditConflict) as exc:
        db.session.rollback()
        flash(str(exc) if isinstance(exc, LeadError) else _("Someone changed this lead meanwhile."), "error")
        return redirect(url_for("leads.show", lead_id=lead_id), 303)
    flash(_("“%(lead)s” is disqualified.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead.id), 303)


# --- hand-off ------------------------------------------------------------------------------------------------


@bp.route("/<int:lead_id>/handoff")
def handoff(lead_id: int):
    """The hand-off form: a rep and a note; the answers go with it."""
    lead = _lead_or_404(lead_id)
    if current_role() not in service.TEES_UP:
        abort(403)
    form = HandoffForm(formdata=None, reps=service.reps(g.tenant))
    return render("leads/handoff.html", "leads/_handoff_form.html", form=form, lead=lead,
                  shown=questionnaire.shown_answers(lead, str(get_locale())))


@bp.route("/<int:lead_id>/handoff", methods=["POST"])
def hand_off(lead_id: int):
    """Hand a qualified lead to a rep, who is told by email and on their home page."""
    lead = _lead_or_404(lead_id)
    if current_role() not in service.TEES_UP:
        abort(403)
    reps = service.reps(g.tenant)
    form = HandoffForm(reps=reps)
    shown = questionnaire.shown_answers(lead, str(get_locale()))
    if form.validate_on_submit():
        rep = next(u for u in reps if str(u.id) == form.rep_id.data)
        try:
            service.hand_off(lead, g.tenant, coordinator=current_user(), rep=rep, note=form.note.data,
                             answers=questionnaire.shown_answers(lead, rep.locale or g.tenant.default_locale))
            service.commit()
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
    lead = _lead_or_404(lead_id)
    try:
        service.accept(lead, current_user())
        service.commit()
    except (LeadError, EditConflict) as exc:
        db.session.rollback()
        flash(str(exc) if isinstance(exc, LeadError) else _("Someone changed this lead meanwhile."), "error")
    else:
        flash(_("“%(lead)s” is yours now.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead_id), 303)


@bp.route("/<int:lead_id>/return", methods=["POST"])
def give_back(lead_id: int):
    """The rep returns the lead to the coordinator with a reason."""
    lead = _lead_or_404(lead_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        return render("leads/show.html", "leads/_return.html", status=422, **_show_context(lead, return_form=form))
    try:
        service.give_back(lead, g.tenant, current_user(), form.reason.data)
        service.commit()
    except (LeadError, EditConflict) as exc:
        db.session.rollback()
        flash(str(exc) if isinstance(exc, LeadError) else _("Someone changed this lead meanwhile."), "error")
    else:
        flash(_("“%(lead)s” is returned with your reason.", lead=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead_id), 303)


# --- conversion ------------------------------------------------------------------------------------------------


def _convert_or_403(lead: Lead) -> None:
    if not service.can_convert(lead, current_user(), current_role()):
        abort(403)


@bp.route("/<int:lead_id>/convert")
def convert(lead_id: int):
    """The conversion form, filled in from the lead."""
    lead = _lead_or_404(lead_id)
    _convert_or_403(lead)
    starts, ends = default_term(date.today())
    form = ConvertForm(formdata=None, account_name=lead.company or lead.contact_name or lead.domain or "",
                       contact_name=lead.contact_name, contact_email=lead.email, contact_phone=lead.phone,
                       title=lead.company or lead.title, starts_on=starts, ends_on=ends, value=_plain(lead.value_amount),
                       currency=lead.value_currency or g.tenant.base_currency)
    return render("leads/convert.html", "leads/_convert_form.html", form=form, lead=lead,
                  account_link=_account_link(lead.account_id) if lead.account_id else None)


@bp.route("/<int:lead_id>/convert", methods=["POST"])
def convert_lead(lead_id: int):
    """Make the account, contact and draft contract in one step; the value keeps its currency."""
    from ..contracts import service as contracts

    lead = _lead_or_404(lead_id)
    _convert_or_403(lead)
    form = ConvertForm()
    if form.validate_on_submit():
        data = service.ConversionData(
            account_name=form.account_name.data, contact_name=form.contact_name.data or None,
            contact_email=form.contact_email.data or None, contact_phone=form.contact_phone.data or None,
            contract_title=form.title.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            value=Money(form.value.data, form.currency.data))
        try:
            _account, contract = service.convert(lead, g.tenant, data, actor=current_user())
            contracts.commit()
        except LeadError as exc:
            db.session.rollback()
            form.fail(str(exc))
        except EditConflict:
            db.session.rollback()
            form.fail(_("Someone changed this lead meanwhile. Reload the page and try again."))
        else:
            flash(_("“%(lead)s” is converted: draft contract %(number)s is ready.", lead=lead.title,
                    number=contract.number), "success")
            if "contracts.show" in current_app.view_functions:
                return redirect(url_for("contracts.show", contract_id=contract.id), 303)
            return redirect(url_for("leads.show", lead_id=lead.id), 303)
    return render("leads/convert.html", "leads/_convert_form.html", status=422, form=form, lead=lead,
                  account_link=_account_link(lead.account_id) if lead.account_id else None)


@bp.app_template_global("money_of")
def _money_of(amount, currency: str | None):
    from decimal import Decimal

    return Money(Decimal(str(amount)), currency) if amount is not None and currency else None


@bp.app_template_global("activity_label")
def _activity_label(kind: str) -> str:
    return str(ACTIVITY_LABELS.get(kind, kind))


@bp.app_template_global("handoff_label")
def _handoff_label(status: str) -> str:
    return str(HANDOFF_LABELS.get(status, status))


@bp.app_template_global("activity_today")
def _activity_today():
    return activity_service.local_today()


@bp.app_template_global("lead_contract_link")
def _lead_contract_link(contract_id: int) -> str | None:
    if "contracts.show" in current_app.view_functions:
        return url_for("contracts.show", contract_id=contract_id)
    return None


@bp.app_template_global("import_problem")
def _import_problem(code: str, params: dict) -> str:
    from .importer import problem_text

    return problem_text(code, params)


@bp.app_template_global("shipped_locales")
def _shipped_locales():
    from i18n.locales import SUPPORTED_LOCALES

    return SUPPORTED_LOCALES


@bp.app_template_global("lead_role_is")
def _lead_role_is(*roles: str) -> bool:
    role = current_role()
    return role is not None and role.value in roles

