from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField

from ..forms import Email, Form, StrongPassword, Text, max_length, required


class LoginForm(Form):
    email = Text(_l("Email"), [required(), max_length(254)])
    password = PasswordField(_l("Password"), [required(), max_length(256)])
    next = HiddenField()


class ForgotForm(Form):
    email = Text(_l("Email"), [required(), max_length(254), Email()])


class ResetForm(Form):
    password = PasswordField(_l("New password"), [required(), StrongPassword(email_field=None)])
