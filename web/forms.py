"""Form pieces shared by every feature, each message in the reader's language.

WTForms ships no Vietnamese catalog, so no field here relies on a WTForms built-in message: every
validator and every parse error carries one of ours.
"""
from __future__ import annotations

from decimal import Decimal

import wtforms.widgets
import wtforms.widgets.core
from babel.numbers import format_decimal, get_currency_precision
from email_validator import EmailNotValidError, validate_email
from flask import g
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, Field, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError
from wtforms.widgets import Select, TextInput

from i18n.locales import is_timezone, language_choices, timezone_choices
from i18n.money import AmountError, currency_choices, entry_text, is_currency, read_money, written_in
from tenants.db import MAX_ID
from tenants.members import member_names, member_users
from tenants.models import Role, User


def html_params(**kwargs) -> Markup:
    """WTForms' html_params, the same attributes character for character, built with str operations: WTForms formats
    each attribute through Markup.format (Python's string.Formatter, a dozen calls an attribute; a contract's page
    renders some two hundred attributes in its forms). Installed in WTForms' place below; tests/web/test_forms_html.py
    compares the two."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = wtforms.widgets.core.clean_key(key)
        if value is True:
            params.append(escape(key))
        elif value is not False:
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params
wtforms.widgets.core.html_params = wtforms.widgets.html_params = html_params
for _name in dir(wtforms.widgets.core):  # every widget class that keeps its own reference
    _cls = getattr(wtforms.widgets.core, _name)
    if isinstance(_cls, type) and _cls.__dict__.get("html_params") is not None:
        _cls.html_params = staticmethod(html_params)

REQUIRED = _l("This field is required.")


STALE_FORM = _l("This form is out of date or was changed outside Coordina. Reload the page and try again.")
NUL_TEXT = _l("This contains a character that cannot be kept (a NUL byte). Retype it without pasting.")


def _raw_strings(field):
    for value in field.raw_data or ():
        if isinstance(value, str):
            yield value
        elif getattr(value, "filename", None):
            yield value.filename


class Form(FlaskForm):
    """Base form: CSRF on, and a `form_error` for problems that belong to no single field."""

    form_error: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, LocalDecimal) and field.currency_field:
                field.currency_source = self[field.currency_field]

    def fail(self, message) -> None:
        self.form_error = str(message)

    def validate(self, extra_validators=None) -> bool:
        # No database keeps a NUL byte (PostgreSQL refuses it): every field says so, whatever its type. Said before
        # the validators run, and alone: one may look a value up in the database (the sign-up's nonce did, and
        # PostgreSQL answered the look-up with an error).
        carrying = {field.name for field in self if any("\x00" in value for value in _raw_strings(field))}
        if carrying:
            for field in self:
                field.errors = [NUL_TEXT] if field.name in carrying else []
            ok = False
        else:
            ok = super().validate(extra_validators)
        # A hidden field is nobody's to correct: its problem is said once, for the whole form.
        if any(field.errors for field in self if isinstance(field, HiddenField)) and not self.form_error:
            self.fail(STALE_FORM)
        return ok


class Version(HiddenField):
    """The version of the record a form was opened on: a whole number or nothing, never a 500."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            if not (raw.isdigit() and len(raw) <= 9):
                raise ValueError(STALE_FORM)
            self.data = int(raw)

    def _value(self):
        return "" if self.data is None else str(self.data)


NOT_SET = _l("Not set")


def with_blank(choices, label=NOT_SET) -> list:
    """Options of a select that may be left empty: "Not set" (or `label`) first."""
    return [("", label)] + list(choices)


def members(roles: tuple[Role, ...]) -> list[User]:
    """The tenant's people in these roles, by name: one query per request and set of roles."""
    cache = g.setdefault("_members_by_roles", {})
    if roles not in cache:
        cache[roles] = member_users(g.tenant.id, roles)
    return cache[roles]


def member_choices(roles: tuple[Role, ...]) -> list[tuple[str, str]]:
    """The same people as (id, name) options of a select: their two columns, unless the request has them already."""
    return [(str(person.id), person.name) for person in member_people(roles)]


def member_people(roles: tuple[Role, ...]) -> list:
    """The same people as (id, name) pairs (tenants.members.Person): two columns once a request, or the people the
    request has loaded already."""
    cache = g.setdefault("_member_people", {})
    if roles not in cache:
        people = g.get("_members_by_roles", {}).get(roles)
        cache[roles] = people if people is not None else member_names(g.tenant.id, roles)
    return cache[roles]


