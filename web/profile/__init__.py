"""A person's own profile: name, language, timezone, display currency, password and sessions."""
from ..features import Feature
from .routes import bp

feature = Feature("profile", blueprint=bp)
