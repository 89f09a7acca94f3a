"""Collateral: the inventory (low stock and order-by days), an item's stock per location and history, receiving
and counting stock, locations, and on an event's page what the show took and what came back."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import EditConflict, db
from tenants.models import SEES_ALL, STAFF
from tenants.pager import InvalidCursor
from tenants.resolve import TenantBlueprint, current_role, requires

from ..activities.service import local_today
from ..events import mailing as mailings
from ..events import shipping
from ..events.mailing_routes import mailing_page
from ..events.routes import event_or_404, event_page
from ..htmx import confirm, render, wants_fragment
from . import reprints, service
from .forms import ItemForm, LocationForm, NeedForm, ReconcileForm, ReprintForm, StockForm, TakeForm
from .models import KIND_LABELS

bp = TenantBlueprint("collateral", __name__, roles=STAFF)


def item_or_404(item_id: int):
    item = service.get_item(item_id)
    if item is None:
        abort(404)
    return item


@bp.route("")
def index():
    """The inventory: every item with its stock, reorder level and order-by day; low ones can be listed alone."""
    kind = request.args.get("kind") if request.args.get("kind") in KIND_LABELS else None
    low = request.args.get("low") == "1"
    try:
        page = service.list_page(kind=kind, low=low, after=request.args.get("after"))
    except InvalidCursor:
        abort(404)
    today = local_today()
    args = {k: v for k, v in (("kind", kind), ("low", "1" if low else None)) if v}
    return render("collateral/index.html", "collateral/_list.html", page=page, args=args, kind=kind, low=low,
                  order_by=service.order_by_days(page.rows, today), today=today, kinds=KIND_LABELS,
                  count=service.count(kind=kind, low=low), can_run=current_role() in SEES_ALL,
                  location_form=LocationForm(formdata=None), locations=service.locations())


def _data(form: ItemForm) -> service.ItemData:
    return service.ItemData(name=form.name.data, kind=form.kind.data, language=form.language.data,
                            version=form.version.data, reorder_level=form.reorder_level.data,
                            lead_time_days=form.lead_time_days.data, supplier=form.supplier.data or None,
                            notes=form.notes.data or None)


def _unique(form: ItemForm, but: int | None = None) -> bool:
    if form.name.data and form.language.data and form.version.data and service.is_taken(
            form.name.data, form.language.data, form.version.data, but=but):
        form.version.errors = [*form.version.errors, _("This item already exists in this language and version.")]
        return False
    return True


@bp.route("/new")
@requires(*SEES_ALL)
def new():
    """The new item form."""
    form = ItemForm(formdata=None, kind="brochure", reorder_level=100, lead_time_days=14, version="2027")
    return render("collateral/new.html", "collateral/_form.html", form=form, item=None)


@bp.route("", methods=["POST"])
@requires(*SEES_ALL)
def create():
    """Add an item; the same name, language and version twice is a 422."""
    form = ItemForm()
    # Unique only once the fields are readable (a NUL byte must never reach the query).
    if not (form.validate_on_submit() and _unique(form)):
        return render("collateral/new.html", "collateral/_form.html", status=422, form=form, item=None)
    item = service.create_item(_data(form), actor_id=current_user().id)
    db.session.commit()
    flash(_("“%(name)s” is added to the inventory.", name=item.name), "success")
    return redirect(url_for("collateral.show", collateral_id=item.id), 303)


def _show(item, status: int = 200, stock_form: StockForm | None = None):
    today = local_today()
    locations = service.locations()
    return render("collateral/show.html", "collateral/_stock.html", status=status, item=item,
                  stock=service.stock_of(item), moves=service.history(item),
                  order_by=service.order_by_days([item], today).get(item.id), today=today,
                  can_run=current_role() in SEES_ALL, locations=locations,
                  stock_form=stock_form or StockForm(formdata=None, locations=locations, action="received"),
                  reprints=reprints.of_item(item), reprint_form=ReprintForm(formdata=None, quantity=max(
                      item.reorder_level * 4, 100)))


@bp.route("/<int:collateral_id>")
def show(collateral_id: int):
    """An item: stock per location, when to reorder, and every move of it."""
    return _show(item_or_404(collateral_id))


@bp.route("/<int:collateral_id>/edit")
@requires(*SEES_ALL)
def edit(collateral_id: int):
    """The item's form, carrying the version it was opened on."""
    item = item_or_404(collateral_id)
    form = ItemForm(formdata=None, obj=item)
    form.version_id.data = item.row_version
    return render("collateral/edit.html", "collateral/_form.html", form=form, item=item)


