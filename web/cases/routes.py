"""Cases: the list, a new case, a case's page with its thread (notes, emails to the client, status changes), the
SLA settings, the panels on home, account and contract pages, and the public case form."""
from __future__ import annotations

import json
from datetime import timedelta

from babel import dates as babel_dates
from flask import abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tenants.auth import current_user
from tenants.db import EditConflict, db, utcnow
from tenants.models import ADMINS, STAFF
from tenants.resolve import PUBLIC, TenantBlueprint, current_role, requires

from ..extensions import csrf, limiter
from ..forms import members
from ..htmx import render
from ..links import public_url_for
from ..locale_context import locale_name
from . import service
from .forms import CaseForm, EmailForm, NoteForm, PublicCaseForm, SettingsForm, UpdateForm
from .models import CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS, Priority

bp = TenantBlueprint("cases", __name__, roles=STAFF)

# Any site may frame the public form; nothing else about the page is relaxed.
EMBED_CSP = "; ".join(["default-src 'self'", "base-uri 'self'", "form-action 'self'", "frame-ancestors *",
                       "object-src 'none'"])
LABELS = {"statuses": STATUS_LABELS, "priorities": PRIORITY_LABELS, "channels": CHANNEL_LABELS}
CONFLICT = _l("Someone changed this case while you were looking at it. It is shown as it is now; your changes "
              "are below and were not saved. Save again to apply them.")


def people():
    return members(STAFF)


_SPANS: dict[tuple, str] = {}


def _span(delta: timedelta) -> str:
    """format_timedelta(delta, threshold=1.1) in the reader's language, kept by the unit and whole number it shows
    (worked out as Babel does): Babel reads its patterns and plural rules anew on every call, for every case of home's
    panel and of the list."""
    seconds = delta.total_seconds()
    for unit, per_unit in babel_dates.TIMEDELTA_UNITS:
        value = abs(seconds) / per_unit
        if value >= 1.1 or unit == "second":
            if unit == "second" and value > 0:
                value = max(1, value)
            key = (unit, int(round(value)), locale_name())
            break
    found = _SPANS.get(key)
    if found is None:
        found = format_timedelta(delta, threshold=1.1)
        if len(_SPANS) > 4096:
            _SPANS.clear()
        _SPANS[key] = found
    return found


def due_text(state) -> str:
    """A case's SLA state in the reader's words: first answer due in 3 hours, resolution overdue by 2 days."""
    if state.kind == "done" or state.due is None:
        return ""
    if state.kind == "paused":
        return _("Waiting on the client: the clock is stopped")
    span = _span(max(state.left, timedelta(minutes=1)))
    if state.kind == "first":
        return _("First answer overdue by %(time)s", time=span) if state.late else \
            _("First answer due in %(time)s", time=span)
    return _("Resolution overdue by %(time)s", time=span) if state.late else \
        _("Resolution due in %(time)s", time=span)


def _filters() -> service.Filters:
    """The list's filters from the address; values that are not ours are ignored, never an error."""
    args = request.args
    status = args.get("status")
    status = status if status in STATUS_LABELS or status == "active" else None
    priority = args.get("priority") if args.get("priority") in PRIORITY_LABELS else None
    assignee = args.get("assignee") or None
    if assignee not in ("mine", "none") and not (assignee and assignee.isdigit() and len(assignee) < 10):
        assignee = None
    return service.Filters(status=status, priority=priority, assignee=assignee, overdue=args.get("overdue") == "1",
                           q=(args.get("q") or "").strip()[:100] or None,
                           sort="due" if args.get("sort") == "due" else None)


@bp.route("")
def index():
    """The cases a person may see, newest first, each with where it stands against its SLA."""
    me, role, now = current_user(), current_role(), utcnow()
    filters = _filters()
    page = service.list_page(me, role, filters, after=request.args.get("after"), now=now)
    return render("cases/index.html", "cases/_list.html", cases=page.rows, page=page, filters=filters,
                  args=filters.args(), count=service.count(me, role, filters, now),
                  states={c.id: service.sla_state(c, now) for c in page.rows}, due_text=due_text,
                  people=people(), **LABELS)


