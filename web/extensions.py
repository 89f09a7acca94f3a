"""The Flask extensions, created once here and bound to an app in create_app()."""
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def check_limits_in_views_only(app, rate_limiter: Limiter) -> None:
    """Leave the limits to the views that have them, when nothing else is limited.

    Flask-Limiter looks for limits before every request (default, application and blueprint limits); a limit that
    decorates its view checks itself when the view is called. Coordina limits only views (sign-in, the public
    forms, mailings), so that look-up found nothing on every other request, at 3 to 4% of a small page. It is
    dropped only while no default, application or blueprint limit is configured; call after every blueprint is
    registered.
    """
    manager = rate_limiter.limit_manager
    if manager.default_limits or manager.application_limits or manager._blueprint_limits:
        return
    check = rate_limiter._check_request_limit
    app.before_request_funcs[None] = [f for f in app.before_request_funcs.get(None, []) if f != check]