@bp.route("/<int:collateral_id>", methods=["POST"])
@requires(*SEES_ALL)
def update(collateral_id: int):
    """Save the item (409 with the input kept if someone saved first)."""
    item = item_or_404(collateral_id)
    form = ItemForm()
    if not (form.validate_on_submit() and _unique(form, but=item.id)):
        return render("collateral/edit.html", "collateral/_form.html", status=422, form=form, item=item)
    try:
        service.update_item(item, _data(form), version=form.version_id.data, actor_id=current_user().id)
        db.session.commit()
    except EditConflict:
        db.session.rollback()
        item = item_or_404(collateral_id)
        form.fail(_("Someone changed this item while you were editing. Your changes are below and were not saved; "
                    "save again to keep them."))
        form.version_id.data = item.row_version
        return render("collateral/edit.html", "collateral/_form.html", status=409, form=form, item=item)
    flash(_("“%(name)s” is saved.", name=item.name), "success")
    return redirect(url_for("collateral.show", collateral_id=item.id), 303)


@bp.route("/<int:collateral_id>/stock", methods=["POST"])
@requires(*SEES_ALL)
def move_stock(collateral_id: int):
    """Stock received, or counted (the count replaces the books; the difference is kept in the history)."""
    item = item_or_404(collateral_id)
    form = StockForm(locations=service.locations())
    if form.validate_on_submit():
        location = service.get_location(form.location_id.data)
        try:
            if form.action.data == "received":
                service.receive(item, location, form.quantity.data, actor_id=current_user().id,
                                note=form.note.data or None)
            else:
                service.count_stock(item, location, form.quantity.data, actor_id=current_user().id,
                                    note=form.note.data or None)
        except service.StockError as exc:
            db.session.rollback()
            form.quantity.errors = [str(exc)]
        else:
            db.session.commit()
            confirm(_("Stock of “%(name)s” saved: %(num)d in all.", name=item.name, num=item.on_hand))
            if not wants_fragment():
                return redirect(url_for("collateral.show", collateral_id=item.id), 303)
            return _show(item)
    return _show(item, 422, stock_form=form)


@bp.route("/locations", methods=["POST"])
@requires(*SEES_ALL)
def add_location():
    """Add a place where collateral is kept."""
    form = LocationForm()
    if form.validate_on_submit() and not service.location_taken(form.location_name.data):
        service.add_location(form.location_name.data, form.location_kind.data, actor_id=current_user().id)
        db.session.commit()
        flash(_("%(name)s is added to the locations.", name=form.location_name.data), "success")
        return redirect(url_for("collateral.index"), 303)
    if not form.location_name.errors and form.location_name.data:
        form.location_name.errors = [_("There is already a location with this name.")]
    return render("collateral/index.html", "collateral/_locations.html", status=422, page=service.list_page(
        kind=None, low=False, after=None), args={}, kind=None, low=False, order_by={}, today=local_today(),
        kinds=KIND_LABELS, count=service.count(kind=None, low=False), can_run=True, location_form=form,
        locations=service.locations())


# --- an event's collateral ----------------------------------------------------------------------------------


def _outbound(event):
    """The event's shipments to the show: collateral may travel in one of them."""
    return [s for s in shipping.of_event(event) if s.direction == "out"]


def shipment_contents(shipment) -> list[tuple[str, str, int]]:
    """Hook for a shipment's page and packing list: (kind, description, quantity) of the inventory in it."""
    return [(str(KIND_LABELS[row.item.kind]), f"{row.item.name} ({row.item.language.upper()}, {row.item.version})",
             row.shipped) for row in service.in_shipment(shipment)]


def event_panel(event, take_form=None, reconcile_errors=None, **_overrides):
    """On an event's page: the collateral it took, and after the show what came back."""
    can_run = current_role() in SEES_ALL
    return "collateral/_event.html", {
        "rows": service.of_event(event), "can_run": can_run, "reconcile_errors": reconcile_errors or {},
        "take_form": take_form or (TakeForm(formdata=None, items=service.items(), locations=service.locations(),
                                            shipments=_outbound(event)) if can_run else None),
    }


@bp.route("/events/<int:event_id>/take", methods=["POST"])
@requires(*SEES_ALL)
def take(event_id: int):
    """Send collateral to the show, out of a location's stock (more than is there is a 422)."""
    event = event_or_404(event_id)
    form = TakeForm(items=service.items(), locations=service.locations(), shipments=_outbound(event))
    if form.validate_on_submit():
        item = service.get_item(form.item_id.data)
        try:
            service.take_to(event, item, service.get_location(form.location_id.data), form.quantity.data,
                            actor_id=current_user().id, shipment_id=form.shipment_id.data)
        except service.StockError as exc:
            db.session.rollback()
            form.quantity.errors = [str(exc)]
        else:
            db.session.commit()
            confirm(_("%(num)d × “%(name)s” go to the show.", num=form.quantity.data, name=item.name))
            if not wants_fragment():
                return redirect(url_for("events.show", event_id=event.id) + "#collateral", 303)
            return event_page(event, "collateral/_event.html")
    return event_page(event, "collateral/_event.html", 422, take_form=form)


