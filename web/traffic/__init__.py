"""Digital deliverables: tracked links and impression pixels, the link checker, traffic reports."""
from ..features import Feature
from . import models  # noqa: F401  (the tables exist for every app, before the views come)

feature = Feature("traffic")
