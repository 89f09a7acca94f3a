"""Defaults, then the environment, then what create_app() was given; production refuses unsafe settings."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ENVIRONMENTS = ("development", "test", "production")
WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "development", "test", "password", "coordina"}


class ConfigError(RuntimeError):
    """The app was asked to start with settings that are unsafe or impossible."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def normalise_database_url(url: str) -> str:
    # psycopg 3 is the driver we install; plain postgresql:// would ask SQLAlchemy for psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(url: str) -> dict:
    """The app's engine: on PostgreSQL, cursors that describe a result's columns only when asked
    (tenants.pgcursor)."""
    if url.startswith("postgresql+psycopg://"):
        from tenants.pgcursor import Cursor

        return {"connect_args": {"cursor_factory": Cursor}}
    return {}


def is_weak_secret(key: str | None) -> bool:
    return not key or len(key) < 32 or key.lower() in WEAK_SECRETS or len(set(key)) < 12


def _instance_secret(instance: Path) -> str:
    """Development only: a strong key generated once and kept in the instance folder."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def build(instance: Path, overrides: dict | None = None) -> dict:
    """The whole configuration as a dict."""
    overrides = dict(overrides or {})
    env = os.environ
    environment = overrides.pop("ENV", None) or env.get("COORDINA_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"COORDINA_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}")
    production = environment == "production"
    debug = _bool(env.get("COORDINA_DEBUG"), default=False)

    config: dict = {
        "ENV_NAME": environment,
        "DEBUG": debug,
        "TESTING": environment == "test",
        "SECRET_KEY": env.get("SECRET_KEY"),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{instance / 'coordina.sqlite3'}",
        "DATABASE_ADMIN_URL": env.get("DATABASE_ADMIN_URL"),
        "REDIS_URL": env.get("REDIS_URL"),
        "PUBLIC_URL": env.get("PUBLIC_URL") or ("" if production else "http://127.0.0.1:5000"),
        # Hosts this app answers to; any other Host header is a 400 (it must never reach a link in a mail).
        "TRUSTED_HOSTS": [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
        "SMTP_HOST": env.get("SMTP_HOST"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": env.get("SMTP_USERNAME"),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS")),
        "SMTP_SSL": _bool(env.get("SMTP_SSL")),
        # Seconds per SMTP operation: a server that accepts and never answers costs this once per tick.
        "SMTP_TIMEOUT": float(env.get("SMTP_TIMEOUT", "5")),
        # What one tick may spend sending mail; the rest goes out on the next tick.
        "MAIL_TICK_SECONDS": float(env.get("MAIL_TICK_SECONDS", "60")),
        "MAIL_FROM": env.get("MAIL_FROM", "Coordina <no-reply@coordina.localhost>"),
        "FX_LIVE_ENABLED": _bool(env.get("FX_LIVE_ENABLED")),
        "FX_LIVE_TIMEOUT": float(env.get("FX_LIVE_TIMEOUT", "5")),
        "FX_LIVE_URL": env.get("FX_LIVE_URL") or "https://api.frankfurter.app",
        "FX_REFRESH_URL": env.get("FX_REFRESH_URL"),
        # The link checker (coordina tick): per request, landing pages per tick, seconds per tick.
        "LINK_CHECK_TIMEOUT": float(env.get("LINK_CHECK_TIMEOUT", "5")),
        "LINK_CHECK_BATCH": int(env.get("LINK_CHECK_BATCH", "40")),
        # List rows kept rendered per process (web/row_cache.py): 0.5 to 3 KB each.
        "ROW_CACHE_SIZE": int(env.get("ROW_CACHE_SIZE", "10000")),
        "LINK_CHECK_BUDGET": float(env.get("LINK_CHECK_BUDGET", "60")),
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        "UPLOAD_MAX_BYTES": int(env.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))),
        "FAST_PASSWORD_HASHING": False,
        # Failed password checks per account (login, sign-up, invitation, reset: one budget), per address,
        # and answers to "does this exist" per address.
        "GUARD_LIMIT_ACCOUNT": "5 per minute;20 per hour",
        "GUARD_LIMIT_IP": "30 per minute;200 per hour",
        "GUARD_LIMIT_LOOKUP": "60 per minute;600 per hour",
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
    }
    config.update(overrides)

    if not config["SECRET_KEY"]:
        if production:
            raise ConfigError("SECRET_KEY is not set; production needs a strong random key (48+ characters)")
        config["SECRET_KEY"] = _instance_secret(instance)
    if production:
        if not config["PUBLIC_URL"].startswith(("https://", "http://")):
            raise ConfigError("PUBLIC_URL is not set; production builds every link in mail from it (https://...)")
        # Without a list of its own, production answers only to the host of its public address.
        config["TRUSTED_HOSTS"] = config["TRUSTED_HOSTS"] or [urlsplit(config["PUBLIC_URL"]).hostname]
        if config["DEBUG"]:
            raise ConfigError("DEBUG is on; production refuses to start with the debugger enabled")
        if is_weak_secret(config["SECRET_KEY"]):
            raise ConfigError("SECRET_KEY is weak; use at least 32 random characters (python -c "
                              "'import secrets; print(secrets.token_urlsafe(48))')")

    config["DATABASE_URL"] = normalise_database_url(config["DATABASE_URL"])
    if config["DATABASE_ADMIN_URL"]:
        config["DATABASE_ADMIN_URL"] = normalise_database_url(config["DATABASE_ADMIN_URL"])
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    # Connections are checked on checkout by tenants.db.check_connections (no round trip while in use).
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["DATABASE_URL"])
    config["SESSION_COOKIE_NAME"] = "coordina_session"
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_SECURE"] = production
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=14)
    # Uploads are checked for size in their forms (a 422 that keeps the input); this is the hard stop.
    config["MAX_CONTENT_LENGTH"] = config["UPLOAD_MAX_BYTES"] * 2 + 1024 * 1024
    config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"] or "memory://"
    config["RATELIMIT_HEADERS_ENABLED"] = True
    config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session it belongs to
    config["BABEL_DEFAULT_LOCALE"] = "en"
    config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    return config
