"""The tenant's audit trail, for admins."""
from .routes import bp

blueprints = (bp,)
