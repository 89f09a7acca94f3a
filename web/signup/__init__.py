"""A company signs up and gets its own tenant."""
from .routes import bp

blueprints = (bp,)
