"""The import upload form."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms.validators import StopValidation

from ..forms import Form, Ref, optional, with_blank


class ImportForm(Form):
    file = FileField(_l("CSV file"))
    owner_id = Ref(_l("Owner of the new leads"), [optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = with_blank([(str(u.id), u.name) for u in people], _l("Nobody yet"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise StopValidation(_l("Choose a CSV file."))
