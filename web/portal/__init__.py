"""The partner portal: a distributor's own pages under the tenant, in their language and currency."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..features import Feature
from .routes import bp, landing

# The portal's navigation: (endpoint, label), shown once the endpoint exists.
NAV = [
    ("portal.index", _l("Home")),
    ("portal.registrations", _l("Deal registrations")),
    ("portal.leads", _l("Leads for you")),
    ("portal.prices", _l("Price list")),
    ("portal.orders", _l("Orders")),
]


def portal_nav() -> list:
    views = current_app.view_functions
    return [(endpoint, label) for endpoint, label in NAV if endpoint in views]


feature = Feature("portal", blueprint=bp, hooks={"landing": landing}, globals={"portal_nav": portal_nav})
