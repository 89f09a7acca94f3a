"""Security headers on every response, and request hygiene."""
from __future__ import annotations

from flask import Flask, abort, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)


def init_app(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production"

    @app.before_request
    def _no_nul_bytes():
        # A NUL byte is never typed and no database keeps it (PostgreSQL refuses it with an error): an
        # address or a query that carries one is a bad request before it reaches a query.
        if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
            abort(400)

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        # The legacy header can only forbid; a page that allows framing (the embeddable web-to-lead form)
        # says so in its CSP's frame-ancestors, and then gets no X-Frame-Options at all.
        if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # Signed-in pages must not come back from the browser's cache after logout.
        if response.mimetype == "text/html" and request.cookies.get(app.config["SESSION_COOKIE_NAME"]):
            headers.setdefault("Cache-Control", "no-store")
        return response
