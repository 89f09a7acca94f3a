from datetime import date

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import StopValidation

from i18n.money import currency_choices
from tenants.members import members_with_roles
from tenants.models import Role

from ..forms import Choice, Currency, Day, Form, LocalDecimal, Text, Whole, length, max_length, optional, required
from .models import DeliverableStatus

SELLERS = (Role.rep, Role.manager, Role.admin, Role.owner)
STAFF = (Role.owner, Role.admin, Role.manager, Role.coordinator, Role.rep)

STATUS_LABELS = {
    "draft": _l("Draft"),
    "active": _l("Active"),
    "expiring": _l("Expiring"),
    "expired": _l("Expired"),
    "renewed": _l("Renewed"),
    "cancelled": _l("Cancelled"),
}
DELIVERABLE_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "delivered": _l("Delivered"),
    "missed": _l("Missed"),
}
KIND_LABELS = {
    "ad_placement": _l("Ad placement"),
    "web_banner": _l("Web banner"),
    "discount": _l("Discount"),
    "event_booth": _l("Event booth"),
    "service": _l("Service"),
    "other": _l("Other"),
}


def kind_label(kind) -> str:
    return kind.name or str(KIND_LABELS.get(kind.key, kind.key))


def people(roles) -> list[tuple[str, str]]:
    return [(str(m.user_id), m.user.name) for m in members_with_roles(g.tenant.id, roles)]


class NonNegative:
    def __call__(self, form, field):
        if field.data is not None and field.data < 0:
            raise StopValidation(_l("Enter an amount of 0 or more."))


class Positive:
    def __call__(self, form, field):
        if field.data is not None and field.data <= 0:
            raise StopValidation(_l("Enter an amount above 0."))


class ContractForm(Form):
    account_id = HiddenField()
    title = Text(_l("Title"), [required(), length(2, 200)])
    owner_id = Choice(_l("Sales rep"), [required()])
    coordinator_id = Choice(_l("Coordinator"), [optional()])
    starts_on = Day(_l("Starts"), [required()])
    ends_on = Day(_l("Ends"), [required()])
    value_amount = LocalDecimal(_l("Value"), [required(), NonNegative()])
    value_currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)
    signed_on = Day(_l("Signed on"), [optional()])
    auto_renew = BooleanField(_l("Renews automatically unless cancelled before the notice deadline"))
    notice_days = Whole(_l("Notice period (days)"), [required()])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = people(SELLERS)
        self.coordinator_id.choices = [("", _l("Nobody yet"))] + people((Role.coordinator, Role.manager, Role.admin,
                                                                         Role.owner))
        self.value_currency.choices = currency_choices(str(get_locale()))

    def validate_account_id(self, field):
        if not (field.data or "").isdigit():
            raise StopValidation(_l("Choose the account this contract is with."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise StopValidation(_l("The end date must be after the start date."))

    def validate_notice_days(self, field):
        if field.data is None:
            return
        if field.data < 0 or field.data > 730:
            raise StopValidation(_l("Use between 0 and 730 days."))

    def validate_signed_on(self, field):
        if field.data and field.data > date.today():
            raise StopValidation(_l("A contract cannot be signed in the future."))


class SignForm(Form):
    signed_on = Day(_l("Signed on"), [required()])

    def validate_signed_on(self, field):
        if field.data and field.data > date.today():
            raise StopValidation(_l("A contract cannot be signed in the future."))


class DeliverableForm(Form):
    kind_id = Choice(_l("What"), [required()])
    details = Text(_l("Details"), [required(), length(2, 300)])
    due_on = Day(_l("Due"), [required()])
    responsible_id = Choice(_l("Responsible"), [optional()])
    department = Text(_l("Department"), [optional(), max_length(80)])
    value_share = LocalDecimal(_l("Value share"), [optional(), NonNegative()])
    status = Choice(_l("Status"), [required()], choices=list(DELIVERABLE_STATUS_LABELS.items()))
    proof_url = Text(_l("Proof (link)"), [optional(), max_length(500)])
    version = HiddenField()

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_id.choices = [(str(k.id), kind_label(k)) for k in kinds]
        self.responsible_id.choices = [("", _l("Nobody yet"))] + people(STAFF)

    def validate_proof_url(self, field):
        if field.data and not field.data.startswith(("http://", "https://")):
            raise StopValidation(_l("Enter a link starting with https://"))


class StatusForm(Form):
    status = Choice(_l("Status"), [required()], choices=list(DELIVERABLE_STATUS_LABELS.items()))
    version = HiddenField()


class ProofForm(Form):
    proof_url = Text(_l("Proof (link)"), [optional(), max_length(500)])
    proof_file = FileField(_l("or a file"))

    def validate_proof_url(self, field):
        if field.data and not field.data.startswith(("http://", "https://")):
            raise StopValidation(_l("Enter a link starting with https://"))


class BillingForm(Form):
    amount = LocalDecimal(_l("Amount"), [required(), Positive()])
    currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)
    due_on = Day(_l("Due"), [required()])
    note = Text(_l("Note"), [optional(), max_length(200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = currency_choices(str(get_locale()))


class InvoiceForm(Form):
    invoice_ref = Text(_l("Invoice number"), [required(), max_length(60)])


class DocumentForm(Form):
    label = Text(_l("Name"), [required(), max_length(200)])
    url = Text(_l("Link"), [optional(), max_length(500)])
    file = FileField(_l("or a file"))

    def validate_url(self, field):
        if field.data and not field.data.startswith(("http://", "https://")):
            raise StopValidation(_l("Enter a link starting with https://"))


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


class KindForm(Form):
    name = Text(_l("New kind"), [required(), length(2, 80)])


class BillingFilterForm(Form):
    due_from = Day(_l("Due from"), [optional()])
    due_to = Day(_l("Due until"), [optional()])
    invoiced = Choice(_l("Invoiced"), [optional()], choices=[("", _l("All")), ("no", _l("Not invoiced")),
                                                             ("yes", _l("Invoiced"))])


__all__ = [
    "ContractForm", "SignForm", "DeliverableForm", "StatusForm", "ProofForm", "BillingForm", "InvoiceForm",
    "DocumentForm", "NumberingForm", "KindForm", "BillingFilterForm", "STATUS_LABELS", "DELIVERABLE_STATUS_LABELS",
    "KIND_LABELS", "kind_label", "DeliverableStatus",
]
