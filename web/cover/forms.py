"""Saying one is away, and who covers."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation

from tenants.models import STAFF

from ..forms import Day, Form, Ref, Text, max_length, member_choices, optional, required, with_blank


class AwayForm(Form):
    who = Ref(_l("Who is away"), [optional()])
    starts_on = Day(_l("Away from"), [required()])
    ends_on = Day(_l("Back after"), [required()])
    cover = Ref(_l("Who covers"), [optional()])
    note = Text(_l("Note"), [optional(), max_length(300)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = member_choices(STAFF)
        self.who.choices = with_blank(people, _l("Me"))
        self.cover.choices = with_blank(people, _l("Their coordinator"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise StopValidation(_l("The last day away cannot come before the first."))
        if field.data and field.data < date.today():
            raise StopValidation(_l("This period is over already: give dates from today on."))
