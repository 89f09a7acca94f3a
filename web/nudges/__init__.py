"""Nudges: use-what-you-bought reminders. Rules (a banner not live N days after its start, a discount not claimed N
days before its date, a contract N days old) make one nudge per deliverable or contract; after a hold the tick sends
it (an email to the client contact in their language, or a check-in task for the coordinator); the queue previews,
edits, skips and sends; the contract's page tells what went out and what came of it."""
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import PEOPLE, as_language, labelled
from ..mail.service import mail_refused
from . import demo, service
from .models import ACTION_LABELS, TRIGGER_LABELS
from .routes import bp, contract_panel, home_panel


def _when(value) -> str:
    """An instant the history keeps as ISO text, in the reader's timezone and language."""
    try:
        return format_datetime(datetime.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value)


feature = Feature(
    "nudges", blueprint=bp, demo=demo.seed,
    # Before the outbox (90): an email a nudge queues goes out in the same tick.
    jobs=[("nudges", service.run_all, 60)],
    listeners=[(mail_refused, service.on_refused)],
    panels={"contract": [(35, contract_panel)], "home": [(27, home_panel)]},
    tabs={"reports": [(55, "nudges.index", _l("Nudges"), None)]},
    audit_labels={"nudge.scheduled": _l("Nudge scheduled"), "nudge.sent": _l("Nudge sent"),
                  "nudge.skipped": _l("Nudge skipped"), "nudge.edited": _l("Nudge text edited"),
                  "nudge.rule_added": _l("Nudge rule added"), "nudge.rule_changed": _l("Nudge rule changed")},
    field_labels={"nudge:rule": _l("rule"), "nudge:due_at": _l("goes"), "nudge:to": _l("to"),
                  "nudge:language": _l("language"), "nudge:assignee": _l("task for"), "nudge:reason": _l("reason"),
                  "nudge:trigger": _l("when"), "nudge:days": _l("days"), "nudge:action": _l("what happens"),
                  "nudge:hold_hours": _l("hold (hours)")},
    field_values={"nudge:assignee": PEOPLE, "nudge:due_at": _when, "nudge:language": as_language, "nudge:trigger": labelled(TRIGGER_LABELS),
                  "nudge:action": labelled(ACTION_LABELS)},
)
