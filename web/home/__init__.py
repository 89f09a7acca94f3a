"""Where people land: the public front page or their workspaces, and each tenant's home page."""
from .routes import bp, root_bp

blueprints = (root_bp, bp)
