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
