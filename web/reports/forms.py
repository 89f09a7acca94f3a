"""The report's forms: a target, who supports whom, a figure reported from outside Coordina."""
from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import NumberRange, StopValidation

from i18n.money import currency_choices
from tenants.models import SELLERS, Role

from ..forms import (
    Choice,
    Currency,
    Day,
    Form,
    LocalDecimal,
    NonNegative,
    Ref,
    Text,
    Whole,
    max_length,
    member_choices,
    optional,
    required,
    with_blank,
)
from .models import FIGURE_KINDS, FIGURE_LABELS, ODDS_KEYS, ODDS_LABELS
from .service import target_period

COUNT_RANGE = NumberRange(min=0, max=100000, message=_l("Enter a whole number from 0 to 100,000."))


class TargetForm(Form):
    rep = Ref(_l("For"), [optional()])
    period = Text(_l("Month or quarter"), [required(), max_length(7)])
    signed = LocalDecimal(_l("Signed value"), [optional(), NonNegative()])
    renewals_kept = Whole(_l("Renewals kept"), [optional(), COUNT_RANGE])
    new_accounts = Whole(_l("New accounts"), [optional(), COUNT_RANGE])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rep.choices = with_blank(member_choices(SELLERS), _l("The whole team"))

    def validate_period(self, field):
        key = target_period(field.data)
        if key is None:
            raise StopValidation(_l("Type a month as 2026-11 or a quarter as 2026-Q4."))
        field.data = key

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.signed.data is None and self.renewals_kept.data is None and self.new_accounts.data is None:
            self.fail(_l("Give at least one target: signed value, renewals kept or new accounts."))
            return False
        return ok


class SupportForm(Form):
    rep = Ref(_l("Sales rep"), [required(_l("Choose the sales rep."))])
    coordinator = Ref(_l("Supported by"), [optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rep.choices = with_blank(member_choices(SELLERS))
        self.coordinator.choices = with_blank(member_choices((Role.coordinator,)), _l("Nobody"))


class FigureForm(Form):
    kind = Choice(_l("What"), [required()])
    day = Day(_l("Date"), [required()])
    amount = LocalDecimal(_l("Value"), [optional(), NonNegative()], currency_field="currency")
    currency = Choice(_l("Currency"), [optional(), Currency()], validate_choice=False)
    note = TextAreaField(_l("Note"), [required(_l("Say where the figure comes from.")), max_length(1000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, FIGURE_LABELS[k]) for k in FIGURE_KINDS]
        self.currency.choices = currency_choices(str(get_locale()))

    def validate_day(self, field):
        if field.data and field.data > date.today():
            raise StopValidation(_l("A figure is what already happened: give a date up to today."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Optional() ends a field's own checks when it is empty: a signed value needs both, asked for here.
        if self.kind.data == "signed_value":
            if self.amount.data is None and not self.amount.errors:
                self.amount.errors = [*self.amount.errors, _l("Enter the value that was signed.")]
                ok = False
            if not self.currency.data and not self.currency.errors:
                self.currency.errors = [*self.currency.errors, _l("Choose the currency of the value.")]
                ok = False
        return ok


class OddsForm(Form):
    """The percent for each stage; fields are added below, one per key of ODDS_KEYS."""


for _key in ODDS_KEYS:
    setattr(OddsForm, _key, Whole(ODDS_LABELS[_key], [required(), NumberRange(
        min=0, max=100, message=_l("Enter a percentage from 0 to 100."))]))
