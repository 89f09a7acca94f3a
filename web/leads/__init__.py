"""Leads: research and qualify, hand off to a rep who accepts or returns, convert into a customer."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import PEOPLE, as_money, labelled
from ..locale_context import label
from . import demo
from .models import HANDOFF_LABELS, STATUS_LABELS, STATUS_TONES
from .routes import bp, first_step, home_panel, source_label, status_label

# The one-click moves a board card offers from each status: (to, way); way is forward, back or reopen.
BOARD_MOVES = {"new": (("researching", "forward"),), "researching": (("new", "back"), ("qualified", "forward")),
               "qualified": (("researching", "back"),), "disqualified": (("new", "reopen"),)}

feature = Feature(
    "leads", blueprint=bp, demo=demo.seed,
    filters={"lead_status": status_label, "lead_source": source_label},
    globals={"lead_moves": BOARD_MOVES,
             "lead_status_tone": lambda value: STATUS_TONES.get(value, ""),
             "handoff_label": lambda status: label(HANDOFF_LABELS, status)},
    panels={"home": [(20, home_panel)]},
    hooks={"first_step": first_step},
    tabs={"leads": [(10, "leads.index", _l("List"), None), (20, "leads.board", _l("Board"), None)]},
    audit_labels={
        "lead.created": _l("Lead created"),
        "lead.updated": _l("Lead edited"),
        "lead.status_changed": _l("Lead moved"),
        "lead.disqualified": _l("Lead disqualified"),
        "lead.handed_off": _l("Lead handed off"),
        "lead.handoff_accepted": _l("Hand-off accepted"),
        "lead.handoff_returned": _l("Hand-off returned"),
        "lead.converted": _l("Lead converted"),
        "lead.merged": _l("Lead merged"),
        "leads.settings_changed": _l("Lead settings changed"),
    },
    field_labels={"company": _l("company"), "contact_name": _l("contact person"), "contact_title": _l("their role"),
                  "source": _l("source"), "tags": _l("tags"), "reason": _l("reason"), "note": _l("note"),
                  "lead:owner_id": _l("owner"), "lead:value": _l("estimated value"), "from": _l("merged from"),
                  "filled": _l("filled in"), "account": _l("account"), "contract": _l("contract")},
    field_values={"lead:status": labelled(STATUS_LABELS), "source": source_label, "lead:owner_id": PEOPLE,
                  "lead:value": as_money},
)
