"""Cover: a rep sets an away period and a cover person (by default their coordinator); while it runs, the rep's
new leads, hand-offs and renewal reminders reach the cover person too (home page at once, mail by the tick), and
the rep's accounts say "away until ..., contact ..."."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import PEOPLE, as_date
from . import demo, service
from .routes import account_panel, bp, home_panel

feature = Feature(
    "cover", blueprint=bp, demo=demo.seed,
    jobs=[("cover", service.forward_all, 45)],
    panels={"home": [(5, home_panel)], "account": [(1, account_panel)]},
    audit_labels={"cover.away_set": _l("Away period set"), "cover.away_ended": _l("Away period ended")},
    field_labels={"cover:cover": _l("covered by"), "cover:starts_on": _l("from"), "cover:ends_on": _l("until")},
    field_values={"cover:cover": PEOPLE, "cover:starts_on": as_date, "cover:ends_on": as_date},
)
