"""Scheduled rate work for `coordina tick`."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from tenants.db import db, utcnow

from . import service
from .models import EcbLoad


def refresh(app: Flask) -> dict:
    """Once a day, when FX_REFRESH_URL is set: load the newest ECB file (never hangs: it has a timeout)."""
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
