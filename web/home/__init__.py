"""Where people land: the public front page or their workspaces, and each tenant's home page."""
from ..features import Feature
from .routes import bp

feature = Feature("home", blueprint=bp)
