"""Customer companies (accounts) and their contacts."""
blueprints = ()
