"""Billing: what to invoice for each contract, marked invoiced, exported for the billing system."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import HIDDEN, as_money, as_number
from . import demo
from .routes import bp, contract_panel

feature = Feature(
    "billing", blueprint=bp, demo=demo.seed,
    panels={"contract": [(20, contract_panel)]},
    audit_labels={"billing.added": _l("Billing entry added"), "billing.invoiced": _l("Billing entry invoiced")},
    field_labels={"amount": _l("amount"), "invoice_ref": _l("invoice"), "entry": _l("billing entry")},
    field_values={"billing:amount": lambda value: (as_money if " " in str(value) else as_number)(value),
                  "entry": HIDDEN},
)
