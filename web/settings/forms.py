from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from ..forms import Text, WorkspaceForm, length, required


class SettingsForm(WorkspaceForm):
    name = Text(_l("Company name"), [required(), length(2, 120)])
    fx_use_ecb = BooleanField(_l("European Central Bank reference rates (offline history since 1999)"))
    fx_use_live = BooleanField(_l("Live rate provider over the internet, after the others"))


