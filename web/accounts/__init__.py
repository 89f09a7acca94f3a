"""Customer companies (accounts) and their contacts."""
from .routes import bp

blueprints = (bp,)
