"""After the sale: cases (complaints, questions, problems), their SLA in business hours and their thread."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import PEOPLE, as_yes_no, labelled
from . import demo, models  # noqa: F401  (the tables exist for every app, before the views come)
from .models import CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS
from .routes import account_panel, bp, contract_panel, home_panel

feature = Feature(
    "cases", blueprint=bp, demo=demo.seed,
    panels={"home": [(3, home_panel)], "account": [(20, account_panel)], "contract": [(40, contract_panel)]},
    audit_labels={"case.opened": _l("Case opened"), "case.status": _l("Case status changed"),
                  "case.priority": _l("Case priority changed"), "case.assigned": _l("Case reassigned"),
                  "case.settings_changed": _l("Case settings changed")},
    field_labels={"case:status": _l("status"), "case:priority": _l("priority"), "case:assignee": _l("assigned to"),
                  "case:channel": _l("channel"), "case:workdays": _l("working days"),
                  "case:day_starts": _l("working day starts"), "case:day_ends": _l("working day ends"),
                  "case:webform_enabled": _l("case form on"), "case:webform_assignee_id": _l("form cases go to"),
                  "case:urgent": _l("urgent (minutes)"), "case:high": _l("high (minutes)"),
                  "case:normal": _l("normal (minutes)"), "case:low": _l("low (minutes)")},
    field_values={"case:status": labelled(STATUS_LABELS), "case:priority": labelled(PRIORITY_LABELS),
                  "case:channel": labelled(CHANNEL_LABELS), "case:assignee": PEOPLE,
                  "case:webform_enabled": as_yes_no, "case:webform_assignee_id": PEOPLE},
)
