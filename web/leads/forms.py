from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from i18n.locales import SUPPORTED_LOCALES, country_choices, customer_language_choices, language_name
from i18n.money import currency_choices

from ..accounts.forms import Country, Language, Website
from ..forms import (Choice, Currency, Day, Email, Form, LocalDecimal, Text, Whole, length, max_length, optional,
                     required)
from .labels import ACTIVITY_LABELS, BONUS_RULE_LABELS, KIND_LABELS, SOURCE_LABELS

NOT_SET = _l("Not set")


def _blank(choices, label=NOT_SET):
    return [("", label)] + list(choices)


class NotNegative:
    def __call__(self, form, field):
        if field.data is not None and field.data < 0:
            raise StopValidation(_l("Enter an amount of 0 or more."))
        if field.data is not None and (field.data >= 10 ** 14 or field.data.as_tuple().exponent < -4):
            raise StopValidation(_l("Enter an amount below 100 trillion with at most 4 decimal places."))


class LeadForm(Form):
    company = Text(_l("Company"), [required(), length(1, 200)])
    contact_name = Text(_l("Contact person"), [optional(), max_length(160)])
    contact_title = Text(_l("Their role"), [optional(), max_length(120)])
    email = Text(_l("Email"), [optional(), max_length(254), Email()])
    phone = Text(_l("Phone"), [optional(), max_length(40)])
    website = Text(_l("Website"), [optional(), max_length(300), Website()])
    country = Choice(_l("Country"), [optional(), Country()], validate_choice=False)
    language = Choice(_l("Language"), [optional(), Language()], validate_choice=False)
    source = Choice(_l("Source"), [required()])
    value = LocalDecimal(_l("Estimated value"), [optional(), NotNegative()])
    currency = Choice(_l("Currency"), [Currency()], validate_choice=False)
    owner_id = Choice(_l("Owner"), [optional()])
    tags = Text(_l("Tags"), [optional(), max_length(300)])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version = HiddenField()
    # After a duplicate warning: save anyway, merge into a lead, or link to an account.
    confirmed = HiddenField()
    merge_into = HiddenField()
    account_id = HiddenField()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.country.choices = _blank(country_choices(locale))
        self.language.choices = _blank(customer_language_choices(locale))
        self.currency.choices = currency_choices(locale)
        self.source.choices = [(k, v) for k, v in SOURCE_LABELS.items()]
        self.owner_id.choices = _blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))

    def validate_currency(self, field):
        if self.value.data is not None and not field.data:
            raise StopValidation(_l("Choose the currency of the value."))


class DisqualifyForm(Form):
    reason = Text(_l("Why is it disqualified?"), [required(), max_length(300)])


class HandoffForm(Form):
    rep_id = Choice(_l("Rep"), [required()])
    note = TextAreaField(_l("Note for the rep"), [required(), max_length(3000)])

    def __init__(self, *args, reps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rep_id.choices = _blank([(str(u.id), u.name) for u in reps], _l("Choose a rep"))


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
    value = LocalDecimal(_l("Contract value"), [required(), NotNegative()])
    currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = currency_choices(str(get_locale()))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end comes after the start."))


class ActivityForm(Form):
    kind = Choice(_l("Kind"), [required()])
    subject = Text(_l("Subject"), [required(), max_length(200)])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    due_on = Day(_l("Follow up on"), [optional()])
    assignee_id = Choice(_l("For"), [optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, v) for k, v in ACTIVITY_LABELS.items()]
        self.assignee_id.choices = _blank([(str(u.id), u.name) for u in people], _l("Me"))


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


class Bounded:
    """A number below a trillion with at most four decimals (what an answer can hold)."""

    def __call__(self, form, field):
        if field.data is not None and (abs(field.data) >= 10 ** 12 or field.data.as_tuple().exponent < -4):
            raise StopValidation(_l("Enter a number below a trillion with at most 4 decimal places."))


class QuestionForm(_Wordings, Form):
    prefix = "text"
    kind = Choice(_l("Answer type"), [required()])
    points_yes = Whole(_l("Points for yes"), [optional()], default=0)
    points_no = Whole(_l("Points for no"), [optional()], default=0)
    threshold = LocalDecimal(_l("Threshold"), [optional(), Bounded()])
    points_threshold = Whole(_l("Points at or above the threshold"), [optional()], default=0)
    points_answered = Whole(_l("Points for any answer"), [optional()], default=0)
    version = HiddenField()

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


class BonusRuleForm(Form):
    rule = Choice(_l("Bonus rule"), [required()])
    # No optional(): it would stop the checks below, which need the empty value to ask for it.
    amount = LocalDecimal(_l("Fixed amount"), [NotNegative()])
    percent = LocalDecimal(_l("Percentage"))

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


class WebformSettingsForm(Form):
    enabled = BooleanField(_l("Accept leads from the public web form"))
    owner_id = Choice(_l("Give new web leads to"), [optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = _blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))


class WebLeadForm(Form):
    """The public web-to-lead form: no CSRF (it is posted from customers' own sites), a honeypot instead."""

    company = Text(_l("Company"), [required(), length(1, 200)])
    name = Text(_l("Your name"), [required(), length(1, 160)])
    email = Text(_l("Email"), [required(), max_length(254), Email()])
    phone = Text(_l("Phone"), [optional(), max_length(40)])
    country = Choice(_l("Country"), [optional(), Country()], validate_choice=False)
    message = TextAreaField(_l("How can we help?"), [optional(), max_length(3000)])
    # The honeypot: hidden from people, irresistible to bots that fill every field.
    url = Text(_l("Leave this field empty"), [optional()])

    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = _blank(country_choices(str(get_locale())))


class ImportForm(Form):
    file = FileField(_l("CSV file"))
    owner_id = Choice(_l("Owner of the new leads"), [optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = _blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise StopValidation(_l("Choose a CSV file."))


def default_term(today: date) -> tuple[date, date]:
    from ..contracts.service import default_end

    return today, default_end(today)
