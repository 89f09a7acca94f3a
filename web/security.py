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

    # Every response's headers, unless the view set its own: added in one pass (a setdefault each scanned the list).
    always = [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
              ("Referrer-Policy", "same-origin"), ("Cross-Origin-Opener-Policy", "same-origin"),
              ("Permissions-Policy", "camera=(), microphone=(), geolocation=()")]
    if production:
        always.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    always = [(name.lower(), name, value) for name, value in always]
    cookie_name = app.config["SESSION_COOKIE_NAME"]

    @app.after_request
    def _headers(response):
        headers = response.headers
        present = {name.lower() for name in headers.keys()}
        headers.extend([(name, value) for lower, name, value in always if lower not in present])
        # The legacy header can only forbid; a page that allows framing (the embeddable web-to-lead form)
        # says so in its CSP's frame-ancestors, and then gets no X-Frame-Options at all.
        if "x-frame-options" not in present and "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
            headers["X-Frame-Options"] = "DENY"
        # Signed-in pages must not come back from the browser's cache after logout.
        if "cache-control" not in present and response.mimetype == "text/html" and request.cookies.get(cookie_name):
            headers["Cache-Control"] = "no-store"
        return response
