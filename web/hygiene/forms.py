"""Reporting a bad address, and fixing it."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation

from i18n.locales import country_choices

from ..accounts.service import BadPhone, international_phone
from ..forms import Choice, Email, Form, Ref, Text, max_length, optional, required, with_blank
from .models import KIND_LABELS, KINDS


class ReportForm(Form):
    kind = Choice(_l("What is wrong"), [required()])
    contact = Ref(_l("Contact"), [optional()])
    detail = Text(_l("Note"), [optional(), max_length(300)])

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, KIND_LABELS[k]) for k in KINDS]
        self.contact.choices = with_blank([(str(c.id), c.name) for c in contacts])


class FixForm(Form):
    email = Text(_l("Email"), [optional(), max_length(254), Email()])
    phone = Text(_l("Phone"), [optional(), max_length(40)])
    country = Choice(_l("Country of the phone number"), [optional()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = with_blank(country_choices(str(get_locale())))

    def validate_phone(self, field):
        if not field.data:
            return
        try:
            # A fix must be a number that can be called: valid, not merely possible.
            field.data = international_phone(field.data, self.country.data, callable_only=True)
        except BadPhone:
            raise StopValidation(_l("This is not a phone number that can be called: type it with its country code "
                                    "(+39 …) or choose its country.")) from None