class NonNegative:
    def __call__(self, form, field):
        if field.data is not None and field.data < 0:
            raise StopValidation(_l("Enter an amount of 0 or more."))


class Positive:
    def __call__(self, form, field):
        if field.data is not None and field.data <= 0:
            raise StopValidation(_l("Enter an amount above 0."))


class Link:
    """A web address people can open: http(s) only (a javascript: link never becomes a link)."""

    def __call__(self, form, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise StopValidation(_l("Enter a link starting with https://"))


class Required:
    """Something must be given. Unlike WTForms' DataRequired, 0 counts as given, and a value that
    could not be read keeps its own message ("Enter a number") instead of "required"."""

    field_flags = {"required": True}

    def __init__(self, message=None):
        self.message = message or REQUIRED

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()) or data == []:
            raise StopValidation(self.message)


def required(message=None):
    """Something must be given; `message` says what ("Choose the sales rep.") where "required" is too vague."""
    return Required(message)


def optional():
    return Optional()


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(num)d characters.", num=n))


def length(lo: int, hi: int):
    return Length(min=lo, max=hi, message=_l("Use between %(lo)d and %(hi)d characters.", lo=lo, hi=hi))


def normalise_email(value: str) -> str:
    """The address as we store it; raises ValueError with the reader's message when it is not one."""
    try:
        result = validate_email(value or "", check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(_l("Enter a valid email address, like name@example.com."))) from exc
    return result.normalized.lower()


class Email:
    """A well-formed address; the field's data becomes its normalised form."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = normalise_email(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class Currency:
    def __call__(self, form, field):
        if field.data and not is_currency(field.data):
            raise StopValidation(_l("Choose a currency from the list (an ISO 4217 code such as EUR)."))


class Timezone:
    def __call__(self, form, field):
        if field.data and not is_timezone(field.data):
            raise StopValidation(_l("Choose a timezone from the list."))


def _select_choices(choices):
    """(value, label) pairs as WTForms' SelectChoice (raw tuples are deprecated in WTForms 3.3)."""
    if choices is None or callable(choices):
        return choices
    return [c if isinstance(c, SelectChoice) else SelectChoice(value=c[0], label=c[1]) for c in choices]


def _text(label) -> str:
    return "" if label is None else str(label)