def case_or_404(case_id: int):
    case = service.get_visible(case_id, current_user(), current_role())
    if case is None:
        abort(404)
    return case


# --- a new case ------------------------------------------------------------------------------------------------


def _accounts():
    return list(db.session.scalars(service.visible_accounts(current_user(), current_role())
                                   .order_by(service.Account.name_key, service.Account.id).limit(500)))


def _case_form(formdata, **values):
    accounts = _accounts()
    form = CaseForm(formdata=formdata, accounts=accounts, people=people(), **values)
    account_id = form.account.data if form.account.data in {a.id for a in accounts} else None
    contacts, contracts, deliverables = service.choices_for(account_id)
    form.contact.choices = form.contact.choices[:1] + [(str(c.id), c.name) for c in contacts]
    form.contract.choices = form.contract.choices[:1] + [(str(c.id), f"{c.number} · {c.title}") for c in contracts]
    form.deliverable.choices = form.deliverable.choices[:1] + [(str(d.id), d.details) for d in deliverables]
    return form, account_id, (contacts, contracts, deliverables)


@bp.route("/new")
def new():
    """The new case form; choosing the account fills its contacts, contracts and deliverables (htmx swaps the form,
    without JS a button reloads it with what was typed)."""
    typed = request.args if request.args.get("account") else None
    form, account_id, _choices = _case_form(typed, account=request.args.get("account_id", type=int))
    if account_id is not None and not form.assignee.data:
        form.assignee.data = service.default_assignee(service.routing_contract(account_id), utcnow().date())
    form.channel.data = form.channel.data or "phone"
    form.priority.data = form.priority.data or Priority.normal.value
    return render("cases/new.html", "cases/_form.html", form=form)


@bp.route("", methods=["POST"])
def create():
    """Open the case; its SLA deadlines run from now over the business hours."""
    form, account_id, (contacts, contracts, deliverables) = _case_form(request.form)
    valid = form.validate_on_submit()
    if valid and account_id is None:
        form.account.errors = [_("Choose the account.")]
        valid = False
    if valid and form.contact.data and form.contact.data not in {c.id for c in contacts}:
        form.contact.errors = [_("Choose one of the account's contacts.")]
        valid = False
    if valid and form.contract.data and form.contract.data not in {c.id for c in contracts}:
        form.contract.errors = [_("Choose one of the account's contracts.")]
        valid = False
    if valid and form.deliverable.data:
        deliverable = next((d for d in deliverables if d.id == form.deliverable.data), None)
        if deliverable is None or (form.contract.data and deliverable.contract_id != form.contract.data):
            form.deliverable.errors = [_("Choose a deliverable of the account's contract.")]
            valid = False
    if not valid:
        return render("cases/new.html", "cases/_form.html", status=422, form=form)
    contract_id = form.contract.data
    if form.deliverable.data and contract_id is None:
        contract_id = next(d.contract_id for d in deliverables if d.id == form.deliverable.data)
    case = service.create(subject=form.subject.data, description=form.description.data or None,
                          channel=form.channel.data, priority=form.priority.data, account_id=account_id,
                          contact_id=form.contact.data, contract_id=contract_id,
                          deliverable_id=form.deliverable.data, assignee_id=form.assignee.data,
                          actor_id=current_user().id)
    flash(_("Case #%(num)d is open.", num=case.id), "success")
    return redirect(url_for("cases.show", case_id=case.id), 303)


# --- a case's page -----------------------------------------------------------------------------------------------


def _update_form(case, formdata=None):
    statuses = (case.status, *service.NEXT[case.status])
    form = UpdateForm(formdata=formdata, statuses=statuses, people=people(), status=case.status,
                      priority=case.priority, assignee=case.assignee_id)
    if formdata is None:
        form.version.data = case.version
    return form


