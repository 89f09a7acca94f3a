"""How statuses, sources, kinds and audit actions of leads read, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.labels import LABELS

STATUS_LABELS = {
    "new": _l("New"),
    "researching": _l("Researching"),
    "qualified": _l("Qualified"),
    "handed_off": _l("Handed off"),
    "converted": _l("Converted"),
    "disqualified": _l("Disqualified"),
}
# The badge colour of each status (classes of app.css).
STATUS_TONES = {
    "new": "", "researching": "info", "qualified": "ok", "handed_off": "warn", "converted": "ok", "disqualified": "danger",
}

SOURCE_LABELS = {
    "web_form": _l("Web form"),
    "event": _l("Event"),
    "distributor": _l("Distributor"),
    "referral": _l("Referral"),
    "cold_research": _l("Cold research"),
    "import": _l("Import"),
}

KIND_LABELS = {
    "text": _l("Text"),
    "yes_no": _l("Yes or no"),
    "choice": _l("Choice"),
    "number": _l("Number"),
}

ACTIVITY_LABELS = {
    "call": _l("Call"),
    "email": _l("Email"),
    "meeting": _l("Meeting"),
    "note": _l("Note"),
}

HANDOFF_LABELS = {
    "pending": _l("Waiting for the rep"),
    "accepted": _l("Accepted"),
    "returned": _l("Returned"),
}

BONUS_RULE_LABELS = {
    "none": _l("No bonus"),
    "fixed": _l("A fixed amount in the base currency"),
    "percent": _l("A percentage of the first contract's value"),
}

LABELS.update({
    "lead.created": _l("Lead created"),
    "lead.updated": _l("Lead edited"),
    "lead.status_changed": _l("Lead moved"),
    "lead.disqualified": _l("Lead disqualified"),
    "lead.answers_recorded": _l("Qualifying answers recorded"),
    "lead.handed_off": _l("Lead handed off"),
    "lead.handoff_accepted": _l("Hand-off accepted"),
    "lead.handoff_returned": _l("Hand-off returned"),
    "lead.converted": _l("Lead converted"),
    "lead.merged": _l("Lead merged"),
    "lead.bonus_earned": _l("Coordinator bonus earned"),
    "lead.web_form": _l("Lead from the web form"),
    "leads.imported": _l("Leads imported"),
    "leads.questionnaire_changed": _l("Questionnaire changed"),
    "leads.settings_changed": _l("Lead settings changed"),
    "activity.added": _l("Activity added"),
    "activity.done": _l("Follow-up done"),
})


def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


def source_label(value: str) -> str:
    return str(SOURCE_LABELS.get(value, value))