class FastSelect(Select):
    """WTForms' select, with its options' HTML built once per set of choices and process (then only the chosen
    one marked): a currency select is 150 options, and rendering each through WTForms was most of a contract
    page's form work. Exactly the markup Select writes; groups, multiple and per-option attributes go through
    Select itself."""

    _built: dict[tuple, str] = {}

    def __call__(self, field, **kwargs):
        choices = field._choices_from_input(field.choices) or []
        if self.multiple or any(c.optgroup is not None or c.render_kw for c in choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        values = [str(c.value) if isinstance(c.value, bool) else c.value for c in choices]
        # Each label read once: `label or value` on a lazy text translated it twice (its length, then its text).
        key = tuple((v, _text(c.label) or str(c.value)) for v, c in zip(values, choices))
        options = self._built.get(key)
        if options is None:
            if len(self._built) > 512:
                self._built.clear()
            options = self._built[key] = "".join(
                f"<option {html_params(value=v)}>{escape(label)}</option>" for v, label in key)
        for value, choice in zip(values, choices):
            if field.coerce(choice.value) == field.data:
                plain = f"<option {html_params(value=value)}>"
                options = options.replace(plain, f"<option {html_params(value=value, selected=True)}>", 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class Choice(SelectField):
    """A select whose wrong value gets our message; choices may be given as (value, label) pairs."""

    widget = FastSelect()

    def __init__(self, label=None, validators=None, choices=None, **kwargs):
        kwargs.setdefault("invalid_choice_message", _l("Choose one of the options."))
        kwargs.setdefault("invalid_value_message", _l("Choose one of the options."))
        super().__init__(label, validators, choices=_select_choices(choices), **kwargs)

    @property
    def choices(self):
        return SelectField.choices.fget(self)

    @choices.setter
    def choices(self, value):
        SelectField.choices.fset(self, _select_choices(value))


def errors_of(*fields, separator: str = " ") -> str:
    """Fields' messages as one text (they are lazy strings: joining them as they are fails)."""
    return separator.join(str(e) for field in fields for e in field.errors)


def record_id(value) -> int | None:
    """A record id as a form sends it: blank (or spaces) is none, digits are the id, anything else is refused."""
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and int(text) <= MAX_ID):
        raise ValueError(text)  # ids are 32-bit: PostgreSQL refuses a larger one with an error, not a miss
    return int(text)


def record_id_or_none(value) -> int | None:
    """record_id(), where something that is not an id is simply none (a stale or tampered field)."""
    try:
        return record_id(value)
    except ValueError:
        return None


class Ref(Choice):
    """A select of records (a person, a kind): its data is the chosen id as an int, or None when left empty."""

    def __init__(self, label=None, validators=None, choices=None, **kwargs):
        super().__init__(label, validators, choices=choices, coerce=record_id, **kwargs)


class RefField(HiddenField):
    """A record id carried in a hidden field: an int or None, never a 500 on something else."""

    def process_formdata(self, valuelist):
        try:
            self.data = record_id(valuelist[0] if valuelist else None)
        except ValueError:
            self.data = None
            raise ValueError(STALE_FORM) from None

    def _value(self):
        return "" if self.data is None else str(self.data)


class Text(StringField):
    """A one-line text: trimmed, and a line break pasted into it becomes a space (a name with CR/LF would
    otherwise reach mail headers)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = " ".join(self.data.split()) if any(c in self.data for c in "\r\n\t\v\f") else self.data.strip()


class Whole(IntegerField):
    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("Enter a whole number."))
        super().__init__(label, validators, **kwargs)


class Day(DateField):
    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("Enter a date (YYYY-MM-DD)."))
        super().__init__(label, validators, **kwargs)


def amount_refusal(error: AmountError, locale) -> str:
    """Why a typed amount was refused, in the reader's words, with what to type instead."""
    example = format_decimal(Decimal("1234.56"), locale=locale)
    if error.reason == "ambiguous":
        fraction = Decimal(error.details["fraction"]).normalize()
        # Shown so that neither reading is ambiguous in turn: 24,500.00 or 24.50; 1,085.00 or 1.0850.
        decimals = "0000" if fraction.as_tuple().exponent == -3 else "00"
        return _("“%(text)s” can be read as %(whole)s or as %(fraction)s. Type one of those so there is no doubt.",
                 text=error.text,
                 whole=format_decimal(Decimal(error.details["whole"]), locale=locale, format="#,##0.00"),
                 fraction=format_decimal(fraction, locale=locale, format="#,##0." + decimals))
    return _("“%(text)s” is not an amount Coordina can read. Type it like %(example)s.",
             text=error.text, example=example)


class LocalDecimal(Field):
    """An amount as the reader writes it: 1.234,56 in Italian and Vietnamese, 1,234.56 in English; never a float,
    never read by the browser (a text input: a number input silently drops "24.500,00").

    Read by `i18n.money.read_amount` in the reader's locale: a currency symbol or code is allowed when it is the
    one of `currency_field`, a grouping that could be read two ways is refused with both readings, and what is
    not a finite number, or is too large or too precise for the column it goes to, is refused with a message
    (an amount is stored in ten-thousandths: at most 4 decimals, below 10^14). A refused entry stays as typed;
    a saved one comes back formatted for the reader, with at least `shown_places` decimals.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, places: int = 4, below: Decimal = Decimal(10) ** 14,
                 range_message=None, shown_places: int = 2, currency_field: str | None = None, **kwargs):
        render_kw = dict(kwargs.pop("render_kw", None) or {})
        render_kw.setdefault("inputmode", "decimal")
        render_kw.setdefault("autocomplete", "off")
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.places, self.below, self.shown_places = places, below, min(shown_places, places)
        self.currency_field = currency_field
        self.range_message = range_message or _l("Enter an amount below 100 trillion with at most 4 decimal places.")
        self.typed_currency: str | None = None
        self.currency_source = None  # the form's currency field, bound by Form

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = (valuelist[0] or "").strip()
        self.data, self.typed_currency = None, None
        if raw == "":
            return
        locale = get_locale()
        try:
            amount, self.typed_currency = read_money(raw, locale)
        except AmountError as error:
            raise ValueError(amount_refusal(error, locale)) from None
        if abs(amount) >= self.below or amount.as_tuple().exponent < -self.places:
            raise ValueError(self.range_message)
        self.data = amount

    def pre_validate(self, form):
        if self.data is None or self.currency_field is None:
            return
        expected, typed = form[self.currency_field].data, self.typed_currency
        if expected and is_currency(expected):
            places = get_currency_precision(expected)
            if self.data != self.data.quantize(Decimal(1).scaleb(-places)):
                self.data = None
                text = self.raw_data[0].strip()
                if places == 0:
                    raise StopValidation(_("%(currency)s amounts have no decimals: “%(text)s” cannot be kept as it "
                                           "is.", currency=expected, text=text))
                raise StopValidation(ngettext(
                    "%(currency)s amounts have at most %(num)d decimal: “%(text)s” cannot be kept as it is.",
                    "%(currency)s amounts have at most %(num)d decimals: “%(text)s” cannot be kept as it is.",
                    places, currency=expected, text=text))
        if typed and expected and not written_in(typed, expected):
            self.data = None
            raise StopValidation(_("This amount is written in %(typed)s but the currency chosen is %(expected)s: "
                                   "pick %(typed)s as the currency, or type the amount without a symbol.",
                                   typed=typed, expected=expected))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        at_least = self.shown_places
        currency = self.currency_source.data if self.currency_source is not None else None
        if currency and is_currency(currency):
            at_least = get_currency_precision(currency)  # 385.000.000 VND, 24.500,00 USD
        return entry_text(self.data, get_locale(), places=self.places, at_least=at_least)


__all__ = [
    "Form", "Version", "required", "optional", "max_length", "length", "Email", "Currency",
    "Timezone", "Choice", "Text", "Whole", "Day", "LocalDecimal", "amount_refusal", "normalise_email", "REQUIRED", "members",
    "member_choices", "NonNegative", "Positive", "Link", "with_blank", "NOT_SET", "Ref", "RefField", "record_id", "record_id_or_none", "errors_of",
]


class WorkspaceForm(Form):
    """What a workspace is set up with, at sign-up and in its settings: base currency, language, timezone."""

    base_currency = Choice(_l("Base currency"), [required(), Currency()], validate_choice=False)
    default_locale = Choice(_l("Default language"), [required()])
    timezone = Choice(_l("Timezone"), [required(), Timezone()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.base_currency.choices = currency_choices(locale)
        self.default_locale.choices = language_choices()
        self.timezone.choices = timezone_choices(locale)


# The most common passwords of public breach lists: never accepted, whatever their length.
COMMON_PASSWORDS = frozenset(
    """
    password password1 password12 password123 password1234 passw0rd 123456789 1234567890 12345678910
    qwertyuiop qwerty1234 qwerty12345 1q2w3e4r5t 1qaz2wsx3edc iloveyou123 abcdef1234 abc1234567
    letmein123 welcome123 admin12345 administrator changeme123 trustno1234 football123 baseball123
    monkey1234 dragon1234 sunshine123 princess123 superman123 starwars123 whatever123 michael123
    0987654321 1111111111 0000000000 aaaaaaaaaa 1234512345 123123123123 987654321 qazwsxedc123
    passwordpassword coordina123 coordina-demo
    """.split()
)


class StrongPassword:
    """At least 10 characters, not a known-common password, not the person's own email or name."""

    MIN = 10

    def __init__(self, email_field: str | None = "email", name_fields: tuple[str, ...] = ()):
        self.email_field = email_field
        self.name_fields = name_fields

    def __call__(self, form, field):
        password = field.data or ""
        if len(password) < self.MIN:
            raise ValidationError(_l("Use at least %(num)d characters for the password.", num=self.MIN))
        if len(password) > 256:
            raise ValidationError(_l("Use at most %(num)d characters.", num=256))
        lowered = password.lower()
        if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
            raise ValidationError(_l("This password is too easy to guess. Try a few unrelated words."))
        personal = []
        if self.email_field and getattr(form, self.email_field, None) is not None:
            email = (getattr(form, self.email_field).data or "").lower()
            personal.append(email.split("@")[0])
        for name in self.name_fields:
            value = getattr(form, name, None)
            if value is not None and value.data:
                personal.append(str(value.data).lower())
        if any(len(p) >= 4 and p in lowered for p in personal):
            raise ValidationError(_l("The password must not contain your name or email address."))
