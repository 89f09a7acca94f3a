"""The application factory: the one place that wires Coordina together."""
from __future__ import annotations

import importlib
import os
from datetime import datetime
from pathlib import Path

from flask import Flask, g, request, session
import flask_babel
from babel.dates import format_date as babel_format_date
from babel.numbers import get_currency_name
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from i18n.catalogs import TRANSLATIONS, compile_catalogs
from i18n.fx import format_rate
from i18n.locales import country_choices, country_name, language_choices, language_name, select_locale, text_direction
from i18n.money import Money, format_money
from tenants import passwords, resolve
from tenants.auth import current_user
from tenants.db import db
from tenants.members import memberships_of

from . import config as config_module
from . import errors, security
from . import extensions
from .navigation import nav_context

ROOT = Path(__file__).resolve().parent.parent
# How the fields named in audit details read in the history of a record.
FIELD_LABELS = {
    "title": _l("title"), "value": _l("value"), "status": _l("status"), "signed_on": _l("signed on"),
    "starts_on": _l("starts"), "ends_on": _l("ends"), "notice_days": _l("notice period"), "auto_renew": _l("auto-renewal"),
    "owner_id": _l("sales rep"), "coordinator_id": _l("coordinator"), "account_id": _l("account"), "notes": _l("notes"),
    "details": _l("details"), "details_text": _l("deliverable"), "due_on": _l("due"), "responsible_id": _l("responsible"),
    "department": _l("department"), "value_share": _l("value share"), "proof_url": _l("proof"), "proof_file": _l("proof file"),
    "kind_id": _l("kind"), "amount": _l("amount"), "invoice_ref": _l("invoice"), "number": _l("number"),
    "base": _l("base value"), "rate": _l("rate"), "rate_date": _l("rate date"), "source": _l("source"),
    "renewal": _l("renewal"), "by": _l("by"), "document": _l("document"), "to": _l("to"),
    "days_before_deadline": _l("days before the deadline"), "notice_deadline": _l("notice deadline"),
}
FX_SOURCE_LABELS = {
    "ecb": _l("ECB"),
    "corporate": _l("corporate rate"),
    "live": _l("live provider"),
    "identity": _l("same currency"),
}


def create_app(config: dict | None = None) -> Flask:
    """Build a Coordina app; `config` overrides the environment (tests pass their database here)."""
    instance = Path(os.environ.get("COORDINA_INSTANCE", ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config_module.build(instance, config))
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=1, x_host=1)
    if app.config["FAST_PASSWORD_HASHING"]:
        passwords.use_fast_hashing()

    compile_catalogs()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)

    db.init_app(app)
    extensions.migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    extensions.babel.init_app(app, locale_selector=_locale, timezone_selector=_timezone)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.htmx.init_app(app)
    resolve.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    _templates(app)
    _blueprints(app)
    return app


def _locale() -> str:
    user = current_user()
    tenant = g.get("tenant")
    return select_locale(
        user_choice=user.locale if user else None,
        session_choice=session.get("locale"),
        tenant_default=tenant.default_locale if tenant else None,
        accept_languages=request.accept_languages,
    )


def _timezone() -> str:
    user = current_user()
    if user and user.timezone:
        return user.timezone
    tenant = g.get("tenant")
    return tenant.timezone if tenant else "UTC"


def _templates(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["get_locale"] = get_locale

    @app.template_filter("money")
    def _money(value: Money | None) -> str:
        return "" if value is None else format_money(value, get_locale())

    app.context_processor(nav_context)

    @app.template_filter("dateformat")
    def _dateformat(value, format="medium"):
        """Flask-Babel's filter, minus its timezone work for plain dates (a date has no timezone)."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            return flask_babel.format_date(value, format)
        return babel_format_date(value, format, locale=get_locale())

    @app.template_filter("money_in")
    def _money_in(amount, currency: str) -> str:
        return "" if amount is None else format_money(Money(amount, currency), get_locale())

    @app.template_filter("field_label")
    def _field_label(name: str) -> str:
        return str(FIELD_LABELS.get(name, name.replace("_", " ")))

    @app.template_filter("rate")
    def _rate(value) -> str:
        return "" if value is None else format_rate(value, get_locale())

    @app.template_filter("currency_name")
    def _currency_name(code: str) -> str:
        return get_currency_name(code, locale=get_locale())

    @app.template_filter("country_name")
    def _country_name(code: str | None) -> str:
        return country_name(code, str(get_locale()))

    @app.template_filter("language_name")
    def _language_name(code: str | None) -> str:
        return language_name(code, str(get_locale()))

    app.jinja_env.globals["country_options"] = lambda: country_choices(str(get_locale()))

    @app.template_filter("fx_source")
    def _fx_source(value: str) -> str:
        return " + ".join(str(FX_SOURCE_LABELS.get(part, part)) for part in (value or "").split("+"))

    @app.context_processor
    def _layout_context():
        user = current_user()
        locale = str(get_locale())
        return {
            "current_user": user,
            "tenant": g.get("tenant"),
            "membership": g.get("membership"),
            "my_memberships": (lambda: memberships_of(user.id)) if user else (lambda: []),
            "languages": language_choices(),
            "html_lang": locale.replace("_", "-"),
            "html_dir": text_direction(locale),
        }


# Each feature package exports `blueprints`; the order only matters for the URL map's readability.
FEATURES = ("home", "auth", "signup", "account", "team", "audit", "rates", "settings", "accounts", "contracts",
            "leads")


def _blueprints(app: Flask) -> None:
    for name in FEATURES:
        module = importlib.import_module(f"{__name__}.{name}")
        for blueprint in module.blueprints:
            app.register_blueprint(blueprint)
