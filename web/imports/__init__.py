"""CSV imports of leads: Salesforce, HubSpot and Pipedrive exports map themselves, anything else is mapped by
a person; a progress bar while it runs; refused rows and possible duplicates to settle afterwards."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..leads.service import TEES_UP
from .routes import bp
from .values import problem_text

feature = Feature("imports", blueprint=bp, globals={"import_problem": problem_text},
                  tabs={"leads": [(30, "imports.index", _l("Import"), TEES_UP)]},
                  audit_labels={"leads.imported": _l("Leads imported")},
                  field_labels={"file": _l("file"), "created": _l("created"), "refused": _l("refused"),
                                "duplicates": _l("possible duplicates")})
