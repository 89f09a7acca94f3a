"""Error pages in the reader's language; nothing a user does should ever reach a bare 500."""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from tenants.db import db
from tenants.pager import InvalidCursor

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your role does not give access to this page. Ask an admin of this workspace.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Edited by someone else"), _l("Someone changed this while you were working on it. Reload to see their changes.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Please check the form"), _l("Some of what you entered could not be accepted.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An error on our side stopped this page. It has been logged; try again in a moment.")),
}
CSRF_MESSAGE = _l("Your session expired or the form was already sent. Reload the page and try again.")


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    return render_template("errors/error.html", code=code, title=title, message=message or default), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if isinstance(exc, SecurityError):
            # A Host this app does not answer to: no page is built for it, not even a link.
            return app.response_class("Bad request: this host is not served here.", 400, mimetype="text/plain")
        code = exc.code or 500
        message = None
        if code == 400 and type(exc).__name__ == "CSRFError":
            message = str(CSRF_MESSAGE)
        body, status = render_error(code, message)
        response = app.make_response((body, status))
        # Keep the headers the exception carries: Retry-After on 429, Allow on 405.
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(InvalidCursor)
    def _cursor(exc: InvalidCursor):
        return render_error(400, str(_l("This page address is not one of ours. Go back to the list and page "
                                        "from there.")))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        propagate = app.config.get("PROPAGATE_EXCEPTIONS")
        if propagate or (propagate is None and (app.testing or app.debug)):
            raise exc
        log.exception("unhandled error", exc_info=exc)
        db.session.rollback()
        return render_error(InternalServerError.code)
