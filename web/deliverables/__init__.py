"""Deliverables: what each contract promised (ads, banners, discounts, booths), by whom, by when, with proof."""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..features import Feature
from ..history import HIDDEN, PEOPLE, Names, as_date, as_number, as_yes_no, labelled
from ..locale_context import label, locale_name, texts
from . import demo
from .models import DELIVERABLE_STATUS_LABELS, kind_label
from .routes import bp, contract_panel, first_step, home_panel, kinds_panel
from .service import kind_names

# A deliverable row's words, translated once per request however many rows a page shows.
ROW_TEXTS = {
    "due": _l("Due"), "overdue": _l("overdue"), "what": _l("What"), "responsible": _l("Responsible"),
    "nobody_yet": _l("Nobody yet"), "status": _l("Status"), "save": _l("Save"), "proof": _l("Proof"),
    "link": _l("link"), "file": _l("file"), "add_proof": _l("Add proof"), "replace": _l("Replace"),
    "proof_link": _l("Proof (link)"), "or_a_file": _l("or a file"), "save_the_proof": _l("Save the proof"),
    "value_share": _l("Value share"), "edit": _l("Edit"), "remove_this_deliverable": _l("Remove this deliverable?"),
    "remove": _l("Remove"), "open_the_form": _l("Open the form"),
}

_OPTIONS: dict[tuple[str, str], Markup] = {}


def status_options(current: str) -> Markup:
    """The status select's <option>s, `current` selected, in the reader's words: built once per status and language
    for the process (every row of a list has this select; its labels were lazy strings resolved per option)."""
    key = (locale_name(), current)
    found = _OPTIONS.get(key)
    if found is None:
        found = Markup("").join(
            Markup('<option value="{0}"{1}>{2}</option>').format(value, Markup(" selected") if value == current else "",
                                                                   words)
            for value, words in texts(DELIVERABLE_STATUS_LABELS).items())
        if current in DELIVERABLE_STATUS_LABELS:  # known statuses only: the cache stays as small as the list
            _OPTIONS[key] = found
    return found


feature = Feature(
    "deliverables", blueprint=bp, demo=demo.seed,
    filters={"deliverable_status": lambda status: label(DELIVERABLE_STATUS_LABELS, status),
             "kind_label": kind_label},
    globals={"deliverable_status_options": status_options,
             "deliverable_texts": lambda: texts(ROW_TEXTS)},
    panels={"home": [(10, home_panel)], "contract": [(10, contract_panel)], "contract_settings": [(10, kinds_panel)]},
    hooks={"first_step": first_step},
    audit_labels={
        "deliverable.added": _l("Deliverable added"),
        "deliverable.updated": _l("Deliverable changed"),
        "deliverable.removed": _l("Deliverable removed"),
        "contracts.kind_added": _l("Deliverable kind added"),
        "contracts.kind_toggled": _l("Deliverable kind switched on or off"),
    },
    field_labels={"details": _l("details"), "details_text": _l("deliverable"), "due_on": _l("due"),
                  "responsible_id": _l("responsible"), "department": _l("department"),
                  "value_share": _l("value share"), "proof_url": _l("proof"), "proof_file": _l("proof file"),
                  "kind_id": _l("kind"), "active": _l("in use")},
    field_values={"deliverable:status": labelled(DELIVERABLE_STATUS_LABELS), "due_on": as_date,
                  "responsible_id": PEOPLE, "value_share": as_number, "kind_id": Names("kinds", kind_names),
                  "deliverable": HIDDEN, "active": as_yes_no},
)
