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
