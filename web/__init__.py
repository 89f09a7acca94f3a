"""The application factory: the one place that wires Coordina together."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from i18n.catalogs import TRANSLATIONS, compile_catalogs
from tenants import passwords, resolve
from tenants.db import MAX_ID, check_connections, db
from tenants.pgcursor import keep_prepared_statements

from . import config as config_module
from . import delivery, errors, extensions, features, htmx, row_cache, security, templating, translated_templates

ROOT = Path(__file__).resolve().parent.parent


class RecordId(IntegerConverter):
    """`<int:...>` in every URL: an id larger than a record id can be is one no record has (0), so the view's
    own lookup answers 404, never a database error. (A converter that refused it would make werkzeug answer
    405 when a POST rule shares the path.)"""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


class App(Flask):
    """Flask, asking once per function whether it is a coroutine: Flask asked again for each of a request's nineteen
    hooks and its view (inspect's look at the code's flags), every request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync: dict = {}

    def ensure_sync(self, func):
        try:
            return self._sync[func]
        except KeyError:
            if len(self._sync) >= 4096:  # after_this_request's closures are new each request: never a leak
                self._sync.clear()
            found = self._sync[func] = super().ensure_sync(func)
            return found
        except TypeError:  # a function that cannot be a key
            return super().ensure_sync(func)


def create_app(config: dict | None = None) -> Flask:
    """Build a Coordina app; `config` overrides the environment (tests pass their database here)."""
    instance = Path(os.environ.get("COORDINA_INSTANCE", ROOT / "instance"))
    app = App(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    # Templates compiled per language (before anything makes the environment: Flask makes it on first use).
    app.jinja_environment = translated_templates.Environment
    app.url_map.converters["int"] = RecordId
    app.config.from_mapping(config_module.build(instance, config))
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=1, x_host=1)
    if app.config["FAST_PASSWORD_HASHING"]:
        passwords.use_fast_hashing()

    compile_catalogs()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            check_connections(engine)
            keep_prepared_statements(engine)
    extensions.migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    extensions.babel.init_app(app, locale_selector=templating.select_request_locale,
                              timezone_selector=templating.select_request_timezone)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.htmx.init_app(app)
    delivery.init_compression(app)
    resolve.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    row_cache.init_app(app)
    htmx.init_app(app)
    delivery.init_app(app)
    features.install(app)
    extensions.check_limits_in_views_only(app, extensions.limiter)
    return app
