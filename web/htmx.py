"""One URL, two renderings: the fragment for an htmx swap, the full page otherwise."""
from __future__ import annotations

from flask import make_response, render_template

from .extensions import htmx


def wants_fragment() -> bool:
    """An htmx swap asks for the fragment; a boosted link or a history restore needs the whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str, /, status: int = 200, **ctx):
    """Render `fragment` for htmx swaps and `page` (which includes the fragment) for everything else."""
    response = make_response(render_template(fragment if wants_fragment() else page, **ctx), status)
    response.vary.add("HX-Request")
    return response


def hx_redirect(url: str, status: int = 303):
    """Redirect a plain form post with 303, an htmx request with HX-Redirect (a full navigation)."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    response = make_response("", status)
    response.headers["Location"] = url
    return response
