"""Contracts, deliverables, billing, renewals and calendar feeds."""
from . import jobs  # noqa: F401  (registers the tick jobs)
from .overview import billing_bp, deliverables_bp, feeds_bp, renewals_bp
from .routes import bp

blueprints = (bp, deliverables_bp, billing_bp, renewals_bp, feeds_bp)
