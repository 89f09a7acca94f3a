"""The activity form: a call, email, meeting or note, with a follow-up date."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from ..forms import Choice, Day, Form, Ref, Text, max_length, optional, required, with_blank
from .models import ACTIVITY_LABELS


class ActivityForm(Form):
    kind = Choice(_l("Kind"), [required()])
    subject = Text(_l("Subject"), [required(), max_length(200)])
    notes = TextAreaField(_l("Notes"), [optional(), max_length(5000)])
    due_on = Day(_l("Follow up on"), [optional()])
    assignee_id = Ref(_l("For"), [optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, v) for k, v in ACTIVITY_LABELS.items()]
        self.assignee_id.choices = with_blank([(str(u.id), u.name) for u in people], _l("Me"))
