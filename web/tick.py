"""`coordina tick`: every feature's scheduled work, each job safe to run again and on several machines.

Jobs are independent: one that fails is logged and reported, and the others still run.
"""
from __future__ import annotations

import logging

from flask import Flask

from tenants.db import db, refresh_statistics

from .features import Registry

log = logging.getLogger(__name__)


def run(app: Flask) -> dict[str, dict]:
    """Run every installed feature's jobs once, each in its own request context (mail needs absolute links)."""
    registry: Registry = app.extensions["coordina"]
    results = {}
    for _order, name, job in registry.jobs:
        with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
            try:
                results[name] = job(app)
            except Exception as exc:  # one job's failure must not stop the others (or the outbox)
                log.exception("tick job %s failed", name)
                db.session.rollback()
                results[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    with app.app_context():
        with db.engine.connect() as connection:
            results["statistics"] = {"refreshed": int(refresh_statistics(connection))}
            connection.commit()
    return results
