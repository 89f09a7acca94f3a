"""Events and trade shows: where and when, the booth, who goes, and a budget in any currency."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import as_date, as_money, as_number, as_rate, as_yes_no, labelled
from ..templating import fx_source
from . import demo
from .models import COST_LABELS, KIND_LABELS, STATUS_LABELS
from .routes import bp, calendar_items, home_panel

feature = Feature(
    "events", blueprint=bp, demo=demo.seed,
    filters={"event_kind": lambda kind: str(KIND_LABELS.get(kind, kind)),
             "event_status": lambda status: str(STATUS_LABELS.get(status, status)),
             "cost_category": lambda category: str(COST_LABELS.get(category, category))},
    panels={"home": [(15, home_panel)]},
    hooks={"calendar_items": calendar_items},
    audit_labels={
        "event.task_done": _l("Checklist item done"),
        "event.task_reopened": _l("Checklist item open again"),
        "event.checklist_item_added": _l("Checklist item added"),
        "event.checklist_item_toggled": _l("Checklist item taken out or put back"),
        "event.created": _l("Event created"),
        "event.updated": _l("Event changed"),
        "event.cost_added": _l("Cost added"),
        "event.cost_removed": _l("Cost removed"),
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
        "event:rate": _l("rate"), "event:rate_date": _l("rate date"), "event:source": _l("rate source"),
    },
    field_values={
        "event:kind": labelled(KIND_LABELS), "event:status": labelled(STATUS_LABELS),
        "event:category": labelled(COST_LABELS), "event:amount": as_money, "event:base": as_money,
        "setup_on": as_date, "opens_on": as_date, "closes_on": as_date, "teardown_on": as_date,
        "event:active": as_yes_no, "offset_days": as_number,
        "event:rate_date": as_date, "event:rate": as_rate, "event:source": fx_source,
    },
)
