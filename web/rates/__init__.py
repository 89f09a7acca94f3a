"""rates."""
from .routes import bp

blueprints = (bp,)