def _show(case, *, status=200, note_form=None, email_form=None, update_form=None):
    now = utcnow()
    address, name, locale = service.recipient(case)
    return render("cases/show.html", "cases/_thread.html", status=status, case=case, entries=service.thread(case),
                  state=service.sla_state(case, now), due_text=due_text, recipient=address, recipient_name=name,
                  recipient_locale=locale, note_form=note_form or NoteForm(formdata=None),
                  email_form=email_form or EmailForm(formdata=None),
                  update_form=update_form or _update_form(case), people_by_id={u.id: u for u in people()},
                  details=_details, **LABELS)


def _details(entry) -> dict:
    try:
        return json.loads(entry.details) if entry.details else {}
    except ValueError:
        return {}


@bp.route("/<int:case_id>")
def show(case_id: int):
    """A case: where it stands, its SLA, its thread oldest first, and what can be done next."""
    return _show(case_or_404(case_id))


@bp.route("/<int:case_id>/notes", methods=["POST"])
def add_note(case_id: int):
    """A note in the thread (ticked "answered by phone", it is the first answer)."""
    case = case_or_404(case_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _show(case, status=422, note_form=form)
    service.add_note(case, form.note.data, actor_id=current_user().id, answered_by_phone=bool(form.answered.data))
    flash(_("The note is added."), "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor="thread-end"), 303)


@bp.route("/<int:case_id>/emails", methods=["POST"])
def send_email(case_id: int):
    """Mail the client (in their language) through the outbox, and keep it in the thread."""
    case = case_or_404(case_id)
    form = EmailForm()
    valid = form.validate_on_submit()
    if valid and service.recipient(case)[0] is None:
        form.fail(_("This case has no contact with an email address: add one to the account first."))
        valid = False
    if not valid:
        return _show(case, status=422, email_form=form)
    address = service.recipient(case)[0]
    service.email_client(case, form.message.data, actor=current_user())
    flash(_("The email to %(address)s is on its way.", address=address), "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor="thread-end"), 303)


@bp.route("/<int:case_id>", methods=["POST"])
def update(case_id: int):
    """Change the status, priority or assignee, on the version the page was opened on."""
    case = case_or_404(case_id)
    form = _update_form(case, request.form)
    if not form.validate_on_submit():
        return _show(case, status=422, update_form=form)
    try:
        changed = service.update(case, status=form.status.data, priority=form.priority.data,
                                 assignee_id=form.assignee.data, version=form.version.data,
                                 actor_id=current_user().id)
    except EditConflict:
        db.session.rollback()
        db.session.expire_all()
        case = case_or_404(case_id)
        fresh = _update_form(case, request.form)
        fresh.version.data = case.version
        fresh.validate()
        fresh.fail(CONFLICT)
        return _show(case, status=409, update_form=fresh)
    except service.CaseError:
        form.status.errors = [_("A case cannot go from this status to that one.")]
        return _show(case, status=422, update_form=form)
    flash(_("Case #%(num)d is saved.", num=case_id) if changed else _("Nothing changed."), "success")
    return redirect(url_for("cases.show", case_id=case_id), 303)


# --- settings ----------------------------------------------------------------------------------------------------


def _settings_form(formdata=None):
    row = service.settings_if_any()
    form = SettingsForm(formdata=formdata, people=people())
    if formdata is None:
        for priority, (first, resolution) in service.sla_table().items():
            getattr(form, f"{priority}_first").data = first // 60
            getattr(form, f"{priority}_resolution").data = resolution // 60
        form.workdays.data = list(row.workdays if row else "12345")
        form.day_starts.data = row.day_starts if row else 9 * 60
        form.day_ends.data = row.day_ends if row else 18 * 60
        form.webform_enabled.data = bool(row and row.webform_enabled)
        form.webform_assignee.data = row.webform_assignee_id if row else None
        form.version.data = row.version if row else None
    return form


def _settings_page(form, status=200):
    return render("cases/settings.html", "cases/_settings.html", status=status, form=form,
                  form_url=public_url_for("cases.public_new"), timezone=g.tenant.timezone)


@bp.route("/settings")
@requires(*ADMINS)
def settings():
    """The SLA per priority, the business hours it counts in, and the public case form."""
    return _settings_page(_settings_form())


@bp.route("/settings", methods=["POST"])
@requires(*ADMINS)
def update_settings():
    """Save the case settings; cases opened from now on follow them."""
    form = _settings_form(request.form)
    if not form.validate_on_submit():
        return _settings_page(form, 422)
    try:
        service.save_settings(
            slas={p: (first.data * 60, resolution.data * 60) for p, (first, resolution) in form.pairs().items()},
            workdays="".join(sorted(set(form.workdays.data))), day_starts=form.day_starts.data,
            day_ends=form.day_ends.data, webform_enabled=bool(form.webform_enabled.data),
            webform_assignee_id=form.webform_assignee.data, version=form.version.data, actor_id=current_user().id)
    except EditConflict:
        db.session.rollback()
        form.fail(_("Someone saved these settings meanwhile. Your changes are below and were not saved; save "
                    "again to apply them."))
        form.version.data = service.settings().version
        return _settings_page(form, 409)
    flash(_("The case settings are saved."), "success")
    return redirect(url_for("cases.settings"), 303)


# --- panels ------------------------------------------------------------------------------------------------------


def home_panel(**_overrides):
    """Home: the reader's cases to act on, the overdue ones first in order of breach, then the next due."""
    if current_role() not in STAFF:
        return None
    now = utcnow()
    cases = service.open_for(current_user().id)
    if not cases:
        return None
    states = {c.id: service.sla_state(c, now) for c in cases}
    return "cases/_home.html", {"cases": cases, "states": states, "due_text": due_text,
                                "overdue": sum(1 for state in states.values() if state.late)}


def account_panel(account, **_overrides):
    """An account's case history, newest first, and a new case on it."""
    if current_role() not in STAFF:
        return None
    now = utcnow()
    cases = service.of_account(account.id, current_user(), current_role())
    return "cases/_account.html", {"cases": cases, "account": account, "due_text": due_text,
                                   "states": {c.id: service.sla_state(c, now) for c in cases}, **LABELS}


def contract_panel(contract, **_overrides):
    """A contract's cases, newest first."""
    if current_role() not in STAFF:
        return None
    now = utcnow()
    cases = service.of_contract(contract.id, current_user(), current_role())
    return "cases/_contract.html", {"cases": cases, "contract": contract, "due_text": due_text,
                                    "states": {c.id: service.sla_state(c, now) for c in cases}, **LABELS}


# --- the public case form ---------------------------------------------------------------------------------------


def _form_on_or_404():
    row = service.settings_if_any()
    if row is None or not row.webform_enabled:
        abort(404)
    return row


def _public_page(template, status=200, **ctx):
    response = make_response(render_template(template, embedded=request.args.get("embed") == "1", **ctx), status)
    response.headers["Content-Security-Policy"] = EMBED_CSP
    return response


def _limit_key() -> str:
    return f"cases:{g.get('tenant_slug', '')}:{request.remote_addr}"


@bp.route("/write", access=PUBLIC)
def public_new():
    """The public case form, as a page of its own or inside the tenant's site."""
    _form_on_or_404()
    return _public_page("cases/public_new.html", form=PublicCaseForm(formdata=None, language=str(get_locale())))


@bp.route("/write", methods=["POST"], access=PUBLIC)
@csrf.exempt
@limiter.limit(lambda: current_app.config.get("CASE_FORM_LIMIT", "10 per minute;60 per hour"), key_func=_limit_key)
def public_create():
    """A client's message becomes a case; they get a confirmation with its number."""
    _form_on_or_404()
    form = PublicCaseForm()
    if form.url.data:
        return _public_page("cases/public_new.html", 422, form=form, refused=_(
            "The form could not be sent. If you are a person, leave the last field empty and send it again."))
    if not form.validate():
        return _public_page("cases/public_new.html", 422, form=form)
    service.from_webform(name=form.name.data, email=form.email.data, company=form.company.data or None,
                         subject=form.subject.data, message=form.message.data, locale=form.language.data)
    return redirect(url_for("cases.public_thanks", embed=request.args.get("embed") or None), 303)


@bp.route("/write/thanks", access=PUBLIC)
def public_thanks():
    """What the client sees once the form is sent."""
    _form_on_or_404()
    return _public_page("cases/public_thanks.html")

