"""Shipments: the list across events (soonest ship-by first), one event's shipments, a shipment's page with what
goes in it and its next step, and its packing list printed in the destination's language."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import EditConflict, commit, db
from tenants.models import SEES_ALL
from tenants.pager import InvalidCursor
from tenants.resolve import current_role, requires

from ..activities.service import local_today
from ..features import hooks
from ..forms import errors_of
from ..htmx import confirm, render, wants_fragment
from . import shipping
from .carriers import tracking_url
from .forms import ShipmentForm, ShipmentItemForm, ShipmentStatusForm
from .models import SHIPMENT_STATUS_LABELS, Event, Shipment
from .routes import bp, event_or_404


def _status_filter() -> str | None:
    status = request.args.get("status") or None
    return status if status in SHIPMENT_STATUS_LABELS else None


@bp.route("/shipments")
def shipments():
    """Every shipment of the events the reader sees, the soonest to leave first."""
    status = _status_filter()
    me, role = current_user(), current_role()
    try:
        page = shipping.list_page(me, role, status, after=request.args.get("after"))
    except InvalidCursor:
        abort(404)
    args = {"status": status} if status else {}
    return render("events/shipments.html", "events/_shipments.html", page=page, args=args,
                  pieces=shipping.item_counts([s.id for s in page.rows]), count=shipping.count(me, role, status),
                  current_status=status,
                  today=local_today(), statuses=SHIPMENT_STATUS_LABELS)


def _data(form: ShipmentForm) -> shipping.ShipmentData:
    return shipping.ShipmentData(
        direction=form.direction.data, carrier=form.carrier.data, transit_days=form.transit_days.data,
        destination_country=form.destination_country.data, language=form.language.data,
        carrier_name=form.carrier_name.data or None, tracking_url_pattern=form.tracking_url_pattern.data or None,
        tracking_number=form.tracking_number.data, ata_carnet_number=form.ata_carnet_number.data or None,
        ata_carnet_expires_on=form.ata_carnet_expires_on.data, declared_amount=form.declared_amount.data,
        declared_currency=form.declared_currency.data or None, incoterm=form.incoterm.data or None)


def _check_carnet(form: ShipmentForm, event: Event) -> bool:
    if shipping.carnet_problem(event, form.ata_carnet_expires_on.data):
        form.ata_carnet_expires_on.errors = [*form.ata_carnet_expires_on.errors, _(
            "The carnet must still be valid when the goods come back: after %(day)s.",
            day=(event.teardown_on or event.closes_on).isoformat())]
        return False
    return True


@bp.route("/<int:event_id>/shipments/new")
@requires(*SEES_ALL)
def new_shipment(event_id: int):
    """The new shipment form: to the show's country, in its language, by default."""
    event = event_or_404(event_id)
    form = ShipmentForm(formdata=None, direction="out", carrier="dhl", transit_days=5,
                        destination_country=event.country, language=shipping.language_for(event.country))
    return render("events/shipment_new.html", "events/_shipment_form.html", form=form, event=event, shipment=None)


@bp.route("/<int:event_id>/shipments", methods=["POST"])
@requires(*SEES_ALL)
def create_shipment(event_id: int):
    """Add a shipment; a tracking number that is not the carrier's, or a carnet that expires too soon, is a 422."""
    event = event_or_404(event_id)
    form = ShipmentForm()
    valid = form.validate_on_submit()
    if not (_check_carnet(form, event) and valid):
        return render("events/shipment_new.html", "events/_shipment_form.html", status=422, form=form, event=event,
                      shipment=None)
    shipment = shipping.create(event, _data(form), actor_id=current_user().id)
    db.session.commit()
    flash(_("The shipment is added; it must leave by %(day)s.", day=shipment.ship_by.isoformat()), "success")
    return redirect(url_for("events.shipment", event_id=event.id, shipment_id=shipment.id), 303)


def _shipment_or_404(event: Event, shipment_id: int) -> Shipment:
    shipment = shipping.get(event, shipment_id)
    if shipment is None:
        abort(404)
    return shipment


def _contents(shipment: Shipment) -> list[tuple[str, str, int]]:
    """What higher features put in the shipment (inventory items from collateral), through the hook."""
    return [row for hook in hooks("shipment_contents") for row in hook(shipment)]


def _show(event: Event, shipment: Shipment, status: int = 200, item_form=None, status_error=None):
    return render("events/shipment.html", "events/_shipment.html", status=status, event=event, shipment=shipment,
                  items=shipping.items_of(shipment), contents=_contents(shipment), item_form=item_form or ShipmentItemForm(formdata=None),
                  status_error=status_error, can_run=current_role() in SEES_ALL, today=local_today(),
                  track=tracking_url(shipment.carrier, shipment.tracking_number, shipment.tracking_url_pattern))


@bp.route("/<int:event_id>/shipments/<int:shipment_id>")
def shipment(event_id: int, shipment_id: int):
    """A shipment: carrier and tracking link, ship-by day, customs papers, what goes in it."""
    event = event_or_404(event_id)
    return _show(event, _shipment_or_404(event, shipment_id))


