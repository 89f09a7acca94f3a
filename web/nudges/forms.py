"""A nudge's own subject and body, skipping one, and a rule with its text per language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import NumberRange

from i18n.locales import SUPPORTED_LOCALES

from ..deliverables.models import kind_label
from ..forms import Choice, Form, Ref, Text, Version, Whole, max_length, optional, required, with_blank
from .models import ACTION_LABELS, TRIGGER_LABELS, TRIGGERS

LANGUAGE_NAMES = {"en": _l("English"), "it": _l("Italian"), "vi": _l("Vietnamese")}


class NudgeForm(Form):
    subject = Text(_l("Subject"), [required(), max_length(200)])
    body = TextAreaField(_l("Message"), [required(), max_length(5000)])
    version = Version()


class SkipForm(Form):
    reason = Text(_l("Why (optional)"), [optional(), max_length(300)])


class RuleForm(Form):
    name = Text(_l("Name"), [required(), max_length(120)])
    trigger = Choice(_l("When"), [required()])
    days = Whole(_l("N (days)"), [required(), NumberRange(0, 3650, message=_l("Enter a number of days from 0 to 3650."))])
    kind = Ref(_l("Deliverable kind"), [optional()])
    contract = Ref(_l("Contract"), [optional()])
    action = Choice(_l("What happens"), [required()])
    hold_hours = Whole(_l("Hold (hours)"), [required(), NumberRange(0, 720, message=_l(
        "Enter a number of hours from 0 to 720."))])
    active = BooleanField(_l("Active"), default=True)
    version = Version()

    def __init__(self, *args, kinds=(), contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.trigger.choices = [(t, TRIGGER_LABELS[t]) for t in TRIGGERS]
        self.action.choices = list(ACTION_LABELS.items())
        self.kind.choices = with_blank([(str(k.id), kind_label(k)) for k in kinds], _l("Any kind"))
        self.contract.choices = with_blank([(str(cid), label) for cid, label in contracts], _l("Every contract"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.trigger.data != "contract_age" and not (self.kind.data or self.contract.data):
            self.kind.errors = [_l("A deliverable rule needs a kind or a contract: choose one.")]
            ok = False
        return ok


def _text_fields():
    fields = {}
    for code in SUPPORTED_LOCALES:
        fields[f"subject_{code}"] = Text(_l("Subject"), [optional(), max_length(200)])
        fields[f"body_{code}"] = TextAreaField(_l("Message"), [optional(), max_length(5000)])
    return fields


for _name, _field in _text_fields().items():
    setattr(RuleForm, _name, _field)
