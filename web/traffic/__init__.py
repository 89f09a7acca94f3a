"""Digital deliverables: tracked links and impression pixels, the link checker, traffic reports."""
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from tenants.models import SEES_ALL

from ..features import Feature
from ..history import as_date
from ..locale_context import locale_name
from . import (
    checker,
    demo,
    models,  # noqa: F401  (the tables exist for every app, before the views come)
    service,
)
from .routes import bp, contract_panel


def tally(value) -> str:
    """A count in the reader's locale (1,234 or 1.234)."""
    return _tally(value or 0, locale_name())


@lru_cache(maxsize=4096)
def _tally(value, locale: str) -> str:
    """A count's words, once per count and locale: a contract's page shows a dozen, mostly the same few."""
    return format_decimal(value, locale=locale)


def month_name(value) -> str:
    """A month ("2026-10" or a date) as the reader says it: October 2026, ottobre 2026, tháng 10 2026."""
    from datetime import date

    if isinstance(value, str):
        value = date.fromisoformat(value + "-01")
    return format_date(value, "LLLL yyyy", locale=str(get_locale()))


feature = Feature(
    "traffic", blueprint=bp, demo=demo.seed,
    filters={"tally": tally, "month_name": month_name},
    jobs=[("link_check", checker.check_links, 40), ("traffic_reports", service.send_all_reports, 60)],
    panels={"contract": [(15, contract_panel)]},
    tabs={"reports": [(60, "traffic.index", _l("Clients' traffic"), None),
                      (70, "traffic.site_visits", _l("Site visits"), SEES_ALL)]},
    audit_labels={"traffic.placement_added": _l("Tracked link made"),
                  "traffic.placement_changed": _l("Landing page or run changed"),
                  "traffic.site_visits_imported": _l("Site visits imported")},
    field_labels={"traffic:landing_url": _l("landing page"), "traffic:starts_on": _l("runs from"),
                  "traffic:ends_on": _l("until"), "traffic:placement": _l("where it shows"), "traffic:lines": _l("lines"),
                  "traffic:from": _l("from"), "traffic:to": _l("to")},
    field_values={"traffic:starts_on": as_date, "traffic:ends_on": as_date, "traffic:from": as_date,
                  "traffic:to": as_date},
)
