from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from i18n.locales import language_choices, timezone_choices
from i18n.money import currency_choices

from ..forms import Choice, Currency, Form, Text, Timezone, length, required


class SettingsForm(Form):
    name = Text(_l("Company name"), [required(), length(2, 120)])
    base_currency = Choice(_l("Base currency"), [required(), Currency()], validate_choice=False)
    default_locale = Choice(_l("Default language"), [required()])
    timezone = Choice(_l("Timezone"), [required(), Timezone()], validate_choice=False)
    fx_use_ecb = BooleanField(_l("European Central Bank reference rates (offline history since 1999)"))
    fx_use_live = BooleanField(_l("Live rate provider over the internet, after the others"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.base_currency.choices = currency_choices(locale)
        self.default_locale.choices = language_choices()
        self.timezone.choices = timezone_choices(locale)
