"""The public web form, and its settings."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField

from i18n.locales import country_choices

from ..accounts.forms import Country
from ..forms import (
    Choice,
    Email,
    Form,
    Ref,
    Text,
    length,
    max_length,
    optional,
    required,
    with_blank,
)


class WebformSettingsForm(Form):
    enabled = BooleanField(_l("Accept leads from the public web form"))
    owner_id = Ref(_l("Give new web leads to"), [optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = with_blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))


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
        self.country.choices = with_blank(country_choices(str(get_locale())))
