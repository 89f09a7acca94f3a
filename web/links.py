"""Absolute links that leave the app (mail, calendar feeds, the web form's embed snippet): always on the
configured PUBLIC_URL, never on the Host a request happened to carry (a forged Host must not reach a mail)."""
from __future__ import annotations

from flask import current_app, request
from flask import url_for as flask_url_for
from flask.globals import _cv_app
from werkzeug.routing import BuildError


def public_url_for(endpoint: str, **values) -> str:
    """Like url_for(..., _external=True), but rooted at PUBLIC_URL whatever the request says."""
    values = dict(values)
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    url = current_app.config["PUBLIC_URL"].rstrip("/") + path
    return f"{url}#{anchor}" if anchor else url


# Ids stand in as these sentinels while a URL's shape is built once; each must come out exactly once.
_SENTINEL = 987_654_320


def _url_shape(endpoint: str, names: tuple[str, ...]) -> tuple[str, ...] | None:
    """The URL of endpoint with integer values for names, cut around each value: ("/t/acme/contracts/", "")."""
    sentinels = {name: _SENTINEL + i for i, name in enumerate(names)}
    try:
        url = flask_url_for(endpoint, **sentinels)
    except (BuildError, ValueError):  # a converter with bounds the sentinels miss: built the long way each time
        return None
    parts, rest = [], url
    for name in names:
        marker = str(sentinels[name])
        if rest.count(marker) != 1 or url.count(marker) != 1:
            return None
        head, rest = rest.split(marker)
        parts.append(head)
    parts.append(rest)
    return tuple(parts)


# Built URLs kept for the process, by where they are built (script root, workspace) and what names them; a
# process that has kept this many starts over rather than grow (a pager link carries what was typed).
_MOST_KEPT = 4096


def fast_url_for(endpoint: str, **values) -> str:
    """url_for for templates, each URL built once for the process: a row's link (integer values) is put together
    from its URL's shape, kept per endpoint and names, and any other link is kept whole.

    A URL built in a request depends only on the URL map (fixed once serving), the script root, the workspace
    (tenants.resolve fills its slug in) and the values; each of those is in the key. Values that ask for more
    (_external's host, _scheme) are built the long way each time, as are relative endpoints (".show": the
    request's blueprint)."""
    if endpoint[:1] == ".":
        return flask_url_for(endpoint, **values)
    app_ctx = _cv_app.get()
    app = app_ctx.app
    if endpoint == "static" and app.config["ENV_NAME"] == "production":
        # A deployed file's address (its content hash in it) holds until the next deploy restarts the process.
        statics = app.extensions.setdefault("static_urls", {})
        key = (request.script_root, *sorted(values.items()))
        found = statics.get(key)
        if found is None:
            found = statics[key] = flask_url_for(endpoint, **values)
        return found
    kept = app.extensions.get("coordina_urls")
    if kept is None or len(kept) > _MOST_KEPT:
        kept = app.extensions["coordina_urls"] = {}
    tenant = app_ctx.g.__dict__.get("tenant")  # g without its proxy: this runs per cell
    where = (request.script_root, tenant.slug if tenant is not None else None, endpoint)
    if values and all(type(v) is int and v >= 0 for v in values.values()):
        names = tuple(values)
        shape = kept.get((where, names), False)
        if shape is False:
            shape = kept[(where, names)] = _url_shape(endpoint, names)
        if shape is not None:
            out = shape[0]
            for i, name in enumerate(names):
                out += str(values[name]) + shape[i + 1]
            return out
        return flask_url_for(endpoint, **values)
    if any(name[:1] == "_" for name in values):
        return flask_url_for(endpoint, **values)
    try:
        key = (where, *sorted(values.items()))
        found = kept.get(key)
    except TypeError:  # an unhashable value: nothing to share
        return flask_url_for(endpoint, **values)
    if found is None:
        found = kept[key] = flask_url_for(endpoint, **values)
    return found
