"""The manager's view: reps' targets and actuals per period (signed value converted at signing, renewals kept
and lost, new accounts, leads handed off and converted), figures entered by hand, who supports whom."""
from flask_babel import lazy_gettext as _l

from tenants.models import SEES_ALL

from ..features import Feature
from ..history import PEOPLE, as_money, as_number
from ..locale_context import label
from . import compiled, demo, forecast
from .models import FIGURE_LABELS
from .routes import bp

feature = Feature(
    "reports", blueprint=bp, demo=demo.seed,
    tabs={"reports": [(10, "reports.index", _l("Team report"), None), (20, "reports.forecast_page", _l("Forecast"), None),
                      (30, "reports.compiled_page", _l("Compiled report"), compiled.READERS),
                      (40, "reports.targets", _l("Targets"), SEES_ALL)]},
    jobs=[("forecast_snapshot", forecast.snapshot_all), ("weekly_report", compiled.weekly_all, 40)],
    audit_labels={"reports.target_set": _l("Target set"), "reports.support_set": _l("Coordinator support changed"),
                  "reports.figure_added": _l("Figure entered by hand")},
    field_labels={"rep": _l("sales rep"), "period": _l("period"), "signed_amount": _l("signed value"),
                  "renewals_kept": _l("renewals kept"), "new_accounts": _l("new accounts"),
                  "figure": _l("figure"), "value": _l("value"), "note": _l("note")},
    field_values={"rep": PEOPLE, "coordinator": PEOPLE, "value": as_money, "signed_amount": as_number,
                  "figure": lambda key: label(FIGURE_LABELS, key)},
)
