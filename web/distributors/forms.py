"""The staff forms: a tier, a distributor, a person there, a portal user's invitation, a decision on a deal."""
from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_currency_precision
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import NumberRange, StopValidation

from i18n.locales import country_choices, is_country, language_choices
from i18n.money import currency_choices
from tenants.models import SEES_ALL

from ..accounts.forms import Website
from ..forms import (
    Choice,
    Currency,
    Day,
    Email,
    Form,
    LocalDecimal,
    Positive,
    Ref,
    Text,
    Version,
    Whole,
    length,
    max_length,
    member_choices,
    optional,
    required,
    with_blank,
)


def _whole_range(lo: int, hi: int):
    return NumberRange(min=lo, max=hi, message=_l("Enter a whole number from %(lo)d to %(hi)d.", lo=lo, hi=hi))


class Percent:
    def __call__(self, form, field):
        if field.data is not None and not (Decimal(0) <= field.data <= Decimal(100)):
            raise StopValidation(_l("Enter a percentage from 0 to 100."))


class TierForm(Form):
    name = Text(_l("Name"), [required(), length(1, 60)])
    rank = Whole(_l("Rank"), [required(), _whole_range(1, 99)])
    discount_percent = LocalDecimal(_l("Discount (%)"), [required(), Percent()], places=2)
    exclusivity_days = Whole(_l("Exclusivity of an approved deal (days)"), [required(), _whole_range(1, 3650)])
    lead_sla_hours = Whole(_l("Time to answer a lead (hours)"), [required(), _whole_range(1, 720)])
    benefits = TextAreaField(_l("Benefits"), [optional(), max_length(2000)])
    version = Version()


class Countries(SelectMultipleField):
    """Several countries; a code that is not one is refused with our message (WTForms has no Vietnamese)."""

    def pre_validate(self, form):
        for code in self.data or ():
            if not is_country(code):
                raise StopValidation(_l("Choose a country from the list."))


class AtLeastOne:
    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(_l("Choose at least one country."))


class SupportedLanguage:
    def __call__(self, form, field):
        if field.data not in {code for code, _name in language_choices()}:
            raise StopValidation(_l("Choose a language from the list."))


class DistributorForm(Form):
    name = Text(_l("Company name"), [required(), length(2, 200)])
    countries = Countries(_l("Territory"), [AtLeastOne()], validate_choice=False)
    language = Choice(_l("Portal language"), [required(), SupportedLanguage()], validate_choice=False)
    currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)
    tier_id = Ref(_l("Tier"), [optional()])
    agreement_starts_on = Day(_l("Agreement starts"), [optional()])
    agreement_ends_on = Day(_l("Agreement ends"), [optional()])
    coordinator_id = Ref(_l("Coordinator"), [optional()])
    website = Text(_l("Website"), [optional(), max_length(300), Website()])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version = Version()

    def __init__(self, *args, tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.countries.choices = country_choices(locale)
        self.language.choices = language_choices()
        self.currency.choices = with_blank(currency_choices(locale))
        self.tier_id.choices = with_blank([(str(t.id), t.name) for t in tiers])
        self.coordinator_id.choices = with_blank(member_choices(SEES_ALL))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        starts, ends = self.agreement_starts_on.data, self.agreement_ends_on.data
        if ok and starts and ends and ends < starts:
            self.agreement_ends_on.errors = [_l("The agreement cannot end before it starts.")]
            ok = False
        return ok


class ContactForm(Form):
    name = Text(_l("Name"), [required(), length(2, 160)])
    job_title = Text(_l("Role"), [optional(), max_length(120)])
    email = Text(_l("Email"), [optional(), max_length(254), Email()])
    phone = Text(_l("Phone"), [optional(), max_length(40)])


class PartnerInviteForm(Form):
    email = Text(_l("Email"), [required(), max_length(254), Email()])
    locale = Choice(_l("Language of the invitation"), [required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()


class RejectForm(Form):
    reason = TextAreaField(_l("Why it is rejected (the partner reads this)"), [required(), length(3, 2000)])
    version = Version()


class ApproveForm(Form):
    exclusivity_days = Whole(_l("Exclusive for (days)"), [required(), _whole_range(1, 3650)])
    version = Version()


class ProductForm(Form):
    code = Text(_l("Code"), [required(), length(1, 40)])
    name_en = Text(_l("Name in English"), [required(), length(1, 200)])
    name_it = Text(_l("Name in Italian"), [optional(), max_length(200)])
    name_vi = Text(_l("Name in Vietnamese"), [optional(), max_length(200)])
    unit = Text(_l("Unit"), [required(), length(1, 40)])
    base_price = LocalDecimal(_l("Base price"), [required(), Positive()])
    active = Choice(_l("Offered to partners"), [required()], choices=[("yes", _l("Yes")), ("no", _l("No"))])
    version = Version()

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        price = self.base_price.data
        if ok and price is not None:
            places = get_currency_precision(self.currency)
            if price != price.quantize(Decimal(1).scaleb(-places)):
                self.base_price.errors = [_l("%(currency)s amounts have at most %(num)d decimals: “%(text)s” cannot "
                                              "be kept as it is.", currency=self.currency, num=places,
                                              text=self.base_price.raw_data[0])]
                ok = False
        return ok


class TierPriceForm(Form):
    product_id = Ref(_l("Product"), [required()])
    price = LocalDecimal(_l("Price for this tier"), [required(), Positive()])

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.product_id.choices = with_blank([(str(p.id), f"{p.code} · {p.names.get('en', '')}") for p in products])


class StepForm(Form):
    version = Version()


class ShipForm(Form):
    carrier = Text(_l("Carrier"), [required(), length(2, 120)])
    tracking = Text(_l("Tracking number"), [optional(), max_length(120)])
    incoterm = Choice(_l("Incoterm"), [required()])
    export_papers = Text(_l("Export papers (numbers)"), [optional(), max_length(500)])
    version = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import INCOTERMS

        self.incoterm.choices = with_blank([(code, code) for code in INCOTERMS])


class InvoiceForm(Form):
    invoice_number = Text(_l("Invoice number"), [required(), length(1, 60)])
    version = Version()


class OfferForm(Form):
    distributor_id = Ref(_l("Distributor"), [required(_l("Choose the distributor."))])
    note = TextAreaField(_l("Note for the partner"), [optional(), max_length(2000)])

    def __init__(self, *args, distributors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.distributor_id.choices = with_blank([(str(d.id), d.name) for d in distributors])


class AnswerForm(Form):
    note = TextAreaField(_l("Note"), [optional(), max_length(2000)])
    version = Version()
