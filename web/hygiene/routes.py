"""The "needs fixing" queue: contacts and leads whose email bounced, whose mail came back or whose phone is dead;
reporting one, and fixing it (recorded in the record's history)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.models import SEES_ALL
from tenants.resolve import TenantBlueprint, current_role

from ..accounts.service import contacts_of, get_account
from ..htmx import form_part, render
from ..leads.routes import lead_or_404
from ..leads.routes import show_page as show_lead_page
from . import service
from .forms import FixForm, ReportForm
from .models import KIND_LABELS

bp = TenantBlueprint("hygiene", __name__, roles=SEES_ALL)


@bp.route("")
def index():
    """The contacts and leads with an address that does not work, newest first."""
    page = service.queue(after=request.args.get("after"))
    return render("hygiene/index.html", "hygiene/_queue.html", problems=page.rows, page=page,
                  count=service.open_count(), kind_labels=KIND_LABELS)


def _problem_or_404(problem_id: int):
    problem = service.get(problem_id)
    if problem is None or problem.fixed_at is not None:
        abort(404)
    return problem


def _show(problem, form=None, status=200):
    country = service.country_of(problem)
    subject = problem.contact or problem.lead
    form = form or FixForm(formdata=None, email=subject.email, phone=subject.phone, country=country)
    return render("hygiene/show.html", "hygiene/_fix.html", status=status, problem=problem, form=form,
                  kind_labels=KIND_LABELS)


@bp.route("/<int:problem_id>")
def show(problem_id: int):
    """One bad address and the form that fixes it."""
    return _show(_problem_or_404(problem_id))


@bp.route("/<int:problem_id>", methods=["POST"])
def fix(problem_id: int):
    """Save the corrected email or phone (in international form); the queue loses it, the history keeps it."""
    problem = _problem_or_404(problem_id)
    form = FixForm()
    if not form.validate_on_submit():
        return _show(problem, form, 422)
    name = problem.subject_name  # read before the commit expires it
    service.fix(problem, email=form.email.data or None, phone=form.phone.data or None, actor_id=current_user().id)
    flash(_("Fixed: %(name)s is off the queue.", name=name), "success")
    return redirect(url_for("hygiene.index"), 303)


@bp.route("/accounts/<int:account_id>", methods=["POST"])
def report_contact(account_id: int):
    """Report one of an account's contacts: an email bounced, mail returned, a dead phone."""
    account = get_account(account_id)
    if account is None:
        abort(404)
    contacts = {c.id: c for c in contacts_of(account)}
    form = ReportForm(contacts=contacts.values())
    valid = form.validate_on_submit()
    if valid and form.contact.data not in contacts:
        form.contact.errors = [_("Choose the contact.")]
        valid = False
    if not valid:
        return render("hygiene/report.html", "hygiene/_report_contact.html", status=422, account=account, lead=None,
                      panel={"form": form, "contacts": contacts, "kind_labels": KIND_LABELS,
                             "problems": service.open_of(contact_ids=list(contacts)), "account": account})
    contact = contacts[form.contact.data]
    service.report(contact=contact, kind=form.kind.data, detail=form.detail.data or None, actor_id=current_user().id)
    service.db.session.commit()
    flash(_("%(name)s is in the queue of what needs fixing.", name=contact.name), "success")
    return redirect(url_for("accounts.show", account_id=account.id), 303)


@bp.route("/leads/<int:lead_id>", methods=["POST"])
def report_lead(lead_id: int):
    """Report a lead's address: an email bounced, mail returned, a dead phone."""
    lead = lead_or_404(lead_id, related=False)
    form = ReportForm()
    if not form.validate_on_submit():
        return render("hygiene/report.html", "hygiene/_report_lead.html", status=422, lead=lead, account=None,
                      panel={"form": form, "problems": service.open_of(lead_id=lead.id), "kind_labels": KIND_LABELS,
                             "lead": lead})
    service.report(lead=lead, kind=form.kind.data, detail=form.detail.data or None, actor_id=current_user().id)
    service.db.session.commit()
    flash(_("%(name)s is in the queue of what needs fixing.", name=lead.title), "success")
    return redirect(url_for("leads.show", lead_id=lead.id), 303)


def account_panel(account, **_overrides):
    """On an account's page: its contacts' bad addresses, and a form to report one."""
    if current_role() not in SEES_ALL:
        return None
    contacts = contacts_of(account)
    return "hygiene/_report_contact.html", {
        "form": ReportForm(formdata=None, contacts=contacts), "contacts": {c.id: c for c in contacts}, "account": account,
        "problems": service.open_of(contact_ids=[c.id for c in contacts]), "kind_labels": KIND_LABELS}


def lead_panel(lead, **_overrides):
    """On a lead's page: its bad addresses, and a form to report one, asked for when opened (report_lead_form)."""
    if current_role() not in SEES_ALL:
        return None
    return "hygiene/_report_lead.html", {"form": _overrides.get("report_form"), "kind_labels": KIND_LABELS,
                                          "lead": lead, "problems": service.open_of(lead_id=lead.id)}


@bp.route("/leads/<int:lead_id>")
def report_lead_form(lead_id: int):
    """The form to report a lead's address, asked for when the lead page's report is opened."""
    lead = lead_or_404(lead_id)
    form = ReportForm(formdata=None)
    return form_part("hygiene/_report_lead_form.html", lambda: show_lead_page(lead, report_form=form), lead=lead,
                     form=form)
