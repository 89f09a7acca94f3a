"""The event forms: the event itself (dates checked in order), a cost of its budget, the list's filters."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from i18n.locales import country_choices, is_country, timezone_choices
from i18n.money import currency_choices
from tenants.models import STAFF

from ..forms import (
    Choice,
    Currency,
    Day,
    Form,
    LocalDecimal,
    Positive,
    Text,
    Timezone,
    Version,
    Whole,
    length,
    max_length,
    member_choices,
    optional,
    record_id,
    required,
    with_blank,
)
from .models import COST_LABELS, KIND_LABELS, STATUS_LABELS
from .service import date_order_problems


class People(SelectMultipleField):
    """Tick boxes of the team: the chosen ids as ints; an id that is not one of the choices gets our message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=record_id, **kwargs)

    def process_formdata(self, valuelist):
        try:
            self.data = [record_id(v) for v in valuelist if str(v).strip()]
        except ValueError:
            self.data = []
            raise ValueError(_l("Choose people from the list.")) from None

    def pre_validate(self, form):
        allowed = {record_id(value) for value, _label in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(_l("Choose people from the list."))


class Country:
    def __call__(self, form, field):
        if field.data and not is_country(field.data):
            raise ValidationError(_l("Choose one of the options."))


class EventForm(Form):
    name = Text(_l("Name"), [required(), length(2, 200)])
    kind = Choice(_l("Kind"), [required()], choices=list(KIND_LABELS.items()))
    status = Choice(_l("Status"), [required()], choices=list(STATUS_LABELS.items()))
    venue = Text(_l("Venue"), [optional(), max_length(200)])
    city = Text(_l("City"), [required(), max_length(120)])
    country = Choice(_l("Country"), [required(), Country()], validate_choice=False)
    timezone = Choice(_l("Timezone"), [required(), Timezone()], validate_choice=False)
    setup_on = Day(_l("Set-up"), [optional()])
    opens_on = Day(_l("Opens"), [required()])
    closes_on = Day(_l("Closes"), [required()])
    teardown_on = Day(_l("Tear-down"), [optional()])
    hall = Text(_l("Hall"), [optional(), max_length(40)])
    booth_number = Text(_l("Booth number"), [optional(), max_length(40)])
    booth_size = Text(_l("Booth size"), [optional(), max_length(40)])
    attendee_ids = People(_l("Who goes"))
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.country.choices = with_blank(country_choices(locale), _l("Choose a country"))
        self.timezone.choices = with_blank(timezone_choices(locale), _l("Choose a timezone"))
        self.attendee_ids.choices = member_choices(STAFF)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        dates = {name: None if self[name].errors else self[name].data
                 for name in ("setup_on", "opens_on", "closes_on", "teardown_on")}
        for name, message in date_order_problems(**dates).items():
            self[name].errors = [*self[name].errors, message]
            ok = False
        return ok


class CostForm(Form):
    category = Choice(_l("What for"), [required()], choices=list(COST_LABELS.items()))
    description = Text(_l("Description"), [optional(), max_length(200)])
    amount = LocalDecimal(_l("Amount"), [required(), Positive()], currency_field="currency")
    currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)
    incurred_on = Day(_l("Date"), [required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = currency_choices(str(get_locale()))


class FilterForm(Form):
    """The list's filters, read from the URL: what cannot be read is left out."""

    when = Choice(_l("When"), [optional()], choices=[("upcoming", _l("Upcoming and running")), ("past", _l("Past")),
                                                     ("all", _l("All"))])
    status = Choice(_l("Status"), [optional()], choices=[("", _l("Any status")), *STATUS_LABELS.items()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, meta={"csrf": False}, **kwargs)


class ChecklistItemForm(Form):
    title = Text(_l("What to do"), [required(), length(2, 200)])
    offset_days = Whole(_l("Days from the opening day"), [
        required(), NumberRange(-730, 730, message=_l("Enter a number of days between -730 and 730."))])
