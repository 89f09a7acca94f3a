from datetime import date
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms.validators import StopValidation

from i18n.money import currency_choices

from ..forms import Choice, Currency, Day, Form, LocalDecimal, Text, max_length, optional, required

PERIODS = {"3m": 92, "1y": 366, "5y": 5 * 366, "all": 40 * 366}


def _currencies(field):
    field.choices = currency_choices(str(get_locale()))


class ConvertForm(Form):
    amount = LocalDecimal(_l("Amount"), [required()], currency_field="source")
    source = Choice(_l("From"), [required(), Currency()], validate_choice=False)
    target = Choice(_l("To"), [required(), Currency()], validate_choice=False)
    on = Day(_l("On"), [optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _currencies(self.source)
        _currencies(self.target)


class ChartForm(Form):
    source = Choice(_l("From"), [required(), Currency()], validate_choice=False)
    target = Choice(_l("To"), [required(), Currency()], validate_choice=False)
    period = Choice(_l("Period"), [required()], choices=[
        ("3m", _l("3 months")), ("1y", _l("1 year")), ("5y", _l("5 years")), ("all", _l("Since 1999")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _currencies(self.source)
        _currencies(self.target)


class PositiveRate:
    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        if value <= 0 or value >= 100_000_000:
            raise StopValidation(_l("Enter a rate above 0 and below 100,000,000."))
        if value.as_tuple().exponent < -10:
            raise StopValidation(_l("Use at most 10 decimal places."))


class CorporateRateForm(Form):
    currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)
    day = Day(_l("Valid from"), [required()])
    rate = LocalDecimal(_l("Rate"), [required(), PositiveRate()], places=10, shown_places=0, below=Decimal(100_000_000),
                        range_message=_l("Enter a rate above 0 and below 100,000,000."))
    note = Text(_l("Note"), [optional(), max_length(200)])

    def __init__(self, *args, base_currency: str = "EUR", **kwargs):
        super().__init__(*args, **kwargs)
        self.base_currency = base_currency
        self.currency.choices = [c for c in currency_choices(str(get_locale())) if c[0] != base_currency]
        if self.day.data is None and not self.is_submitted():
            self.day.data = date.today()

    def validate_currency(self, field):
        if field.data == self.base_currency:
            raise StopValidation(_l("The base currency is always 1; choose another currency."))


class ImportForm(Form):
    file = FileField(_l("CSV file"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise StopValidation(_l("Choose a CSV file."))


__all__ = ["ConvertForm", "ChartForm", "CorporateRateForm", "ImportForm", "PERIODS"]
