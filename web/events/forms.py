"""The event forms: the event itself (dates checked in order), a cost of its budget, the list's filters."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, TextAreaField
from wtforms.validators import NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from i18n.locales import country_choices, customer_language_choices, is_country, language_choices, timezone_choices
from i18n.money import currency_choices
from tenants.models import STAFF

from ..forms import (
    REQUIRED,
    Choice,
    Currency,
    Day,
    Email,
    Form,
    LocalDecimal,
    Positive,
    Ref,
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
from .carriers import CARRIER_LABELS, normalise, tracking_problem, url_pattern_problem
from .models import (
    COST_LABELS,
    DIRECTION_LABELS,
    INCOTERMS,
    INTEREST_LABELS,
    ITEM_KIND_LABELS,
    KIND_LABELS,
    MAILING_KIND_LABELS,
    RSVP_LABELS,
    SHIPMENT_STATUS_LABELS,
    STATUS_LABELS,
)
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


class ShipmentForm(Form):
    direction = Choice(_l("Direction"), [required()], choices=list(DIRECTION_LABELS.items()))
    carrier = Choice(_l("Carrier"), [required()], choices=list(CARRIER_LABELS.items()))
    carrier_name = Text(_l("Carrier's name"), [optional(), max_length(80)])
    tracking_url_pattern = Text(_l("Tracking address"), [optional(), max_length(300)])
    tracking_number = Text(_l("Tracking number"), [optional(), max_length(40)])
    transit_days = Whole(_l("Transit time in days"), [
        required(), NumberRange(0, 120, message=_l("Enter a number of days between 0 and 120."))])
    destination_country = Choice(_l("Destination country"), [required(), Country()], validate_choice=False)
    language = Choice(_l("Packing list language"), [required()], choices=language_choices())
    ata_carnet_number = Text(_l("ATA carnet number"), [optional(), max_length(40)])
    ata_carnet_expires_on = Day(_l("ATA carnet expires"), [optional()])
    declared_amount = LocalDecimal(_l("Declared value"), [optional(), Positive()], currency_field="declared_currency")
    declared_currency = Choice(_l("Currency"), [optional(), Currency()], validate_choice=False)
    incoterm = Choice(_l("Incoterm"), [optional()], choices=[("", _l("Not set")), *[(t, t) for t in INCOTERMS]])
    version = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.destination_country.choices = with_blank(country_choices(locale), _l("Choose a country"))
        self.declared_currency.choices = with_blank(currency_choices(locale))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.tracking_number.data = normalise(self.tracking_number.data)
        if self.carrier.data == "custom" and not self.carrier_name.data:
            self.carrier_name.errors = [*self.carrier_name.errors, REQUIRED]
            ok = False
        if self.carrier.data == "custom" and self.tracking_number.data:
            problem = url_pattern_problem(self.tracking_url_pattern.data)
            if problem:
                self.tracking_url_pattern.errors = [*self.tracking_url_pattern.errors, problem]
                ok = False
        problem = tracking_problem(self.carrier.data, self.tracking_number.data)
        if problem and not self.tracking_number.errors:
            self.tracking_number.errors = [problem]
            ok = False
        if self.declared_amount.data is not None and not self.declared_currency.data:
            self.declared_currency.errors = [*self.declared_currency.errors, REQUIRED]
            ok = False
        return ok


class ShipmentItemForm(Form):
    kind = Choice(_l("What"), [required()], choices=list(ITEM_KIND_LABELS.items()))
    description = Text(_l("Description"), [required(), length(2, 200)])
    quantity = Whole(_l("Quantity"), [required(), NumberRange(1, 1_000_000, message=_l(
        "Enter a quantity between 1 and 1,000,000."))])


class ShipmentStatusForm(Form):
    status = Choice(_l("Status"), [required()], choices=list(SHIPMENT_STATUS_LABELS.items()))
    version = Version()


class MailingForm(Form):
    """A mailing: its kind, its text in each language it is written in, and who it goes to."""

    kind = Choice(_l("Kind"), [required()], choices=list(MAILING_KIND_LABELS.items()))
    fallback_language = Choice(_l("For everyone else"), [required()], choices=language_choices())
    subject_en = Text(_l("Subject in English"), [optional(), max_length(200)])
    body_en = TextAreaField(_l("Text in English"), [optional(), max_length(20000)])
    subject_it = Text(_l("Subject in Italian"), [optional(), max_length(200)])
    body_it = TextAreaField(_l("Text in Italian"), [optional(), max_length(20000)])
    subject_vi = Text(_l("Subject in Vietnamese"), [optional(), max_length(200)])
    body_vi = TextAreaField(_l("Text in Vietnamese"), [optional(), max_length(20000)])
    contacts = BooleanField(_l("Contacts of accounts"))
    leads = BooleanField(_l("Leads"))
    country = Choice(_l("Country"), [optional(), Country()], validate_choice=False)
    language = Choice(_l("Language"), [optional()])
    tag = Text(_l("Lead tag"), [optional(), max_length(40)])
    attended_event_id = Ref(_l("Came to"), [optional()])
    planned_on = Day(_l("Goes out on"), [optional()])

    def __init__(self, *args, past_events=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.country.choices = with_blank(country_choices(locale), _l("Any country"))
        self.language.choices = with_blank(customer_language_choices(locale), _l("Any language"))
        self.attended_event_id.choices = with_blank([(str(e.id), e.name) for e in past_events], _l("Anyone"))
        self.today = today

    def texts(self) -> dict[str, tuple[str, str]]:
        return {code: (self[f"subject_{code}"].data, self[f"body_{code}"].data) for code in ("en", "it", "vi")
                if self[f"subject_{code}"].data and (self[f"body_{code}"].data or "").strip()}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for code in ("en", "it", "vi"):
            subject, body = self[f"subject_{code}"], self[f"body_{code}"]
            if bool(subject.data) != bool((body.data or "").strip()):
                empty = body if subject.data else subject
                empty.errors = [*empty.errors, _l("Write both the subject and the text, or neither.")]
                ok = False
        if ok and self.fallback_language.data not in self.texts():
            self.fallback_language.errors = [_l("Write the mailing in this language too: it goes to everyone whose "
                                                "language has no text.")]
            ok = False
        if not (self.contacts.data or self.leads.data):
            self.leads.errors = [_l("Choose contacts, leads or both.")]
            ok = False
        if self.planned_on.data and self.today and self.planned_on.data < self.today:
            self.planned_on.errors = [*self.planned_on.errors, _l(
                "The mailing cannot go out in the past: choose today or a later day.")]
            ok = False
        return ok


class RsvpForm(Form):
    answer = Choice(_l("Will you come?"), [required()], choices=list(RSVP_LABELS.items()))
    plus_one = BooleanField(_l("I am bringing a guest"))


class CaptureForm(Form):
    """A lead met at the booth, typed on a phone: little to type, nothing lost."""

    contact_name = Text(_l("Name"), [optional(), max_length(160)])
    company = Text(_l("Company"), [optional(), max_length(200)])
    email = Text(_l("Email"), [optional(), max_length(254), Email()])
    interest = Choice(_l("Interest"), [required()], choices=list(INTEREST_LABELS.items()))
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    card = FileField(_l("Photo of the business card"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.contact_name.data or self.company.data or self.email.data):
            self.contact_name.errors = [*self.contact_name.errors,
                                        _l("Give at least a name, a company or an email.")]
            ok = False
        return ok
