"""Sign in and out, and reset a forgotten password."""
from .routes import bp

blueprints = (bp,)
