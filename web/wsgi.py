"""The WSGI entry for gunicorn: production unless COORDINA_ENV says otherwise."""
import os

from . import create_app

os.environ.setdefault("COORDINA_ENV", "production")
app = create_app()
