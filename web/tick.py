"""`coordina tick`: every piece of scheduled work, each safe to run again and on several machines."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask

# Each job takes the app and returns a summary; features add theirs in register().
JOBS: list[tuple[str, Callable[[Flask], dict]]] = []


def job(name: str):
    def register(fn):
        JOBS.append((name, fn))
        return fn

    return register


def run(app: Flask) -> dict[str, dict]:
    """Run every job once, each in its own request context (emails need absolute links)."""
    results = {}
    for name, fn in JOBS:
        with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
            results[name] = fn(app)
    return results


@job("outbox")
def _deliver_outbox(app: Flask) -> dict:
    from .mail import deliver_due

    return deliver_due()


@job("rates")
def _refresh_rates(app: Flask) -> dict:
    """Once a day, when FX_REFRESH_URL is set: load the newest ECB file (never hangs: it has a timeout)."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from tenants.db import db, utcnow

    from .rates import service
    from .rates.models import EcbLoad

    url = app.config.get("FX_REFRESH_URL")
    if not url:
        return {"skipped": 1}
    last = db.session.scalar(select(func.max(EcbLoad.loaded_at)))
    if last is not None and utcnow() - last < timedelta(hours=20):
        return {"fresh": 1}
    try:
        load = service.load_ecb(service.fetch_url(url, app.config["FX_LIVE_TIMEOUT"]), f"url: {url}")
    except service.LoadError as exc:
        app.logger.warning("rate refresh failed: %s", exc)
        return {"failed": 1}
    return {"added": load.added}
