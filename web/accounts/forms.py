from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import StopValidation

from i18n.locales import country_choices, customer_language_choices, is_country, is_language
from i18n.money import currency_choices

from ..forms import Choice, Currency, Email, Form, Text, Version, length, max_length, optional, required
from ..templating import web_link
from .service import BadPhone, clean_phone, international_phone


class Country:
    def __call__(self, form, field):
        if field.data and not is_country(field.data):
            raise StopValidation(_l("Choose a country from the list."))


class Language:
    def __call__(self, form, field):
        if field.data and not is_language(field.data):
            raise StopValidation(_l("Choose a language from the list."))


class Website:
    """A site people can open: example.com or an http(s) address (never javascript: or data:)."""

    def __call__(self, form, field):
        value = (field.data or "").strip()
        if value and (" " in value or "." not in value or web_link(value) is None):
            raise StopValidation(_l("Enter a web address, like example.com."))


class Phone:
    """A number that can be read: with its + code, or in the country's own way (`country_of(form)`)."""

    def __init__(self, country_of):
        self.country_of = country_of

    def __call__(self, form, field):
        phone = clean_phone(field.data)
        if not phone:
            return
        try:
            international_phone(phone, self.country_of(form))
        except BadPhone:
            raise StopValidation(_l("This phone number cannot be read; write it with its country code, "
                                    "e.g. +39 02 1234 5678.")) from None


def _choices(form):
    locale = str(get_locale())
    blank = [("", _l("Not set"))]
    form.country.choices = blank + country_choices(locale)
    form.language.choices = blank + customer_language_choices(locale)
    if hasattr(form, "currency"):
        form.currency.choices = blank + currency_choices(locale)


class AccountForm(Form):
    name = Text(_l("Company name"), [required(), length(2, 200)])
    country = Choice(_l("Country"), [optional(), Country()], validate_choice=False)
    language = Choice(_l("Language"), [optional(), Language()], validate_choice=False)
    currency = Choice(_l("Currency"), [optional(), Currency()], validate_choice=False)
    website = Text(_l("Website"), [optional(), max_length(300), Website()])
    phone = Text(_l("Phone"), [optional(), max_length(40)])
    billing_address = TextAreaField(_l("Billing address"), [optional(), max_length(1000)])
    shipping_address = TextAreaField(_l("Shipping address"), [optional(), max_length(1000)])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self)


class ContactForm(Form):
    name = Text(_l("Name"), [required(), length(2, 160)])
    job_title = Text(_l("Role"), [optional(), max_length(120)])
    email = Text(_l("Email"), [optional(), max_length(254), Email()])
    phone = Text(_l("Phone"), [optional(), max_length(40), Phone(lambda form: form.account_country)])
    language = Choice(_l("Language"), [optional(), Language()], validate_choice=False)
    notes = TextAreaField(_l("Notes"), [optional(), max_length(2000)])

    def __init__(self, *args, account_country: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_country = account_country  # a phone without + is read in the account's country
        self.language.choices = [("", _l("Not set"))] + customer_language_choices(str(get_locale()))
