"""Collateral inventory: items per language and version, stock per location with its history, what shows take and
bring back, and reorder warnings (on the home page, and once by mail from `coordina tick`)."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import as_date, as_number, as_yes_no, labelled
from ..locale_context import label
from . import demo, reorder, reprint_routes  # noqa: F401  (its routes join the blueprint)
from .models import KIND_LABELS, LOCATION_LABELS, MOVE_LABELS, REPRINT_STATUS_LABELS
from .routes import bp, event_panel, home_panel, mailing_panel, shipment_contents

feature = Feature(
    "collateral", blueprint=bp, demo=demo.seed,
    jobs=[("collateral", reorder.run)],
    filters={"collateral_kind": lambda kind: label(KIND_LABELS, kind),
             "location_kind": lambda kind: label(LOCATION_LABELS, kind),
             "stock_move": lambda reason: label(MOVE_LABELS, reason),
             "reprint_status": lambda status: label(REPRINT_STATUS_LABELS, status)},
    panels={"home": [(16, home_panel)], "event": [(30, event_panel)], "mailing": [(30, mailing_panel)]},
    hooks={"shipment_contents": shipment_contents},
    audit_labels={
        "collateral.item_added": _l("Collateral item added"),
        "collateral.item_changed": _l("Collateral item changed"),
        "collateral.location_added": _l("Location added"),
        "collateral.reorder_warned": _l("Reorder warning sent"),
        "collateral.reprint_started": _l("Reprint started"),
        "collateral.reprint_answered": _l("A rep answered about the reprint"),
        "collateral.reprint_moved": _l("Reprint moved on"),
        "event.collateral_sent": _l("Collateral sent to the show"),
        "event.collateral_reconciled": _l("Collateral counted after the show"),
        "event.mailing_collateral": _l("Collateral to send with a mailing"),
        "event.mailing_collateral_dropped": _l("Collateral no longer sent with a mailing"),
    },
    field_labels={"reorder_level": _l("reorder level"), "lead_time_days": _l("print lead time"),
                  "supplier": _l("supplier"), "collateral:version": _l("version"), "collateral:language": _l("language"),
                  "order_by": _l("order by"), "on_hand": _l("in stock"), "event:item": _l("item"),
                  "event:shipped": _l("shipped"), "given_away": _l("given away"), "returned": _l("returned"),
                  "lost": _l("lost or damaged"), "wants_changes": _l("wants changes"),
                  "collateral:status": _l("status"), "collateral:quantity": _l("quantity"),
                  "planned_on": _l("goes out on")},
    field_values={"order_by": as_date, "on_hand": as_number, "reorder_level": as_number, "lead_time_days": as_number,
                  "event:shipped": as_number, "given_away": as_number, "returned": as_number, "lost": as_number,
                  "wants_changes": as_yes_no, "collateral:status": labelled(REPRINT_STATUS_LABELS),
                  "collateral:quantity": as_number, "planned_on": as_date},
)
