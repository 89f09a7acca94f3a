"""After the sale: cases (complaints, questions, problems), their SLA in business hours and their thread."""
from ..features import Feature
from . import models  # noqa: F401  (the tables exist for every app, before the views come)

feature = Feature("cases")
