"""The bonus rule form."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation

from ..forms import Choice, Form, LocalDecimal, NonNegative, required
from .models import BONUS_RULE_LABELS


class BonusRuleForm(Form):
    rule = Choice(_l("Bonus rule"), [required()])
    # No optional(): it would stop the checks below, which need the empty value to ask for it.
    amount = LocalDecimal(_l("Fixed amount"), [NonNegative()])
    percent = LocalDecimal(_l("Percentage"), shown_places=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule.choices = [(k, v) for k, v in BONUS_RULE_LABELS.items()]

    def validate_amount(self, field):
        if self.rule.data == "fixed" and field.data is None:
            raise StopValidation(_l("Enter the amount of the bonus."))

    def validate_percent(self, field):
        if self.rule.data == "percent":
            if field.data is None:
                raise StopValidation(_l("Enter the percentage."))
            if not (0 < field.data <= 100) or field.data.as_tuple().exponent < -4:
                raise StopValidation(_l("Enter a percentage above 0 and up to 100."))
