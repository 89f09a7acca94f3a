"""A list's rows rendered once for what they show, then reused (issue 15).

A row of a list is a function of its data and of the reader's language, timezone, workspace and day: the same
contract shown to the same kind of reader gives the same HTML. `rows()` renders each row's template once for
that whole key and keeps the HTML, so a list seen again (the next keystroke of a search, a filter and back, the
same list for a colleague who reads the same language) costs a dictionary look-up per row instead of a template's
forty formatted cells. Nothing has to be invalidated: the key is the row's data itself (every column the row
shows, read by the list's query), so a renamed account or a changed amount is another key, and the old HTML is
never looked up again; the least recently used rows leave when the cache is full.

Only what a row shows may decide its HTML: a row that holds something of one person's (a form's state) is not
kept. A form's CSRF token is the one exception, put in per response (CSRF_PLACEHOLDER).
"""
from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, NamedTuple

import flask_babel
from flask import Flask, current_app, g, render_template, request
from jinja2 import Environment, pass_environment
from markupsafe import Markup

from .locale_context import locale_name
from .templating import csrf_token


class Named(NamedTuple):
    """A related record as a plain row shows it: its name (a person, an account, a file)."""

    name: str


def named(name: str | None) -> Named | None:
    """The related record a plain row names, or None where the row names none (a join found nothing)."""
    return None if name is None else Named(name)


class RowCache:
    def __init__(self, size: int):
        self.size = size
        self.rows: OrderedDict[Hashable, Any] = OrderedDict()  # a row's HTML, or a kept part (kept())
        self.hits = self.misses = 0
        self.readers: dict[tuple, int] = {}
        self._numbers = itertools.count()

    def reader_number(self, reader: tuple) -> int:
        """A number for what a row's HTML depends on besides its data (_reader_key), the same for equal readers: each
        row's key holds it instead of the tuple, which a look-up would hash again for every row."""
        number = self.readers.get(reader)
        if number is None:
            if len(self.readers) > self.size:  # more readers than rows kept: most have none left
                self.readers.clear()
            # Never a number given before (a count, not the dict's size): a row kept under a forgotten reader's
            # number can never be read as another reader's; it leaves the cache as the least recently used.
            number = self.readers[reader] = next(self._numbers)
        return number

    def get(self, key) -> Markup | None:
        html = self.rows.get(key)
        if html is not None:
            self.hits += 1
            try:
                self.rows.move_to_end(key)
            except KeyError:  # another thread let it go meanwhile: the HTML in hand is still right
                pass
        return html

    def put(self, key, html: Markup) -> None:
        self.misses += 1
        self.rows[key] = html
        while len(self.rows) > self.size:
            try:
                self.rows.popitem(last=False)
            except KeyError:
                break


def _reader_key(name: str, shared: dict) -> tuple:
    """What besides its data a row's HTML depends on: the template, the reader's language and timezone (words,
    numbers, dates), the workspace (its links), where the app is mounted, and what the list passes every row."""
    tenant = g.get("tenant")
    return (name, locale_name(), str(flask_babel.get_timezone()), tenant.slug if tenant is not None else None,
            request.script_root, tuple(sorted((arg, _frozen(value)) for arg, value in shared.items())))


def _frozen(value):
    """A list's argument as part of a key: a dict (the list's filters) as its sorted items."""
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


# What a kept row holds where the request's CSRF token goes: the token is the reader's session's, so each response
# puts its own in (tokens are URL-safe text: nothing in them is escaped differently in HTML).
CSRF_PLACEHOLDER = "coordina-row-csrf-0000"


@pass_environment
def rows(environment: Environment, name: str, items: Iterable, *, key: Callable[[Any], Hashable] | None = None,
         as_: str = "row", **shared) -> Markup:
    """Each item rendered by template `name` (the item as `as_`, with `shared`), kept under its data.

    The row's template sees the item, `shared` and the app's globals, nothing else of the page.
    `key(item)` (else the item's own `row_key()`) must return everything the row shows of the item (its columns and
    its related rows' names); an item that is a tuple of all the row shows (a NamedTuple of the list's columns) is its
    own key.
    A form in the row may carry `csrf_token()`: each response gets its own token in its place.
    """
    cache: RowCache = current_app.extensions["row_cache"]
    reader = cache.reader_number(_reader_key(name, shared))
    out, template = [], None
    for item in items:
        if key is not None:
            data = key(item)
        elif isinstance(item, tuple):
            data = item
        elif hasattr(item, "row_key"):
            data = item.row_key()
        else:
            raise TypeError(f"{name}: a kept row needs a key: a tuple of what it shows, or a row_key() that returns one")
        html = cache.get((reader, data))
        if html is None:
            if template is None:
                template = environment.get_template(name)
            # Only what the key holds: the item, what the list passed and the app's globals; never the page's other
            # variables, which the key would not know of.
            html = Markup(template.render({**shared, as_: item, "csrf_token": _placeholder}))
            cache.put((reader, data), html)
        out.append(html)
    joined = Markup("".join(out))  # each is Markup already: no escape() call per row
    if CSRF_PLACEHOLDER in joined:
        joined = Markup(joined.replace(CSRF_PLACEHOLDER, csrf_token()))
    return joined


def _placeholder() -> str:
    return CSRF_PLACEHOLDER


def kept(name: str, key: tuple, make: Callable[[], Any]):
    """make()'s value, made once and kept beside the rows under the reader (language, timezone, workspace, mount
    point, as a row's) and `name` and `key`, which must hold everything else the value depends on. Least recently
    used out first."""
    cache: RowCache = current_app.extensions["row_cache"]
    full = (cache.reader_number(_reader_key(name, {})), "part", key)
    found = cache.get(full)
    if found is None:
        found = make()
        cache.put(full, found)
    return found


def kept_part(name: str, key: tuple, make: Callable[[], dict] | None = None, **ctx) -> Markup:
    """Template `name` rendered once with `ctx` (or what `make()` returns, worked out only when it is rendered), then
    kept (kept()) under the reader and `key`, which must hold everything else the part shows: the values in the
    context or what decides them (a filter bar: the filters chosen and the people it offers). No CSRF token may be
    in it."""
    def render() -> Markup:
        html = Markup(render_template(name, **(make() if make is not None else ctx)))
        if CSRF_PLACEHOLDER in html or csrf_token() in html:
            raise ValueError(f"{name}: a kept part cannot hold a form's CSRF token")
        return html

    return kept(name, key, render)


def init_app(app: Flask) -> None:
    app.extensions["row_cache"] = RowCache(app.config["ROW_CACHE_SIZE"])
    app.jinja_env.globals["cached_rows"] = rows
