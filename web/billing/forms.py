"""The billing forms: an entry, its invoice number, and the list's filters."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from i18n.money import currency_choices

from ..forms import Choice, Currency, Day, Form, LocalDecimal, Positive, Text, max_length, optional, required


class BillingForm(Form):
    amount = LocalDecimal(_l("Amount"), [required(), Positive()], currency_field="currency")
    currency = Choice(_l("Currency"), [required(), Currency()], validate_choice=False)
    due_on = Day(_l("Due"), [required()])
    note = Text(_l("Note"), [optional(), max_length(200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = currency_choices(str(get_locale()))


class InvoiceForm(Form):
    invoice_ref = Text(_l("Invoice number"), [required(), max_length(60)])


class BillingFilterForm(Form):
    due_from = Day(_l("Due from"), [optional()])
    due_to = Day(_l("Due until"), [optional()])
    invoiced = Choice(_l("Invoiced"), [optional()], choices=[("", _l("All")), ("no", _l("Not invoiced")),
                                                             ("yes", _l("Invoiced"))])
