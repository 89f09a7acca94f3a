"""Events: the list (upcoming first), an event's page with its budget, creating and editing one."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants.auth import current_user
from tenants.db import EditConflict, db
from tenants.models import ADMINS, SEES_ALL, STAFF
from tenants.pager import InvalidCursor
from tenants.resolve import TenantBlueprint, current_role, requires

from ..activities.service import local_today
from ..features import panels
from ..htmx import confirm, render, wants_fragment
from ..links import public_url_for
from ..rates.routes import rate_problem
from ..templating import reader_currency
from . import checklist, mailing, results, service, shipping
from .forms import ChecklistItemForm, CostForm, EventForm, FilterForm
from .models import COST_LABELS, Event

bp = TenantBlueprint("events", __name__, roles=STAFF)


def event_or_404(event_id: int) -> Event:
    """An event the reader may see (reps: the ones they attend); 404 otherwise."""
    event = service.get_visible(event_id, current_user(), current_role())
    if event is None:
        abort(404)
    return event


def _filters() -> tuple[FilterForm, service.Filters]:
    form = FilterForm(request.args)
    form.validate()
    when = form.when.data if not form.when.errors and form.when.data in service.WHEN else "upcoming"
    status = form.status.data if not form.status.errors and form.status.data else None
    return form, service.Filters(when=when, status=status)


@bp.route("")
def index():
    """The events the reader may see: upcoming and running soonest first, or past ones newest first."""
    form, filters = _filters()
    today = local_today()
    me, role = current_user(), current_role()
    try:
        page = service.list_page(me, role, filters, today=today, after=request.args.get("after"))
    except InvalidCursor:
        abort(404)
    ids = [e.id for e in page.rows]
    budgets = service.budgets_of(ids, reader_currency(), today)
    return render("events/index.html", "events/_list.html", form=form, filters=filters, page=page,
                  people=service.attendee_names(ids),
                  events=page.rows, budgets=budgets, args=filters.args(), today=today,
                  count=service.count(me, role, filters, today=today), can_run=service.runs_events(role))


def _data(form: EventForm) -> service.EventData:
    return service.EventData(
        name=form.name.data, kind=form.kind.data, venue=form.venue.data or None, city=form.city.data,
        country=form.country.data, timezone=form.timezone.data, setup_on=form.setup_on.data,
        opens_on=form.opens_on.data, closes_on=form.closes_on.data, teardown_on=form.teardown_on.data,
        booth_number=form.booth_number.data or None, booth_size=form.booth_size.data or None,
        hall=form.hall.data or None, status=form.status.data, notes=form.notes.data or None,
        attendee_ids=list(form.attendee_ids.data or []))


@bp.route("/new")
@requires(*SEES_ALL)
def new():
    """The new event form."""
    form = EventForm(formdata=None, status="planned", kind="trade_show", timezone=g.tenant.timezone,
                     attendee_ids=[current_user().id])
    return render("events/new.html", "events/_form.html", form=form, event=None)


@bp.route("", methods=["POST"])
@requires(*SEES_ALL)
def create():
    """Create an event; dates out of order or anything unreadable is a 422 with the input kept."""
    form = EventForm()
    if not form.validate_on_submit():
        return render("events/new.html", "events/_form.html", status=422, form=form, event=None)
    event = service.create_event(_data(form), actor_id=current_user().id)
    db.session.commit()
    flash(_("“%(name)s” is added.", name=event.name), "success")
    return redirect(url_for("events.show", event_id=event.id), 303)


def _show(event: Event, status: int = 200, fragment: str = "events/_budget.html", cost_form: CostForm | None = None,
          **overrides):
    costs = service.costs_of(event)
    ctx = {
        "event": event, "costs": costs, "today": local_today(), "can_run": service.runs_events(current_role()),
        "budget": service.budget_total(costs, g.tenant.base_currency, local_today()),
        "cost_form": cost_form or CostForm(formdata=None, currency=g.tenant.base_currency, incurred_on=local_today()),
        "history": service.history(event), "event_panels": panels("event", event, **overrides),
        "tasks": checklist.tasks_of(event), "shipments": shipping.of_event(event),
        "mailings": mailing.of_event(event), "guests": mailing.guests(event),
        "results": results.results(event, g.tenant.base_currency, local_today()), "captured": results.captured(event),
    }
    ctx["panel"] = next((panel for template, panel in ctx["event_panels"] if template == fragment), {})
    return render("events/show.html", fragment, status=status, also=("audit/_history.html",), **ctx)


def event_page(event: Event, fragment: str, status: int = 200, **overrides):
    """The event's page (or, for htmx, one of its panels: `fragment`), with a panel's form as it was posted."""
    return _show(event, status, fragment, **overrides)


@bp.route("/<int:event_id>")
def show(event_id: int):
    """An event: where and when, the booth, who goes, its budget and what other features add (checklist...)."""
    return _show(event_or_404(event_id))


@bp.route("/<int:event_id>/edit")
@requires(*SEES_ALL)
def edit(event_id: int):
    """The edit form, carrying the version it was opened on."""
    event = event_or_404(event_id)
    form = EventForm(formdata=None, obj=event, attendee_ids=[a.user_id for a in event.attendees])
    form.version.data = event.version
    return render("events/edit.html", "events/_form.html", form=form, event=event)


@bp.route("/<int:event_id>", methods=["POST"])
@requires(*SEES_ALL)
def update(event_id: int):
    """Save the event, unless someone saved it since the form was opened (409, input kept)."""
    event = event_or_404(event_id)
    form = EventForm()
    if not form.validate_on_submit():
        return render("events/edit.html", "events/_form.html", status=422, form=form, event=event)
    try:
        service.update_event(event, _data(form), version=form.version.data, actor_id=current_user().id)
    except EditConflict:
        db.session.expire_all()
        event = event_or_404(event_id)
        form.fail(_("Someone changed this event while you were editing. Your changes are below and were not saved; "
                    "save again to keep them."))
        form.version.data = event.version
        return render("events/edit.html", "events/_form.html", status=409, form=form, event=event)
    flash(_("“%(name)s” is saved.", name=event.name), "success")
    return redirect(url_for("events.show", event_id=event.id), 303)


@bp.route("/<int:event_id>/costs", methods=["POST"])
@requires(*SEES_ALL)
def add_cost(event_id: int):
    """Add a cost to the budget, converted into the base currency at its day's rate."""
    event = event_or_404(event_id)
    form = CostForm()
    if form.validate_on_submit():
        data = service.CostData(category=form.category.data, amount=Money(form.amount.data, form.currency.data),
                                incurred_on=form.incurred_on.data, description=form.description.data or None)
        try:
            service.add_cost(event, g.tenant, data, actor_id=current_user().id)
            db.session.commit()
        except RateUnavailable as exc:
            db.session.rollback()
            form.currency.errors = [rate_problem(exc)]
        else:
            confirm(_("The cost is added: %(what)s.", what=COST_LABELS[data.category]))
            if not wants_fragment():
                return redirect(url_for("events.show", event_id=event.id) + "#budget", 303)
            return _show(event)
    return _show(event, 422, cost_form=form)


