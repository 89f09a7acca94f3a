"""The team: invitations, members and their roles."""
from .routes import bp, invitations_bp

blueprints = (bp, invitations_bp)
