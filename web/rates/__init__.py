"""Exchange rates: today's rates, a pair's history, a converter, the tenant's corporate rates, ECB refresh."""
from flask_babel import lazy_gettext as _l

from i18n import fx

from ..features import Feature
from ..history import as_currency, as_date, as_rate
from . import demo, jobs, service
from .routes import bp


def _setup(app) -> None:
    # Money code outside a view (i18n.fx.convert without a book) converts with the current tenant's book.
    fx.set_book_provider(service.current_book)


feature = Feature(
    "rates", blueprint=bp, jobs=[("rates", jobs.refresh)], demo=demo.seed, setup=_setup,
    audit_labels={
        "rates.corporate_set": _l("Corporate rate saved"),
        "rates.corporate_imported": _l("Corporate rates imported"),
        "rates.corporate_deleted": _l("Corporate rate removed"),
    },
    field_labels={"day": _l("day"), "rates:rate": _l("rate")},
    field_values={"rates:currency": as_currency, "rates:day": as_date, "rates:rate": as_rate},
)
