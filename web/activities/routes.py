"""Activities on leads and accounts: log a call, email, meeting or note, set a follow-up, tick it off."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import db
from tenants.models import STAFF
from tenants.resolve import TenantBlueprint, current_role

from ..accounts.service import get_account
from ..htmx import confirm, form_part, render, wants_fragment
from ..leads.routes import lead_or_404, people
from . import service
from .forms import ActivityForm

bp = TenantBlueprint("activities", __name__, roles=STAFF)


def _data(form: ActivityForm) -> service.ActivityData:
    return service.ActivityData(kind=form.kind.data, subject=form.subject.data, notes=form.notes.data or None,
                                due_on=form.due_on.data,
                                assignee_id=form.assignee_id.data)


def _panel(activities, form, action, status=200, back=None):
    """The activities panel alone for htmx; with JavaScript off, a page of its own."""
    return render("activities/panel.html", "activities/_panel.html", status=status, back=back,
                  panel={"activities": activities, "activity_form": form, "activity_action": action,
                         "today": service.local_today()})


def _log(listed, action: str, back: str, **subject):
    """Save the posted activity on its lead or account; the panel again, or the page for a plain form post."""
    form = ActivityForm(people=people())
    if not form.validate_on_submit():
        return _panel(listed(), form, action, 422, back)
    service.add(_data(form), actor_id=current_user().id, **subject)
    db.session.commit()
    if not wants_fragment():
        flash(_("The activity is saved."), "success")
        return redirect(back + "#activities", 303)
    return _panel(listed(), None, action)


def _new(listed, action: str, back: str):
    """The form to log an activity, asked for when a page's "Log an activity" is opened; without script, the
    panel on a page of its own with the form open."""
    form = ActivityForm(formdata=None, people=people())
    return form_part("activities/_add_form.html", lambda: _panel(listed(), form, action, back=back), form=form,
                     panel={"activity_action": action})


@bp.route("/leads/<int:lead_id>/new")
def new_for_lead(lead_id: int):
    lead = lead_or_404(lead_id, related=False)
    return _new(lambda: service.of_lead(lead.id), url_for("activities.create_for_lead", lead_id=lead.id),
                url_for("leads.show", lead_id=lead.id))


@bp.route("/accounts/<int:account_id>/new")
def new_for_account(account_id: int):
    account = get_account(account_id)
    if account is None:
        abort(404)
    return _new(lambda: service.of_account(account.id), url_for("activities.create_for_account", account_id=account.id),
                url_for("accounts.show", account_id=account.id))


@bp.route("/leads/<int:lead_id>", methods=["POST"])
def create_for_lead(lead_id: int):
    """Log an activity on a lead."""
    lead = lead_or_404(lead_id, related=False)
    return _log(lambda: service.of_lead(lead.id), url_for("activities.create_for_lead", lead_id=lead.id),
                url_for("leads.show", lead_id=lead.id), lead_id=lead.id)


@bp.route("/accounts/<int:account_id>", methods=["POST"])
def create_for_account(account_id: int):
    """Log an activity on an account."""
    account = get_account(account_id)
    if account is None:
        abort(404)
    return _log(lambda: service.of_account(account.id), url_for("activities.create_for_account", account_id=account.id),
                url_for("accounts.show", account_id=account.id), account_id=account.id)


@bp.route("/<int:activity_id>/done", methods=["POST"])
def done(activity_id: int):
    """Tick a follow-up off."""
    activity = service.get(activity_id)
    if activity is None:
        abort(404)
    if activity.lead_id is not None:
        lead_or_404(activity.lead_id, related=False)  # a rep may only touch the leads they see
    if not service.can_change(activity, current_user(), current_role()):
        abort(403)
    service.mark_done(activity, actor_id=current_user().id)
    db.session.commit()
    if activity.lead_id is not None:
        back = url_for("leads.show", lead_id=activity.lead_id)
        action = url_for("activities.create_for_lead", lead_id=activity.lead_id)
        listed = service.of_lead(activity.lead_id)
    else:
        back = url_for("accounts.show", account_id=activity.account_id)
        action = url_for("activities.create_for_account", account_id=activity.account_id)
        listed = service.of_account(activity.account_id)
    if request.form.get("back") == "home":
        back = url_for("home.index")
    confirm(_("Done: %(subject)s.", subject=activity.subject))
    if not wants_fragment():
        return redirect(back, 303)
    return _panel(listed, None, action)


@bp.route("")
def index():
    """A person's open follow-ups: overdue, today and later."""
    return render("activities/index.html", "activities/_followups.html", followups=service.open_for(current_user()),
                  today=service.local_today())


def _panel_context(activities, action: str) -> dict:
    return {"activities": activities, "activity_form": None,
            "activity_action": action, "today": service.local_today()}


def account_panel(account, **_overrides):
    """On an account's page: its activities, those of the leads it was converted from included."""
    return "activities/_panel.html", _panel_context(
        service.of_account(account.id), url_for("activities.create_for_account", account_id=account.id))


def lead_panel(lead, **_overrides):
    """On a lead's page: its calls, emails, meetings and notes, and the follow-ups to do."""
    return "activities/_panel.html", _panel_context(
        service.of_lead(lead.id), url_for("activities.create_for_lead", lead_id=lead.id))


def home_panel(**_overrides):
    """Home: the person's follow-ups due today and overdue."""
    if current_role() not in STAFF:
        return None
    today = service.local_today()
    return "activities/_home.html", {"followups": service.due_for(current_user(), today), "today": today}
