"""The web-to-lead form: a public, embeddable form on the tenant's address whose visitors become leads."""
from flask_babel import lazy_gettext as _l

from tenants.models import ADMINS

from ..features import Feature
from ..history import PEOPLE, as_yes_no
from . import demo
from .routes import bp

feature = Feature("webform", blueprint=bp, demo=demo.seed, audit_labels={"lead.web_form": _l("Lead from the web form")},
                  tabs={"leads": [(60, "webform.settings", _l("Web form"), ADMINS)]},
                  field_labels={"webform_enabled": _l("web form on"), "webform_owner_id": _l("web leads go to")},
                  field_values={"webform_enabled": as_yes_no, "webform_owner_id": PEOPLE})