@bp.route("/<int:event_id>/shipments/<int:shipment_id>/edit")
@requires(*SEES_ALL)
def edit_shipment(event_id: int, shipment_id: int):
    """The shipment's form, carrying the version it was opened on."""
    event = event_or_404(event_id)
    shipment = _shipment_or_404(event, shipment_id)
    form = ShipmentForm(formdata=None, obj=shipment)
    form.version.data = shipment.version
    return render("events/shipment_edit.html", "events/_shipment_form.html", form=form, event=event, shipment=shipment)


@bp.route("/<int:event_id>/shipments/<int:shipment_id>", methods=["POST"])
@requires(*SEES_ALL)
def update_shipment(event_id: int, shipment_id: int):
    """Save the shipment (409 with the input kept if someone saved first)."""
    event = event_or_404(event_id)
    shipment = _shipment_or_404(event, shipment_id)
    form = ShipmentForm()
    valid = form.validate_on_submit()
    if not (_check_carnet(form, event) and valid):
        return render("events/shipment_edit.html", "events/_shipment_form.html", status=422, form=form, event=event,
                      shipment=shipment)
    try:
        shipping.update(shipment, event, _data(form), version=form.version.data, actor_id=current_user().id)
        commit()
    except EditConflict:
        db.session.rollback()
        shipment = _shipment_or_404(event, shipment_id)
        form.fail(_("Someone changed this shipment while you were editing. Your changes are below and were not "
                    "saved; save again to keep them."))
        form.version.data = shipment.version
        return render("events/shipment_edit.html", "events/_shipment_form.html", status=409, form=form, event=event,
                      shipment=shipment)
    flash(_("The shipment is saved."), "success")
    return redirect(url_for("events.shipment", event_id=event.id, shipment_id=shipment.id), 303)


@bp.route("/<int:event_id>/shipments/<int:shipment_id>/items", methods=["POST"])
@requires(*SEES_ALL)
def add_shipment_item(event_id: int, shipment_id: int):
    """Put something in the shipment: booth parts, collateral or giveaways, with how many."""
    event = event_or_404(event_id)
    shipment = _shipment_or_404(event, shipment_id)
    form = ShipmentItemForm()
    if not form.validate_on_submit():
        return _show(event, shipment, 422, item_form=form)
    shipping.add_item(shipment, form.kind.data, form.description.data, form.quantity.data, actor_id=current_user().id)
    db.session.commit()
    confirm(_("Added: %(num)d × %(what)s.", num=form.quantity.data, what=form.description.data))
    if not wants_fragment():
        return redirect(url_for("events.shipment", event_id=event.id, shipment_id=shipment.id), 303)
    return _show(event, shipment)


@bp.route("/<int:event_id>/shipments/<int:shipment_id>/items/<int:packed_id>/delete", methods=["POST"])
@requires(*SEES_ALL)
def remove_shipment_item(event_id: int, shipment_id: int, packed_id: int):
    """Take something out of the shipment."""
    event = event_or_404(event_id)
    shipment = _shipment_or_404(event, shipment_id)
    if not shipping.remove_item(shipment, packed_id, actor_id=current_user().id):
        abort(404)
    db.session.commit()
    confirm(_("Taken out of the shipment."))
    if not wants_fragment():
        return redirect(url_for("events.shipment", event_id=event.id, shipment_id=shipment.id), 303)
    return _show(event, shipment)


@bp.route("/<int:event_id>/shipments/<int:shipment_id>/status", methods=["POST"])
@requires(*SEES_ALL)
def move_shipment(event_id: int, shipment_id: int):
    """The shipment's next step (shipped, in transit, delivered, returned); any other is a 422."""
    event = event_or_404(event_id)
    shipment = _shipment_or_404(event, shipment_id)
    form = ShipmentStatusForm()
    error = None
    if not form.validate_on_submit():
        error = form.form_error or errors_of(form.status)
    elif form.status.data != "prepared" and not shipment.tracking_number and form.status.data == "shipped":
        error = _("Give the tracking number before marking it shipped.")
    elif not shipping.move(shipment, form.status.data, actor_id=current_user().id):
        error = _("A shipment that is %(now)s cannot become %(next)s.",
                  now=str(SHIPMENT_STATUS_LABELS[shipment.status]).lower(),
                  next=str(SHIPMENT_STATUS_LABELS[form.status.data]).lower())
    if error:
        db.session.rollback()
        if not wants_fragment():
            flash(error, "error")
        return _show(event, _shipment_or_404(event, shipment_id), 422, status_error=error)
    db.session.commit()
    confirm(_("The shipment is now %(status)s.", status=str(SHIPMENT_STATUS_LABELS[shipment.status]).lower()))
    if not wants_fragment():
        return redirect(url_for("events.shipment", event_id=event.id, shipment_id=shipment.id), 303)
    return _show(event, shipment)


@bp.route("/<int:event_id>/shipments/<int:shipment_id>/packing-list")
def packing_list(event_id: int, shipment_id: int):
    """The packing list, printable, in the destination's language whatever the reader's."""
    event = event_or_404(event_id)
    shipment = _shipment_or_404(event, shipment_id)
    items = shipping.items_of(shipment)
    with force_locale(shipment.language):
        contents = _contents(shipment)
        return render("events/packing_list.html", "events/packing_list.html", event=event, shipment=shipment,
                      items=items, contents=contents, lang=shipment.language,
                      track=tracking_url(shipment.carrier, shipment.tracking_number, shipment.tracking_url_pattern))
