"""The tenant's own settings, for its admins."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import as_currency, as_language, as_yes_no
from .routes import bp, first_step

feature = Feature(
    "settings", blueprint=bp, hooks={"first_step": first_step}, audit_labels={"settings.updated": _l("Settings changed")},
    field_labels={"base_currency": _l("base currency"), "default_locale": _l("default language"),
                  "timezone": _l("timezone"), "fx_use_ecb": _l("ECB rates"), "fx_use_live": _l("live rates")},
    field_values={"base_currency": as_currency, "default_locale": as_language, "fx_use_ecb": as_yes_no,
                  "fx_use_live": as_yes_no},
)
