import secrets

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField
from wtforms.validators import StopValidation

from i18n.locales import SUPPORTED_LOCALES

from ..forms import Email, StrongPassword, Text, WorkspaceForm, length, max_length, required
from . import service


class SignupForm(WorkspaceForm):
    company_name = Text(_l("Company name"), [required(), length(2, 120)])
    slug = Text(_l("Workspace address"), [required(), max_length(40)])
    owner_name = Text(_l("Your name"), [required(), length(2, 120)])
    email = Text(_l("Work email"), [required(), max_length(254), Email()])
    password = PasswordField(_l("Password"), [required(), StrongPassword(name_fields=("owner_name",))])
    nonce = HiddenField()
    # Set on the first suggestion, so a slug the person typed is never replaced by a new one.
    slug_suggested = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.nonce.data:
            self.nonce.data = secrets.token_urlsafe(24)
        if not self.default_locale.data or self.default_locale.data not in SUPPORTED_LOCALES:
            locale = str(get_locale())
            self.default_locale.data = locale if locale in SUPPORTED_LOCALES else "en"

    def validate_slug(self, field):
        # A replayed submit of a form that already made its tenant is let through to find it.
        if service.tenant_for_nonce(self.nonce.data or "") is None:
            problem = service.slug_problem(field.data)
            if problem is not None:
                raise StopValidation(problem)
