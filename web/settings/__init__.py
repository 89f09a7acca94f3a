"""The tenant's own settings, for its admins."""
from .routes import bp

blueprints = (bp,)