@bp.route("/events/<int:event_id>/taken/<int:taken_id>/reconcile", methods=["POST"])
@requires(*SEES_ALL)
def reconcile(event_id: int, taken_id: int):
    """After the show: given away and returned; the rest is lost or damaged, the returned go back into stock."""
    event = event_or_404(event_id)
    row = service.get_taken(event, taken_id)
    if row is None:
        abort(404)
    form = ReconcileForm()
    error = None
    if not form.validate_on_submit():
        error = " ".join(str(e) for f in (form.given_away, form.returned) for e in f.errors) or form.form_error
    else:
        try:
            lost = service.reconcile(row, form.given_away.data, form.returned.data, actor_id=current_user().id,
                                     today=local_today())
        except service.StockError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            confirm(_("Counted: %(lost)d lost or damaged; %(back)d back in stock.", lost=lost,
                      back=form.returned.data))
            if not wants_fragment():
                return redirect(url_for("events.show", event_id=event.id) + "#collateral", 303)
            return event_page(event, "collateral/_event.html")
    typed = {"given_away": request.form.get("given_away", ""), "returned": request.form.get("returned", "")}
    return event_page(event, "collateral/_event.html", 422, reconcile_errors={taken_id: (error, typed)})


# --- what a mailing encloses -----------------------------------------------------------------------------------


def mailing_panel(mailing, need_form=None, **_overrides):
    """On a mailing's page: the printed pieces sent with it; until it is sent they count for the order-by days."""
    can_run = current_role() in SEES_ALL and mailing.status != "sent"
    return "collateral/_mailing.html", {
        "rows": service.of_mailing(mailing), "can_run": can_run,
        "need_form": need_form or (NeedForm(formdata=None, items=service.items(), quantity=None,
                                            planned_on=mailing.planned_on) if can_run else None),
    }


def _mailing_or_404(event_id: int, mailing_id: int):
    event = event_or_404(event_id)
    found = mailings.get(event, mailing_id)
    if found is None:
        abort(404)
    return event, found


def _back_to(event, found):
    if not wants_fragment():
        return redirect(url_for("events.mailing", event_id=event.id, mailing_id=found.id) + "#mailing-collateral", 303)
    return mailing_page(event, found, "collateral/_mailing.html")


@bp.route("/events/<int:event_id>/mailings/<int:mailing_id>/needs", methods=["POST"])
@requires(*SEES_ALL)
def need(event_id: int, mailing_id: int):
    """The mailing encloses this many of an item and goes out on this day (unknown item, fewer than one, a day in
    the past or a sent mailing: 422 with the input kept)."""
    event, found = _mailing_or_404(event_id, mailing_id)
    form = NeedForm(items=service.items())
    if form.validate_on_submit():
        item = service.get_item(form.item_id.data)
        try:
            service.need_for_mailing(found, item, form.quantity.data, form.planned_on.data, today=local_today(),
                                     actor_id=current_user().id)
        except service.NeedError as exc:
            db.session.rollback()
            found = mailings.get(event, mailing_id)
            form.planned_on.errors = [str(exc)]
        else:
            db.session.commit()
            confirm(_("%(num)d × “%(name)s” go with the mailing.", num=form.quantity.data, name=item.name))
            return _back_to(event, found)
    return mailing_page(event, found, "collateral/_mailing.html", 422, need_form=form)


@bp.route("/events/<int:event_id>/mailings/<int:mailing_id>/needs/<int:need_id>/delete", methods=["POST"])
@requires(*SEES_ALL)
def drop_need(event_id: int, mailing_id: int, need_id: int):
    """The mailing no longer encloses this item."""
    event, found = _mailing_or_404(event_id, mailing_id)
    row = service.get_need(found, need_id)
    if row is None:
        abort(404)
    name = row.item.name
    service.drop_need(row, found, actor_id=current_user().id)
    db.session.commit()
    confirm(_("“%(name)s” no longer goes with the mailing.", name=name))
    return _back_to(event, found)


def home_panel(**_overrides):
    """Home: collateral to reorder soon (below its reorder level, with a show coming that needs it); for a rep, the
    reprints waiting for their answer."""
    if current_role() not in SEES_ALL:
        waiting = reprints.waiting_for(current_user())
        return ("collateral/_questions.html", {"waiting": waiting}) if waiting else None
    due = service.to_reorder(local_today(), limit=8)
    if not due:
        return None
    return "collateral/_home.html", {"due": due, "today": local_today()}
