"""The collateral forms: an item, a location, stock received or counted, items sent to a show and counted back."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import NumberRange

from i18n.locales import customer_language_choices

from ..forms import Choice, Day, Form, Ref, Text, Version, Whole, length, max_length, optional, required, with_blank
from .models import KIND_LABELS, LOCATION_LABELS


def _count(label, low=0, message=None):
    return Whole(label, [required(), NumberRange(low, 10_000_000, message=message or _l(
        "Enter a whole number from %(low)d to 10,000,000.", low=low))])


class ItemForm(Form):
    name = Text(_l("Name"), [required(), length(2, 200)])
    kind = Choice(_l("Kind"), [required()], choices=list(KIND_LABELS.items()))
    language = Choice(_l("Language"), [required()])
    version = Text(_l("Version"), [required(), max_length(20)])
    reorder_level = _count(_l("Reorder level"))
    lead_time_days = Whole(_l("Print lead time in days"), [required(), NumberRange(
        0, 365, message=_l("Enter a number of days between 0 and 365."))])
    supplier = Text(_l("Supplier"), [optional(), max_length(200)])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    version_id = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = with_blank(customer_language_choices(str(get_locale())))


class LocationForm(Form):
    location_name = Text(_l("Location"), [required(), length(2, 120)])
    location_kind = Choice(_l("Kind of place"), [required()], choices=list(LOCATION_LABELS.items()))


class StockForm(Form):
    """Stock received, or a count of what is really there."""

    action = Choice(_l("What happened"), [required()], choices=[("received", _l("Received")),
                                                                ("correction", _l("Counted"))])
    location_id = Ref(_l("Where"), [required(_l("Choose where the stock is."))])
    quantity = _count(_l("How many"))
    note = Text(_l("Note"), [optional(), max_length(200)])

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.location_id.choices = with_blank([(str(loc.id), loc.name) for loc in locations], _l("Choose where"))


class TakeForm(Form):
    """Collateral sent to a show, out of one location's stock."""

    item_id = Ref(_l("Item"), [required(_l("Choose the item."))])
    location_id = Ref(_l("From"), [required(_l("Choose where the stock is."))])
    quantity = _count(_l("How many"), 1)
    shipment_id = Ref(_l("In the shipment"), [optional()])

    def __init__(self, *args, items=(), locations=(), shipments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shipment_id.choices = with_blank([(str(s.id), f"{s.carrier_name or s.carrier.upper()} "
                                                f"{s.tracking_number or ''}".strip()) for s in shipments],
                                              _l("Not in a shipment"))
        self.item_id.choices = with_blank([(str(i.id), f"{i.name} · {i.language.upper()} · {i.version}") for i in items],
                                          _l("Choose the item"))
        self.location_id.choices = with_blank([(str(loc.id), loc.name) for loc in locations], _l("Choose where"))


class NeedForm(Form):
    """Collateral a mailing encloses, and the day it goes out (its order-by day follows)."""

    item_id = Ref(_l("Item"), [required(_l("Choose the item."))])
    quantity = _count(_l("How many"), 1)
    planned_on = Day(_l("Goes out on"), [required()])

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_id.choices = with_blank([(str(i.id), f"{i.name} · {i.language.upper()} · {i.version}") for i in items],
                                          _l("Choose the item"))


class ReconcileForm(Form):
    given_away = _count(_l("Given away"))
    returned = _count(_l("Returned"))


class ReprintForm(Form):
    quantity = _count(_l("How many to print"), 1)


class AnswerForm(Form):
    """A rep's answer: no changes, or which changes."""

    wants_changes = Choice(_l("Changes before the reprint?"), [required()], choices=[
        ("no", _l("No changes, print it as it is")), ("yes", _l("Yes, I want changes"))])
    changes = TextAreaField(_l("Which changes"), [optional(), max_length(5000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.wants_changes.data == "yes" and not (self.changes.data or "").strip():
            self.changes.errors = [*self.changes.errors, _l("Say which changes you want.")]
            ok = False
        return ok


class AdvanceForm(Form):
    proofreader = Text(_l("Proofread by"), [optional(), max_length(120)])
    notes = Text(_l("Note"), [optional(), max_length(500)])
    location_id = Ref(_l("Into"), [optional()])
    received = Whole(_l("How many arrived"), [optional(), NumberRange(1, 10_000_000, message=_l(
        "Enter a whole number from %(low)d to 10,000,000.", low=1))])

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.location_id.choices = with_blank([(str(loc.id), loc.name) for loc in locations], _l("Choose where"))
