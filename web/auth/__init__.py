"""Sign in and out, and reset a forgotten password."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from .routes import bp

feature = Feature("auth", blueprint=bp, audit_labels={
    "auth.sign_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Failed sign-in"),
})
