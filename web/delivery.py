"""How responses travel: compressed when large, static files fingerprinted and cached for a year, the session
cookie sent again only when it needs to be.

- A text response above 1 KB is gzipped for a browser that accepts it (a contract list is 25-50 KB of HTML,
  4-8 KB gzipped); level 2: zlib's fast strategy (levels 1-3) takes half of level 5's CPU (225 against 440 us for
  the 160 KB deliverables list) for a tenth more bytes (10.5 KB against 9.6). The compressor is zlib-ng's (the same
  gzip, made with its vectorised deflate): half of zlib's CPU again at level 2 (167 against 335 us for the 72 KB
  renewals page), and a few bytes smaller. Compressing was a fifth of the deliverables list's cost.
- `url_for('static', filename=...)` carries `v=<content hash>`: the file is then cached for a year (it is
  immutable under that name) and a new deploy changes the name. Without `v`, no long cache.
- The session cookie lives 14 days from its last refresh; refreshing it on every response re-sends it on every
  request's answer. It is refreshed at most once a day instead. Its signer is made once per secret key, not twice a
  request.
"""
from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from zlib_ng import gzip_ng

COMPRESSIBLE = frozenset({"text/html", "text/css", "text/csv", "text/plain", "text/calendar", "application/json",
                          "application/javascript", "text/javascript", "image/svg+xml"})
MIN_SIZE = 1024
YEAR = 365 * 24 * 3600
REFRESH_EVERY = 24 * 3600


def _compress(response):
    if (response.status_code < 200 or response.status_code in (204, 304) or response.direct_passthrough
            or response.is_streamed
            or response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers
            or "gzip" not in request.headers.get("Accept-Encoding", "")):
        return response
    data = response.get_data()
    response.vary.add("Accept-Encoding")
    if len(data) < MIN_SIZE:
        return response
    response.set_data(gzip_ng.compress(data, compresslevel=2, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    if response.headers.get("ETag"):
        response.set_etag(response.headers["ETag"].strip('"') + "-gz")
    return response


@lru_cache(maxsize=256)
def _fingerprint(folder: str, filename: str, mtime_ns: int) -> str:
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]


def fingerprint(app: Flask, filename: str) -> str | None:
    path = Path(app.static_folder) / filename
    try:
        stat = path.stat()
    except OSError:
        return None
    return _fingerprint(app.static_folder, filename, stat.st_mtime_ns)


# A cookie holding only these is read once and kept (its words cannot be changed in place by whoever uses them).
_PLAIN = (str, int, float, bool, type(None))
KEPT_COOKIES = 4096


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, its signer kept while the secret keys stay the same: Flask made a new one to
    read the cookie and another to write it, on every request.

    A cookie is read (its signature checked, its JSON and tags decoded: a tenth of a small page's kernel) once per
    process: a browser sends the same one on every request until it changes. What it said and when it was signed are
    kept by its exact text, for these keys; its age is checked on every request as before, and each request gets a
    session of its own (a copy). Only cookies of plain values are kept (a list, such as queued flash messages, could
    be changed in place)."""

    _signer: tuple | None = None
    _read: dict[str, tuple[dict, float, object]] = {}

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._signer
        if kept is None or kept[0] != keys:
            kept = self._signer = (keys, super().get_signing_serializer(app))
        return kept[1]

    def open_session(self, app: Flask, request):
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app)) if serializer is not None else None
        if not value:
            return super().open_session(app, request)
        max_age = app.permanent_session_lifetime.total_seconds()
        read = self._read
        found = read.get(value)
        if found is None or found[2] is not serializer:
            try:
                data, signed = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
            except BadSignature:
                return self.session_class()
            found = (data, signed.timestamp(), serializer)
            if isinstance(data, dict) and all(isinstance(v, _PLAIN) for v in data.values()):
                if len(read) >= KEPT_COOKIES:
                    read.clear()
                read[value] = found
        elif time.time() - found[1] > max_age:
            return self.session_class()  # expired since it was kept: as itsdangerous would refuse it
        return self.session_class(found[0])


def init_app(app: Flask) -> None:
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.session_interface = SessionInterface()

    @app.url_defaults
    def _static_fingerprint(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = fingerprint(app, values["filename"])
            if version:
                values["v"] = version

    original_max_age = app.get_send_file_max_age

    def send_file_max_age(filename):
        if request.endpoint == "static" and request.args.get("v"):
            return YEAR
        return original_max_age(filename)

    app.get_send_file_max_age = send_file_max_age

    @app.after_request
    def _static_immutable(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.immutable = True
        return response

    @app.after_request
    def _refresh_session_daily(response):
        # Only a signed-in (permanent) session is refreshed, and only when a day has passed.
        if session.get("_fresh_at") is not None or session.permanent:
            now = int(time.time())
            if now - int(session.get("_fresh_at") or 0) > REFRESH_EVERY:
                session["_fresh_at"] = now
        return response


def init_compression(app: Flask) -> None:
    """Register first: Flask runs after_request functions last-registered first, so this one runs last, on the
    response every other one has finished (the announcement appended to an htmx answer included)."""
    app.after_request(_compress)
