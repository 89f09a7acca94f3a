"""Events and trade shows: where and when, the booth, who goes, and a budget in any currency."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import as_date, as_money, as_number, as_rate, as_yes_no, labelled
from ..locale_context import label
from ..mail.service import mail_refused
from ..templating import fx_source
from . import capture_routes, demo, mailing, mailing_routes, shipping_routes  # noqa: F401  (their routes join the blueprint)
from .carriers import CARRIER_LABELS
from .models import (
    COST_LABELS,
    DIRECTION_LABELS,
    INTEREST_LABELS,
    ITEM_KIND_LABELS,
    KIND_LABELS,
    MAILING_KIND_LABELS,
    MAILING_STATUS_LABELS,
    NEXT_STATUSES,
    RECIPIENT_STATUS_LABELS,
    RSVP_LABELS,
    SHIPMENT_STATUS_LABELS,
    STATUS_LABELS,
)
from .routes import bp, calendar_items, home_panel

feature = Feature(
    "events", blueprint=bp, demo=demo.seed,
    filters={"event_kind": lambda kind: label(KIND_LABELS, kind),
             "event_status": lambda status: label(STATUS_LABELS, status),
             "cost_category": lambda category: label(COST_LABELS, category),
             "shipment_status": lambda status: label(SHIPMENT_STATUS_LABELS, status),
             "shipment_direction": lambda direction: label(DIRECTION_LABELS, direction),
             "shipment_item_kind": lambda kind: label(ITEM_KIND_LABELS, kind),
             "carrier_name": lambda carrier: label(CARRIER_LABELS, carrier),
             "mailing_kind": lambda kind: label(MAILING_KIND_LABELS, kind),
             "mailing_status": lambda status: label(MAILING_STATUS_LABELS, status),
             "recipient_status": lambda status: label(RECIPIENT_STATUS_LABELS, status),
             "rsvp_label": lambda answer: label(RSVP_LABELS, answer),
             "interest_label": lambda interest: label(INTEREST_LABELS, interest)},
    globals={"next_statuses": lambda status: [(s, str(SHIPMENT_STATUS_LABELS[s])) for s in NEXT_STATUSES.get(status, ())]},
    panels={"home": [(15, home_panel)]},
    hooks={"calendar_items": calendar_items},
    listeners=[(mail_refused, mailing.bounced)],
    audit_labels={
        "event.task_done": _l("Checklist item done"),
        "event.task_reopened": _l("Checklist item open again"),
        "event.checklist_item_added": _l("Checklist item added"),
        "event.checklist_item_toggled": _l("Checklist item taken out or put back"),
        "event.created": _l("Event created"),
        "event.updated": _l("Event changed"),
        "event.cost_added": _l("Cost added"),
        "event.cost_removed": _l("Cost removed"),
        "event.lead_captured": _l("Lead captured at the show"),
        "event.mailing_created": _l("Mailing written"),
        "event.mailing_started": _l("Mailing started"),
        "event.mailing_sent": _l("Mailing sent"),
        "event.unsubscribed": _l("Unsubscribed from event mailings"),
        "event.shipment_added": _l("Shipment added"),
        "event.shipment_changed": _l("Shipment changed"),
        "event.shipment_moved": _l("Shipment moved on"),
        "event.shipment_item_added": _l("Packed in a shipment"),
        "event.shipment_item_removed": _l("Taken out of a shipment"),
    },
    field_labels={
        "event:name": _l("name"), "event:kind": _l("kind"), "event:venue": _l("venue"), "event:city": _l("city"),
        "event:country": _l("country"), "event:timezone": _l("timezone"), "setup_on": _l("set-up"),
        "opens_on": _l("opens"), "closes_on": _l("closes"), "teardown_on": _l("tear-down"),
        "booth_number": _l("booth number"), "booth_size": _l("booth size"), "event:hall": _l("hall"),
        "event:status": _l("status"), "event:notes": _l("notes"), "attendees": _l("who goes"),
        "event:category": _l("what for"), "event:amount": _l("amount"), "event:base": _l("base value"),
        "event:task": _l("item"), "offset_days": _l("days from the opening day"), "event:title": _l("item"),
        "event:active": _l("in use"),
        "event:carrier": _l("carrier"), "tracking_number": _l("tracking number"), "ship_by": _l("ship by"),
        "transit_days": _l("transit days"), "incoterm": _l("incoterm"), "ata_carnet_number": _l("ATA carnet"),
        "event:description": _l("what"), "event:quantity": _l("quantity"),
        "recipients": _l("recipients"), "interest": _l("interest"), "event:company": _l("company"), "event:email": _l("email"),
        "event:rate": _l("rate"), "event:rate_date": _l("rate date"), "event:source": _l("rate source"),
    },
    field_values={
        "event:kind": labelled({**MAILING_KIND_LABELS, **KIND_LABELS}), "recipients": as_number, "interest": labelled(INTEREST_LABELS), "event:status": labelled({**SHIPMENT_STATUS_LABELS, **STATUS_LABELS}),
        "event:category": labelled(COST_LABELS), "event:amount": as_money, "event:base": as_money,
        "setup_on": as_date, "opens_on": as_date, "closes_on": as_date, "teardown_on": as_date,
        "event:active": as_yes_no, "offset_days": as_number,
        "event:rate_date": as_date, "ship_by": as_date, "event:carrier": labelled(CARRIER_LABELS),
        "event:quantity": as_number, "transit_days": as_number, "event:rate": as_rate, "event:source": fx_source,
    },
)
