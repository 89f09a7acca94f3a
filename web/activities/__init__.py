"""Activities: calls, emails, meetings and notes on leads and accounts, and the follow-ups they set."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import labelled
from ..leads.signals import lead_converted
from ..locale_context import label
from . import demo
from .models import ACTIVITY_LABELS
from .routes import account_panel, bp, home_panel, lead_panel
from .service import move_to_account

feature = Feature(
    "activities", blueprint=bp, demo=demo.seed,
    globals={"activity_label": lambda kind: label(ACTIVITY_LABELS, kind)},
    panels={"home": [(25, home_panel)], "account": [(20, account_panel)], "lead": [(20, lead_panel)]},
    listeners=[(lead_converted, move_to_account)],
    tabs={"leads": [(70, "activities.index", _l("My follow-ups"), None)]},
    audit_labels={"activity.added": _l("Activity added"), "activity.done": _l("Follow-up done")},
    field_labels={"kind": _l("kind"), "subject": _l("subject")},
    field_values={"activity:kind": labelled(ACTIVITY_LABELS)},
)
