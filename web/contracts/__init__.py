"""Contracts, deliverables, billing, renewals and calendar feeds."""
blueprints = ()
