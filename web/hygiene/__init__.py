"""Data hygiene: an SMTP refusal (5xx) marks a contact's or lead's email as bouncing; coordinators report mail
returned, bounced emails and dead phones; the "needs fixing" queue; the fix (phones in international form)
recorded in the record's history."""
from flask_babel import lazy_gettext as _l

from tenants.models import SEES_ALL

from ..features import Feature
from ..history import labelled
from ..mail.service import mail_refused
from . import demo
from .models import KIND_LABELS
from .routes import account_panel, bp, lead_panel
from .service import on_refused

feature = Feature(
    "hygiene", blueprint=bp, demo=demo.seed,
    listeners=[(mail_refused, on_refused)],
    panels={"account": [(40, account_panel)], "lead": [(40, lead_panel)]},
    tabs={"reports": [(50, "hygiene.index", _l("Needs fixing"), SEES_ALL)]},
    audit_labels={"hygiene.reported": _l("Address reported as not working"),
                  "hygiene.fixed": _l("Address fixed")},
    field_labels={"problem": _l("problem"), "address": _l("address")},
    field_values={"problem": labelled(KIND_LABELS)},
)
