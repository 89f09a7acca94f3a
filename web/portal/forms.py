"""The partner's forms: a deal registration, with the value in the partner's own currency, and an order's
destination."""
from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_currency_precision
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import StopValidation

from i18n.locales import country_choices
from i18n.money import written_in

from ..accounts.forms import Country, Website
from ..forms import Choice, Day, Email, Form, LocalDecimal, Positive, Text, length, max_length, optional, required


class PartnerAmount(LocalDecimal):
    """An amount in the partner's currency (fixed by their agreement, so the form has no currency to pick)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_currency: str | None = None

    def pre_validate(self, form):
        currency = self.partner_currency
        if self.data is None or not currency:
            return
        places = get_currency_precision(currency)
        text = (self.raw_data or [""])[0].strip()
        if self.data != self.data.quantize(Decimal(1).scaleb(-places)):
            self.data = None
            if places == 0:
                raise StopValidation(_("%(currency)s amounts have no decimals: “%(text)s” cannot be kept as it is.",
                                       currency=currency, text=text))
            raise StopValidation(ngettext(
                "%(currency)s amounts have at most %(num)d decimal: “%(text)s” cannot be kept as it is.",
                "%(currency)s amounts have at most %(num)d decimals: “%(text)s” cannot be kept as it is.",
                places, currency=currency, text=text))
        if self.typed_currency and not written_in(self.typed_currency, currency):
            self.data = None
            raise StopValidation(_("Type the amount in %(currency)s, the currency of your agreement.",
                                   currency=currency))


class RegistrationForm(Form):
    company = Text(_l("End customer"), [required(), length(2, 200)])
    country = Choice(_l("Country"), [required(), Country()], validate_choice=False)
    website = Text(_l("Website"), [optional(), max_length(300), Website()])
    contact_name = Text(_l("Contact person"), [optional(), max_length(160)])
    contact_email = Text(_l("Contact's email"), [optional(), max_length(254), Email()])
    value = PartnerAmount(_l("Estimated value"), [required(), Positive()])
    expected_close = Day(_l("Expected close"), [optional()])
    products = TextAreaField(_l("Products"), [optional(), max_length(2000)])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.value.partner_currency = currency
        self.country.choices = [("", _l("Choose a country"))] + country_choices(str(get_locale()))


class OrderForm(Form):
    """Where an order ships (the quantities are read row by row from the price list by the view)."""

    country = Choice(_l("Ships to"), [required(), Country()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country"))] + country_choices(str(get_locale()))