@bp.route("/<int:event_id>/costs/<int:cost_id>/delete", methods=["POST"])
@requires(*SEES_ALL)
def remove_cost(event_id: int, cost_id: int):
    """Take a cost off the budget."""
    event = event_or_404(event_id)
    cost = service.get_cost(event, cost_id)
    if cost is None:
        abort(404)
    service.remove_cost(event, cost, actor_id=current_user().id)
    db.session.commit()
    confirm(_("The cost is removed."))
    if not wants_fragment():
        return redirect(url_for("events.show", event_id=event.id) + "#budget", 303)
    return _show(event)


# --- the checklist ----------------------------------------------------------------------------------------


@bp.route("/<int:event_id>/tasks/<int:task_id>/done", methods=["POST"])
def tick_task(event_id: int, task_id: int):
    """Tick a checklist item off (or back on), in place."""
    event = event_or_404(event_id)
    task = checklist.get_task(event, task_id)
    if task is None:
        abort(404)
    checklist.tick(task, actor_id=current_user().id)
    db.session.commit()
    confirm(_("Done: %(task)s.", task=task.label) if task.done_at else _("Open again: %(task)s.", task=task.label))
    if not wants_fragment():
        back = url_for("home.index") if request.form.get("back") == "home" else \
            url_for("events.show", event_id=event.id) + "#checklist"
        return redirect(back, 303)
    return _show(event, fragment="events/_checklist.html")


def _template_page(form: ChecklistItemForm | None = None, status: int = 200):
    return render("events/checklist.html", "events/_template.html", status=status,
                  items=checklist.template_items(include_inactive=True), form=form or ChecklistItemForm(formdata=None))


@bp.route("/checklist")
@requires(*ADMINS)
def checklist_template():
    """The checklist every new event starts with: each item due some days before or after the opening day."""
    page = _template_page()
    db.session.commit()  # the defaults, written on first use
    return page


@bp.route("/checklist", methods=["POST"])
@requires(*ADMINS)
def add_checklist_item():
    """Add an item to the checklist template."""
    form = ChecklistItemForm()
    if not form.validate_on_submit():
        return _template_page(form, 422)
    checklist.add_item(form.title.data, form.offset_days.data, actor_id=current_user().id)
    db.session.commit()
    confirm(_("“%(task)s” is added to the checklist.", task=form.title.data))
    if not wants_fragment():
        return redirect(url_for("events.checklist_template"), 303)
    return _template_page()


@bp.route("/checklist/<int:item_id>/toggle", methods=["POST"])
@requires(*ADMINS)
def toggle_checklist_item(item_id: int):
    """Take an item out of the template, or put it back (events that have it keep it)."""
    item = checklist.toggle_item(item_id, actor_id=current_user().id)
    if item is None:
        abort(404)
    db.session.commit()
    confirm(_("“%(task)s” is back in the checklist.", task=item.label) if item.active
            else _("“%(task)s” is out of the checklist.", task=item.label))
    if not wants_fragment():
        return redirect(url_for("events.checklist_template"), 303)
    return _template_page()


def home_panel(**_overrides):
    """Home: checklist items of live events past their due day, for whoever runs events."""
    if not service.runs_events(current_role()):
        return None
    today = local_today()
    tasks, total = checklist.overdue(today)
    if not tasks:
        return None
    return "events/_home.html", {"tasks": tasks, "total": total, "today": today}


def calendar_items(user) -> list[tuple]:
    """The person's calendar feed: open checklist items of the events they go to (overdue ones say so)."""
    today = date.today()
    items = []
    for task in checklist.open_tasks_for(user):
        summary = _("%(task)s · %(event)s", task=task.label, event=task.event.name)
        if task.due_on < today:
            summary = _("Overdue: %(item)s", item=summary)
        items.append((f"event-task-{task.id}", task.due_on, summary,
                      _("Checklist of %(event)s, %(city)s, opening %(day)s.", event=task.event.name,
                        city=task.event.city, day=task.event.opens_on.isoformat()),
                      public_url_for("events.show", event_id=task.event_id)))
    return items
