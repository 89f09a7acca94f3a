"""The questionnaire forms: a question worded in each shipped language, an option, the threshold."""
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from i18n.locales import SUPPORTED_LOCALES, language_name

from ..forms import (
    Choice,
    Form,
    LocalDecimal,
    Text,
    Version,
    Whole,
    max_length,
    optional,
    required,
)
from .models import KIND_LABELS


def _wording_labels(form, prefix: str, message):
    reader = str(get_locale())
    for code in SUPPORTED_LOCALES:
        form[f"{prefix}_{code}"].label.text = message % {"language": language_name(code, reader)}


class _Wordings:
    """A text field per shipped language; at least one must be filled (readers fall back to English)."""

    prefix = "text"

    def validate_wordings(self):
        filled = [self[f"{self.prefix}_{code}"].data for code in SUPPORTED_LOCALES]
        if not any(v and v.strip() for v in filled):
            self[f"{self.prefix}_en"].errors.append(_("Write it in at least one language."))
            return False
        return True

    def wordings(self) -> dict[str, str]:
        return {code: self[f"{self.prefix}_{code}"].data or "" for code in SUPPORTED_LOCALES}


def _wording_fields(prefix: str, limit: int):
    return {f"{prefix}_{code}": Text(code, [optional(), max_length(limit)]) for code in SUPPORTED_LOCALES}


class QuestionForm(_Wordings, Form):
    prefix = "text"
    kind = Choice(_l("Answer type"), [required()])
    points_yes = Whole(_l("Points for yes"), [optional()], default=0)
    points_no = Whole(_l("Points for no"), [optional()], default=0)
    threshold = LocalDecimal(_l("Threshold"), [optional()], below=Decimal(10) ** 12, shown_places=0,
                             range_message=_l("Enter a number below a trillion with at most 4 decimal places."))
    points_threshold = Whole(_l("Points at or above the threshold"), [optional()], default=0)
    points_answered = Whole(_l("Points for any answer"), [optional()], default=0)
    version = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, v) for k, v in KIND_LABELS.items()]
        _wording_labels(self, "text", _("Question in %(language)s"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ok = self.validate_wordings() and ok
        for name in ("points_yes", "points_no", "points_threshold", "points_answered"):
            value = self[name].data
            if value is not None and abs(value) > 1000:
                self[name].errors.append(_("Use points between -1000 and 1000."))
                ok = False
        return ok


class OptionForm(_Wordings, Form):
    prefix = "label"
    points = Whole(_l("Points"), [optional()], default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _wording_labels(self, "label", _("Option in %(language)s"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ok = self.validate_wordings() and ok
        if self.points.data is not None and abs(self.points.data) > 1000:
            self.points.errors.append(_("Use points between -1000 and 1000."))
            ok = False
        return ok


# A field per shipped language, added once the classes exist (WTForms picks up fields set on the class).
for _cls, _prefix, _limit in ((QuestionForm, "text", 300), (OptionForm, "label", 120)):
    for _name, _field in _wording_fields(_prefix, _limit).items():
        setattr(_cls, _name, _field)


class ThresholdForm(Form):
    threshold = Whole(_l("Suggest “qualified” from a score of"), [optional()])

    def validate_threshold(self, field):
        if field.data is not None and abs(field.data) > 100_000:
            raise ValidationError(_l("Use a score between -100,000 and 100,000."))
