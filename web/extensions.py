"""The Flask extensions, created once here and bound to an app in create_app()."""
from functools import partial

from flask.globals import _cv_request
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
# Where Flask-Limiter keeps a request's state, on the request's context, once a limit is checked.
_LIMITER_STATE = "_limiter_request_context"


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
    _after_limits_only(app, rate_limiter)


def _after_limits_only(app, rate_limiter: Limiter) -> None:
    """Flask-Limiter's after-request hook (its headers, a deduction when a response says so) and its teardown run
    only for a request that met a limit. On every other request each made the limiter's per-request state only to
    find it empty (1.5% of a small page). A limit checked in a view makes that state, so the hooks see it as before.
    Left as they are if this Flask-Limiter's hooks are not where this version keeps them."""
    inject = next((f for f in app.after_request_funcs.get(None, [])
                   if isinstance(f, partial) and f.args and f.args[0] is rate_limiter), None)
    release = getattr(rate_limiter, "_Limiter__release_context", None)
    teardowns = app.teardown_request_funcs.get(None, [])
    if inject is None or release is None or release not in teardowns:
        return

    def met_a_limit() -> bool:
        ctx = _cv_request.get(None)
        return ctx is not None and hasattr(ctx, _LIMITER_STATE)

    def limit_headers(response):
        return inject(response) if met_a_limit() else response

    def release_limits(exc=None):
        if met_a_limit():
            release(exc)

    app.after_request_funcs[None] = [limit_headers if f is inject else f for f in app.after_request_funcs[None]]
    app.teardown_request_funcs[None] = [release_limits if f == release else f for f in teardowns]
