"""Activities on leads and accounts: log a call, email, meeting or note, set a follow-up, tick it off."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import db
from tenants.resolve import TenantBlueprint, current_role

from ..accounts.service import get_account
from ..htmx import render, wants_fragment
from . import activities as service
from .forms import ActivityForm
from .routes import _lead_or_404, people
from .service import STAFF

activities_bp = TenantBlueprint("activities", __name__)


@activities_bp.before_request
def _staff_only():
    if current_role() not in STAFF:
        abort(404)


def _data(form: ActivityForm) -> service.ActivityData:
    return service.ActivityData(kind=form.kind.data, subject=form.subject.data, notes=form.notes.data or None,
                                due_on=form.due_on.data,
                                assignee_id=int(form.assignee_id.data) if form.assignee_id.data else None)


def _account_page(account_id: int) -> str | None:
    if "accounts.show" in current_app.view_functions:
        return url_for("accounts.show", account_id=account_id)
    return None


def _panel(activities, form, action, status=200, back=None):
    """The activities panel alone for htmx; with JavaScript off, a page of its own."""
    return render("leads/activities_page.html", "leads/_activities.html", status=status, activities=activities,
                  activity_form=form, activity_action=action, back=back)


@activities_bp.route("/leads/<int:lead_id>", methods=["POST"])
def create_for_lead(lead_id: int):
    """Log an activity on a lead."""
    lead = _lead_or_404(lead_id, related=False)
    form = ActivityForm(people=people())
    action = url_for("activities.create_for_lead", lead_id=lead.id)
    back = url_for("leads.show", lead_id=lead.id)
    if not form.validate_on_submit():
        return _panel(service.of_lead(lead.id), form, action, 422, back)
    service.add(_data(form), lead_id=lead.id, actor_id=current_user().id)
    db.session.commit()
    if not wants_fragment():
        flash(_("The activity is saved."), "success")
        return redirect(back + "#activities", 303)
    return _panel(service.of_lead(lead.id), ActivityForm(formdata=None, people=people()), action)


@activities_bp.route("/accounts/<int:account_id>", methods=["POST"])
def create_for_account(account_id: int):
    """Log an activity on an account."""
    account = get_account(account_id)
    if account is None:
        abort(404)
    form = ActivityForm(people=people())
    action = url_for("activities.create_for_account", account_id=account.id)
    back = _account_page(account.id)
    if not form.validate_on_submit():
        return _panel(service.of_account(account.id), form, action, 422, back)
    service.add(_data(form), account_id=account.id, actor_id=current_user().id)
    db.session.commit()
    if not wants_fragment():
        flash(_("The activity is saved."), "success")
        return redirect((back or url_for("activities.index")) + "#activities", 303)
    return _panel(service.of_account(account.id), ActivityForm(formdata=None, people=people()), action)


@activities_bp.route("/<int:activity_id>/done", methods=["POST"])
def done(activity_id: int):
    """Tick a follow-up off."""
    activity = service.get(activity_id)
    if activity is None:
        abort(404)
    if activity.lead_id is not None:
        _lead_or_404(activity.lead_id, related=False)  # a rep may only touch the leads they see
    if not service.can_change(activity, current_user(), current_role()):
        abort(403)
    service.mark_done(activity, actor_id=current_user().id)
    db.session.commit()
    if activity.lead_id is not None:
        back = url_for("leads.show", lead_id=activity.lead_id)
        action = url_for("activities.create_for_lead", lead_id=activity.lead_id)
        listed = service.of_lead(activity.lead_id)
    else:
        back = _account_page(activity.account_id) or url_for("activities.index")
        action = url_for("activities.create_for_account", account_id=activity.account_id)
        listed = service.of_account(activity.account_id)
    if request.form.get("back") == "home":
        back = url_for("home.index")
    if not wants_fragment():
        flash(_("Done: %(subject)s.", subject=activity.subject), "success")
        return redirect(back, 303)
    return _panel(listed, ActivityForm(formdata=None, people=people()), action)


@activities_bp.route("")
def index():
    """A person's open follow-ups: overdue, today and later."""
    return render("leads/followups.html", "leads/_followups.html", followups=service.open_for(current_user()),
                  today=service.local_today())


def account_panel(account_id: int) -> dict:
    """The context templates/leads/_activities.html needs on an account's page (call it from the account view)."""
    return {"activities": service.of_account(account_id),
            "activity_form": ActivityForm(formdata=None, people=people()),
            "activity_action": url_for("activities.create_for_account", account_id=account_id)}
