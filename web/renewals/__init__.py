"""Renewals: what ends when (a calendar with notice deadlines), renewing in one click, reminders before
each notice deadline, automatic renewals, and each person's private iCal feed."""
from flask_babel import lazy_gettext as _l

from tenants.auth import access_ended

from ..features import Feature
from ..history import as_date, as_number
from . import feed, reminders
from .routes import bp, contract_panel

feature = Feature(
    "renewals", blueprint=bp,
    jobs=[("renewals", reminders.run)],
    listeners=[(access_ended, feed.end_feeds)],
    panels={"contract": [(1, contract_panel)]},
    audit_labels={
        "contract.renewal_started": _l("Renewal started"),
        "contract.expiring": _l("Contract expiring"),
        "contract.expired": _l("Contract expired"),
        "contract.reminder_sent": _l("Renewal reminder sent"),
    },
    field_labels={"renewal": _l("renewal"), "by": _l("by"), "to": _l("to"),
                  "days_before_deadline": _l("days before the deadline"), "notice_deadline": _l("notice deadline")},
    field_values={"notice_deadline": as_date, "days_before_deadline": as_number},
)
