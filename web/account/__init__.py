"""A person's own settings: name, language, timezone, display currency, password and sessions."""
from .routes import bp

blueprints = (bp,)
