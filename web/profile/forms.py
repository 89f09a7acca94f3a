from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField

from i18n.locales import language_choices, timezone_choices
from i18n.money import currency_choices

from ..forms import Choice, Currency, Form, StrongPassword, Text, Timezone, length, required


class ProfileForm(Form):
    name = Text(_l("Name"), [required(), length(2, 120)])
    locale = Choice(_l("Language"), [required()])
    timezone = Choice(_l("Timezone"), [required(), Timezone()], validate_choice=False)
    display_currency = Choice(_l("Display currency"), [Currency()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.locale.choices = language_choices()
        self.timezone.choices = timezone_choices(locale)
        self.display_currency.choices = [("", _l("The workspace's base currency"))] + currency_choices(locale)


class PasswordForm(Form):
    current_password = PasswordField(_l("Current password"), [required()])
    new_password = PasswordField(_l("New password"), [required(), StrongPassword(email_field=None)])


class LanguageForm(Form):
    locale = Choice(_l("Language"), [required()])
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()
