"""The tenant's own settings, for its admins."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from .routes import bp

feature = Feature("settings", blueprint=bp, audit_labels={"settings.updated": _l("Settings changed")})
