"""Leads: research, qualify, hand off, convert, credit the coordinator."""
from . import jobs, labels, panels  # noqa: F401  (audit labels, home panels, tick job)
from . import bonuses  # noqa: F401  (listens for signed contracts)
from . import routes_imports, routes_settings  # noqa: F401  (their views join the leads blueprint)
from .routes import bp
from .routes_activities import activities_bp
from .routes_webform import webform_bp

blueprints = (bp, activities_bp, webform_bp)
