"""Absolute links that leave the app (mail, calendar feeds, the web form's embed snippet): always on the
configured PUBLIC_URL, never on the Host a request happened to carry (a forged Host must not reach a mail)."""
from __future__ import annotations

from flask import current_app


def public_url_for(endpoint: str, **values) -> str:
    """Like url_for(..., _external=True), but rooted at PUBLIC_URL whatever the request says."""
    values = dict(values)
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    url = current_app.config["PUBLIC_URL"].rstrip("/") + path
    return f"{url}#{anchor}" if anchor else url
