from flask_babel import lazy_gettext as _l
from wtforms import PasswordField

from i18n.locales import language_choices
from tenants.models import INVITABLE_ROLES, Role

from ..forms import Choice, Email, Form, StrongPassword, Text, length, max_length, required
from ..locale_context import label


def role_label(role: str) -> str:
    return label(ROLE_LABELS, role)


ROLE_LABELS = {
    Role.owner.value: _l("Owner"),
    Role.admin.value: _l("Admin"),
    Role.manager.value: _l("Manager"),
    Role.coordinator.value: _l("Coordinator"),
    Role.rep.value: _l("Sales rep"),
    Role.distributor.value: _l("Distributor"),
}


def role_choices(include_owner: bool = False):
    roles = ((Role.owner,) if include_owner else ()) + INVITABLE_ROLES
    return [(r.value, ROLE_LABELS[r.value]) for r in roles]


class InviteForm(Form):
    email = Text(_l("Email"), [required(), max_length(254), Email()])
    role = Choice(_l("Role"), [required()])
    locale = Choice(_l("Language of the invitation"), [required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.locale.choices = language_choices()


class RoleForm(Form):
    role = Choice(_l("Role"), [required()])

    def __init__(self, *args, include_owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices(include_owner)


class AcceptForm(Form):
    name = Text(_l("Your name"), [required(), length(2, 120)])
    password = PasswordField(_l("Choose a password"), [required(), StrongPassword(email_field=None, name_fields=("name",))])


class JoinForm(Form):
    password = PasswordField(_l("Your Coordina password"), [required()])
