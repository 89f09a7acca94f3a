"""Opening a case, writing in its thread, changing where it stands; the SLA settings; the public form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from i18n.locales import SUPPORTED_LOCALES, language_choices

from ..forms import (
    Choice,
    Email,
    Form,
    Ref,
    Text,
    Version,
    Whole,
    length,
    max_length,
    optional,
    required,
    with_blank,
)
from .models import CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS, Priority

# Channels a person picks by hand (the web form and the link checker open their own cases).
HAND_CHANNELS = ("phone", "email", "meeting", "other")


class CaseForm(Form):
    account = Ref(_l("Account"), [required(_l("Choose the account."))])
    contact = Ref(_l("Contact"), [optional()])
    contract = Ref(_l("Contract"), [optional()])
    deliverable = Ref(_l("Deliverable"), [optional()])
    channel = Choice(_l("Channel"), [required()])
    priority = Choice(_l("Priority"), [required()])
    assignee = Ref(_l("Assigned to"), [optional()])
    subject = Text(_l("Subject"), [required(_l("Say in a few words what it is about.")), length(1, 200)])
    description = TextAreaField(_l("Description"), [optional(), max_length(5000)])

    def __init__(self, *args, accounts=(), contacts=(), contracts=(), deliverables=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.account.choices = with_blank([(str(a.id), a.name) for a in accounts], _l("Choose…"))
        self.contact.choices = with_blank([(str(c.id), c.name) for c in contacts])
        self.contract.choices = with_blank([(str(c.id), f"{c.number} · {c.title}") for c in contracts])
        self.deliverable.choices = with_blank([(str(d.id), d.details) for d in deliverables])
        self.channel.choices = [(c, CHANNEL_LABELS[c]) for c in HAND_CHANNELS]
        self.priority.choices = [(p.value, PRIORITY_LABELS[p.value]) for p in Priority]
        self.assignee.choices = with_blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))


class NoteForm(Form):
    note = TextAreaField(_l("Note"), [required(_l("Write the note.")), max_length(10000)])
    answered = BooleanField(_l("I answered the client by phone"))


class EmailForm(Form):
    message = TextAreaField(_l("Message"), [required(_l("Write the message.")), max_length(10000)])


class UpdateForm(Form):
    status = Choice(_l("Status"), [required()])
    priority = Choice(_l("Priority"), [required()])
    assignee = Ref(_l("Assigned to"), [optional()])
    version = Version()

    def __init__(self, *args, statuses=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(s, STATUS_LABELS[s]) for s in statuses]
        self.priority.choices = [(p.value, PRIORITY_LABELS[p.value]) for p in Priority]
        self.assignee.choices = with_blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))


def _hours(label):
    return Whole(label, [required(), Hours()], render_kw={"inputmode": "numeric"})


class Hours:
    def __call__(self, form, field):
        if field.data is not None and not 1 <= field.data <= 2000:
            raise StopValidation(_l("Enter a number of hours from 1 to 2,000."))


WEEKDAY_LABELS = {"1": _l("Monday"), "2": _l("Tuesday"), "3": _l("Wednesday"), "4": _l("Thursday"),
                  "5": _l("Friday"), "6": _l("Saturday"), "7": _l("Sunday")}


class ClockTime(Text):
    """A time of day as HH:MM; its data becomes minutes after midnight."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = self.data or ""
        hours, sep, minutes = text.partition(":")
        if not (sep and hours.isdigit() and minutes.isdigit() and int(hours) <= 24 and int(minutes) < 60
                and int(hours) * 60 + int(minutes) <= 24 * 60):
            self.data = None
            raise ValueError(_l("Enter a time like 09:00."))
        self.data = int(hours) * 60 + int(minutes)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data // 60:02d}:{self.data % 60:02d}"


class SettingsForm(Form):
    urgent_first = _hours(_l("Urgent: first answer within (hours)"))
    urgent_resolution = _hours(_l("Urgent: solved within (hours)"))
    high_first = _hours(_l("High: first answer within (hours)"))
    high_resolution = _hours(_l("High: solved within (hours)"))
    normal_first = _hours(_l("Normal: first answer within (hours)"))
    normal_resolution = _hours(_l("Normal: solved within (hours)"))
    low_first = _hours(_l("Low: first answer within (hours)"))
    low_resolution = _hours(_l("Low: solved within (hours)"))
    workdays = SelectMultipleField(_l("Working days"), choices=[SelectChoice(value=k, label=v) for k, v in WEEKDAY_LABELS.items()],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    day_starts = ClockTime(_l("The working day starts at"), [required()])
    day_ends = ClockTime(_l("and ends at"), [required()])
    webform_enabled = BooleanField(_l("Accept cases from the public case form"))
    webform_assignee = Ref(_l("Give cases from the form to"), [optional()])
    version = Version()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.webform_assignee.choices = with_blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))

    def validate_workdays(self, field):
        if not field.data:
            raise StopValidation(_l("Choose at least one working day."))

    def validate_day_ends(self, field):
        if field.data is not None and self.day_starts.data is not None and field.data <= self.day_starts.data:
            raise StopValidation(_l("The working day must end after it starts."))

    def pairs(self):
        return {p.value: (getattr(self, f"{p.value}_first"), getattr(self, f"{p.value}_resolution")) for p in Priority}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for first, resolution in self.pairs().values():
            if first.data and resolution.data and resolution.data < first.data:
                resolution.errors = [*resolution.errors, _l("Solving cannot take less time than the first answer.")]
                ok = False
        return ok


class PublicCaseForm(Form):
    """The public case form: no CSRF (it is posted from customers' own sites), a honeypot instead."""

    name = Text(_l("Your name"), [required(), length(1, 120)])
    email = Text(_l("Email"), [required(), max_length(254), Email()])
    company = Text(_l("Company"), [optional(), max_length(200)])
    subject = Text(_l("Subject"), [required(_l("Say in a few words what it is about.")), length(1, 200)])
    message = TextAreaField(_l("Message"), [required(_l("Write the message.")), max_length(5000)])
    language = Choice(_l("Language for our answer"), [required()])
    # The honeypot: hidden from people, irresistible to bots that fill every field.
    url = Text(_l("Leave this field empty"), [optional()])

    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [c for c in language_choices() if c[0] in SUPPORTED_LOCALES]
