"""Where people land: the public front page or their workspaces, and each tenant's home page, which opens
with a new workspace's first steps (each feature declares its own: hook "first_step", see firstrun.py)."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from .routes import bp, first_steps_panel

feature = Feature("home", blueprint=bp, panels={"home": [(0, first_steps_panel)]},
                  audit_labels={"home.first_steps_hidden": _l("First steps hidden")})
