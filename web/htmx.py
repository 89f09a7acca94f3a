"""One URL, two renderings: the fragment for an htmx swap, the full page otherwise."""
from __future__ import annotations

from flask import Flask, g, make_response, render_template
from markupsafe import escape

from .extensions import htmx


def wants_fragment() -> bool:
    """An htmx swap asks for the fragment; a boosted link or a history restore needs the whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str, /, status: int = 200, also: tuple[str, ...] = (), **ctx):
    """Render `fragment` for htmx swaps and `page` (which includes the fragment) for everything else.

    `also`: other parts of the page that depend on what was just done (a record's history), sent with a
    successful swap out of band so they update with it (each template renders its root with `oob`)."""
    if not wants_fragment():
        body = render_template(page, **ctx)
    else:
        body = render_template(fragment, **ctx)
        if status < 400:
            body += "".join(f"\n<template>{render_template(part, oob=True, **ctx)}</template>"
                            for part in also if part != fragment)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def form_part(fragment: str, page, /, **ctx):
    """A form its page leaves out until asked (macros.add_form): the form alone for htmx, else `page()`, the
    whole page with the form in it, open."""
    return render(fragment, fragment, **ctx) if wants_fragment() else page()


def hx_redirect(url: str, status: int = 303):
    """Redirect a plain form post with 303, an htmx request with HX-Redirect (a full navigation)."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    response = make_response("", status)
    response.headers["Location"] = url
    return response


def announce(message: str) -> None:
    """Say what an in-place action did ("The deliverable is added."): an htmx response carries it into the
    page's aria-live region (read out by screen readers, shown for a few seconds). A full-page post says it
    with flash() instead."""
    g.announcement = str(message)


def confirm(message: str) -> None:
    """Confirm an action the way the request came: in place (announce) for htmx, a flash for a full page."""
    if wants_fragment():
        announce(message)
    else:
        from flask import flash

        flash(str(message), "success")


def _add_announcement(response):
    message = g.pop("announcement", None)
    if message and htmx and response.status_code < 400 and response.mimetype == "text/html" \
            and not response.direct_passthrough:
        # In a <template>: valid beside any fragment, a table row included (htmx swaps what is inside it).
        oob = f'\n<template><div hx-swap-oob="innerHTML:#live">{escape(message)}</div></template>'
        response.set_data(response.get_data() + oob.encode())
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_announcement)
