"""The contract forms: a contract, signing it, a document, the numbering."""
from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import StopValidation

from i18n.money import currency_choices
from tenants.models import SEES_ALL, SELLERS

from ..forms import (
    Choice,
    Currency,
    Day,
    Form,
    Link,
    LocalDecimal,
    NonNegative,
    Ref,
    RefField,
    Text,
    Version,
    Whole,
    length,
    max_length,
    member_choices,
    optional,
    required,
    with_blank,
)


def people(roles) -> list[tuple[str, str]]:
    return member_choices(roles)


class NotInTheFuture:
    def __call__(self, form, field):
        if field.data and field.data > date.today():
            raise StopValidation(_l("A contract cannot be signed in the future."))


class ContractForm(Form):
    account_id = RefField()
    title = Text(_l("Title"), [required(), length(2, 200)])
    owner_id = Ref(_l("Sales rep"), [required(_l("Choose the sales rep: reminders and bonuses go to them."))])
    coordinator_id = Ref(_l("Coordinator"), [optional()])
    starts_on = Day(_l("Starts"), [required()])
    ends_on = Day(_l("Ends"), [required()])
    value_amount = LocalDecimal(_l("Value"), [required(), NonNegative()], currency_field="value_currency")
    value_currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)
    signed_on = Day(_l("Signed on"), [optional(), NotInTheFuture()])
    auto_renew = BooleanField(_l("Renews automatically unless cancelled before the notice deadline"))
    notice_days = Whole(_l("Notice period (days)"), [required()])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = with_blank(people(SELLERS), _l("Choose the sales rep"))
        self.coordinator_id.choices = [("", _l("Nobody yet"))] + people(SEES_ALL)
        self.value_currency.choices = currency_choices(str(get_locale()))

    def validate_account_id(self, field):
        if field.data is None:
            raise StopValidation(_l("Choose the account this contract is with."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise StopValidation(_l("The end date must be after the start date."))

    def validate_notice_days(self, field):
        if field.data is None:
            return
        if field.data < 0 or field.data > 730:
            raise StopValidation(_l("Use between 0 and 730 days."))


class SignForm(Form):
    signed_on = Day(_l("Signed on"), [required(), NotInTheFuture()])


class DocumentForm(Form):
    label = Text(_l("Name"), [required(), max_length(200)])
    url = Text(_l("Link"), [optional(), max_length(500), Link()])
    file = FileField(_l("or a file"))


class NumberingForm(Form):
    number_prefix = Text(_l("Number prefix"), [required(), max_length(20)])
    number_digits = Whole(_l("Digits"), [required()])
    reminder_days = Text(_l("Remind this many days before the notice deadline"), [required(), max_length(60)])

    def validate_number_digits(self, field):
        if field.data is not None and not 1 <= field.data <= 10:
            raise StopValidation(_l("Use between 1 and 10 digits."))

    def validate_reminder_days(self, field):
        parts = [p.strip() for p in (field.data or "").split(",") if p.strip()]
        if not parts or not all(p.isdigit() and 0 <= int(p) <= 365 for p in parts):
            raise StopValidation(_l("Write days between 0 and 365 separated by commas, like 90,30,7."))
