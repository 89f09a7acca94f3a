"""The deliverable forms: add or edit one, change its status in place, attach proof, add a kind."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from tenants.models import STAFF

from ..forms import (
    Choice,
    Day,
    Form,
    Link,
    LocalDecimal,
    NonNegative,
    Ref,
    Text,
    Version,
    length,
    max_length,
    member_choices,
    optional,
    required,
    with_blank,
)
from .models import DELIVERABLE_STATUS_LABELS, kind_label
from .service import MINE, NOBODY

OPEN_STATUSES, ANY_STATUS = "open", "any"  # the status filter's values beside each status


class DeliverableForm(Form):
    kind_id = Ref(_l("What"), [required(_l("Choose what is to be delivered."))])
    details = Text(_l("Details"), [required(), length(2, 300)])
    due_on = Day(_l("Due"), [required()])
    responsible_id = Ref(_l("Responsible"), [optional()])
    department = Text(_l("Department"), [optional(), max_length(80)])
    value_share = LocalDecimal(_l("Value share"), [optional(), NonNegative()])
    status = Choice(_l("Status"), [required()], choices=list(DELIVERABLE_STATUS_LABELS.items()))
    proof_url = Text(_l("Proof (link)"), [optional(), max_length(500), Link()])
    version = Version()

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_id.choices = with_blank([(str(k.id), kind_label(k)) for k in kinds], _l("Choose what"))
        self.responsible_id.choices = [("", _l("Nobody yet"))] + member_choices(STAFF)


class StatusForm(Form):
    status = Choice(_l("Status"), [required()], choices=list(DELIVERABLE_STATUS_LABELS.items()))
    version = Version()


class ProofForm(Form):
    proof_url = Text(_l("Proof (link)"), [optional(), max_length(500), Link()])
    proof_file = FileField(_l("or a file"))


class KindForm(Form):
    name = Text(_l("New kind"), [required(), length(2, 80)])


class ListFilterForm(Form):
    """The deliverables list's filters, read from the URL: what cannot be read is left out and marked."""

    due_from = Day(_l("Due from"), [optional()])
    due_to = Day(_l("Due until"), [optional()])
    kind = Ref(_l("What"), [optional()])
    responsible = Choice(_l("Responsible"), [optional()])
    status = Choice(_l("Status"), [optional()])

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, meta={"csrf": False}, **kwargs)
        self.kind.choices = with_blank([(str(k.id), kind_label(k)) for k in kinds], _l("All kinds"))
        self.responsible.choices = [("", _l("Everyone")), (MINE, _l("Mine")), (NOBODY, _l("Nobody yet"))] \
            + member_choices(STAFF)
        self.status.choices = [(OPEN_STATUSES, _l("Open: planned or in progress")),
                               *DELIVERABLE_STATUS_LABELS.items(), (ANY_STATUS, _l("Any status"))]

    def value(self, name: str):
        """The field's value if it could be read, else None (the filter is left out)."""
        field = self[name]
        return None if field.errors else field.data


# The list's quick ranges (web.deliverables.service.PERIODS), in the order they are offered.
PERIOD_LABELS = {
    "overdue": _l("Overdue"),
    "week": _l("Overdue and this week"),
    "4weeks": _l("Overdue and the next 4 weeks"),
    "30days": _l("Next 30 days"),
    "quarter": _l("This quarter"),
    "next-quarter": _l("Next quarter"),
}
