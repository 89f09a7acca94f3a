"""The lead forms: a lead, setting it aside, handing it off, returning it, converting it."""
from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from i18n.locales import country_choices, customer_language_choices
from i18n.money import currency_choices

from ..accounts.forms import Country, Language, Phone, Website
from ..contracts.service import default_end
from ..forms import (
    Choice,
    Currency,
    Day,
    Email,
    Form,
    LocalDecimal,
    NonNegative,
    Ref,
    RefField,
    Text,
    Version,
    length,
    max_length,
    optional,
    required,
    with_blank,
)
from .models import SOURCE_LABELS


class LeadForm(Form):
    company = Text(_l("Company"), [required(), length(1, 200)])
    contact_name = Text(_l("Contact person"), [optional(), max_length(160)])
    contact_title = Text(_l("Their role"), [optional(), max_length(120)])
    email = Text(_l("Email"), [optional(), max_length(254), Email()])
    phone = Text(_l("Phone"), [optional(), max_length(40), Phone(lambda form: form.country.data)])
    website = Text(_l("Website"), [optional(), max_length(300), Website()])
    country = Choice(_l("Country"), [optional(), Country()], validate_choice=False)
    language = Choice(_l("Language"), [optional(), Language()], validate_choice=False)
    source = Choice(_l("Source"), [required()])
    value = LocalDecimal(_l("Estimated value"), [optional(), NonNegative()], currency_field="currency")
    currency = Choice(_l("Currency"), [Currency()], validate_choice=False)
    owner_id = Ref(_l("Owner"), [optional()])
    tags = Text(_l("Tags"), [optional(), max_length(300)])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version = Version()
    # After a duplicate warning: save anyway, merge into a lead, or link to an account.
    confirmed = HiddenField()
    merge_into = RefField()
    account_id = RefField()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.country.choices = with_blank(country_choices(locale))
        self.language.choices = with_blank(customer_language_choices(locale))
        self.currency.choices = currency_choices(locale)
        self.source.choices = [(k, v) for k, v in SOURCE_LABELS.items()]
        self.owner_id.choices = with_blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))

    def validate_currency(self, field):
        if self.value.data is not None and not field.data:
            raise StopValidation(_l("Choose the currency of the value."))


class DisqualifyForm(Form):
    reason = Text(_l("Why is it disqualified?"), [required(), max_length(300)])


class HandoffForm(Form):
    rep_id = Ref(_l("Rep"), [required()])
    note = TextAreaField(_l("Note for the rep"), [required(), max_length(3000)])

    def __init__(self, *args, reps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rep_id.choices = with_blank([(str(u.id), u.name) for u in reps], _l("Choose a rep"))


class ReturnForm(Form):
    reason = TextAreaField(_l("Why are you returning it?"), [required(), max_length(2000)])


class ConvertForm(Form):
    account_name = Text(_l("Account name"), [required(), length(2, 200)])
    contact_name = Text(_l("Contact person"), [optional(), max_length(160)])
    contact_email = Text(_l("Contact email"), [optional(), max_length(254), Email()])
    contact_phone = Text(_l("Contact phone"), [optional(), max_length(40)])
    title = Text(_l("Contract title"), [required(), length(2, 200)])
    starts_on = Day(_l("Starts on"), [required()])
    ends_on = Day(_l("Ends on"), [required()])
    value = LocalDecimal(_l("Contract value"), [required(), NonNegative()], currency_field="currency")
    currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = currency_choices(str(get_locale()))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end comes after the start."))


def default_term(today: date) -> tuple[date, date]:
    return today, default_end(today)
