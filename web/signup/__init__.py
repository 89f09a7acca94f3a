"""A company signs up and gets its own tenant."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from .routes import bp

feature = Feature("signup", blueprint=bp, audit_labels={"tenant.created": _l("Workspace created")})
