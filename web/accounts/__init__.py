"""Customer companies (accounts) and the people at them (contacts)."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import Names, as_country, as_currency, as_language
from .routes import bp, first_step
from .service import account_names

ACCOUNTS = Names("accounts", account_names)

feature = Feature(
    "accounts", blueprint=bp, hooks={"first_step": first_step},
    audit_labels={
        "account.created": _l("Account created"),
        "account.updated": _l("Account changed"),
        "account.contact_added": _l("Contact added"),
        "account.contact_updated": _l("Contact changed"),
        "account.contact_removed": _l("Contact removed"),
    },
    field_labels={"name": _l("name"), "country": _l("country"), "language": _l("language"), "currency": _l("currency"),
                  "website": _l("website"), "phone": _l("phone"), "billing_address": _l("billing address"),
                  "shipping_address": _l("shipping address"), "contact": _l("contact"), "job_title": _l("job title"),
                  "email": _l("email")},
    field_values={"country": as_country, "language": as_language, "currency": as_currency, "account_id": ACCOUNTS},
)
