"""The qualifying questionnaire: each tenant's questions in every shipped language with their scoring, and
the answers recorded on a lead, which give its score and suggest when it is qualified."""
from flask_babel import lazy_gettext as _l

from i18n.locales import SUPPORTED_LOCALES

from ..features import Feature
from ..history import as_number, labelled
from . import demo
from .models import KIND_LABELS
from .routes import bp, first_step, lead_panel, lead_summary

feature = Feature(
    "questionnaire", blueprint=bp, demo=demo.seed,
    globals={"shipped_locales": lambda: SUPPORTED_LOCALES},
    panels={"lead": [(10, lead_panel)]},
    hooks={"lead_summary": lead_summary, "first_step": first_step},
    tabs={"leads": [(40, "questionnaire.index", _l("Questionnaire"), None)]},
    audit_labels={"lead.answers_recorded": _l("Qualifying answers recorded"),
                  "leads.questionnaire_changed": _l("Questionnaire changed")},
    field_labels={"answers": _l("answers"), "score": _l("score"), "qualify_threshold": _l("qualifying score"),
                  "points": _l("points"), "added": _l("added"), "archived": _l("archived"), "deleted": _l("deleted"),
                  "restored": _l("restored"), "points_yes": _l("points for yes"), "points_no": _l("points for no"),
                  "threshold": _l("threshold"), "points_threshold": _l("points at the threshold"),
                  "points_answered": _l("points for any answer"), "leads:kind": _l("type of answer"),
                  "option_added": _l("option added")},
    field_values={"leads:kind": labelled(KIND_LABELS), "threshold": as_number, "score": as_number},
)
