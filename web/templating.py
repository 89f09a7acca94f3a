"""What every template may use: amounts, dates, rates, names of countries, languages and currencies, all
in the reader's locale, and the layout's own context. Feature-specific filters come with their Feature."""
from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone
from functools import cache, lru_cache
from pathlib import Path
from types import FunctionType, MethodType

import flask_babel
import jinja2
import jinja2.ext
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton, get_date_format, get_datetime_format, get_time_format
from babel.numbers import get_currency_name
from flask import Flask, g, request, session
from flask.globals import _cv_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from i18n.fx import format_rate
from i18n.locales import country_choices, country_name, language_choices, language_name, select_locale, text_direction
from i18n.money import Money, format_money
from tenants.auth import current_user
from tenants.members import memberships_of
from tenants.resolve import current_role

from . import translated_templates
from .features import panels, tabs
from .history import describe, events_shown
from .links import fast_url_for, public_url_for
from .locale_context import install as install_gettext
from .locale_context import label, locale_name
from .navigation import nav_context, topbar

FX_SOURCE_LABELS = {
    "ecb": _l("ECB"),
    "corporate": _l("corporate rate"),
    "live": _l("live provider"),
    "identity": _l("same currency"),
}


def select_request_locale() -> Locale:
    """The reader's locale (i18n.locales.select_locale), as the one Locale object kept for its name: Flask-Babel
    takes a Locale as it is, and a kept one has its CLDR data loaded already (a new one per request loaded it)."""
    user = current_user()
    tenant = g.get("tenant")
    return _locale(select_locale(
        user_choice=user.locale if user else None,
        session_choice=session.get("locale"),
        tenant_default=tenant.default_locale if tenant else None,
        accept_languages=lambda: request.accept_languages,
        visitor=user is None,
    ))


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def select_request_timezone() -> str:
    user = current_user()
    if user and user.timezone:
        return user.timezone
    tenant = g.get("tenant")
    return tenant.timezone if tenant else "UTC"


def reader_currency() -> str:
    """The currency the reader reads totals in: their display currency, else the tenant's base currency."""
    user = current_user()
    return (user.display_currency if user and user.display_currency else None) or g.tenant.base_currency


def money(value: Money | None) -> str:
    return "" if value is None else format_money(value, locale_name())


def money_in(amount, currency: str | None) -> str:
    return "" if amount is None or not currency else format_money(Money(amount, currency), locale_name())


def dateformat(value, format="medium"):
    """Flask-Babel's filter, minus its timezone work for plain dates (a date has no timezone). An instant is its day
    in the reader's timezone, formatted as that day is (tests/web/test_templating.py compares the words)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if format not in ("short", "medium", "long", "full"):
            return flask_babel.format_date(value, format)
        value = flask_babel.to_user_timezone(value).date()
    return _format_day(value, format, locale_name())


@lru_cache(maxsize=4096)
def _format_day(value: date, format: str, locale: str) -> str:
    """A day in a locale's format: the same few hundred days fill a page's cells, each formatted once."""
    if format == "yMd":
        return format_skeleton("yMd", value, locale=locale)
    return babel_format_date(value, format, locale=locale)


@lru_cache(maxsize=64)
def _datetime_parts(locale: str, format: str):
    """A locale's datetime layout for a named format: the frame ("{1}, {0}") and its time and date patterns."""
    found = Locale.parse(locale)
    return (found, get_datetime_format(format, locale=found).replace("'", ""), get_time_format(format, locale=found),
            get_date_format(format, locale=found))


def datetimeformat(value, format="medium"):
    """Flask-Babel's datetimeformat filter, the same words (tests/web/test_templating.py compares them), with the
    locale's patterns looked up once per process instead of on every cell: an instant in the reader's timezone."""
    if value is None:
        return ""
    if format not in ("short", "medium", "long", "full") or not isinstance(value, datetime):
        return flask_babel.format_datetime(value, format)
    locale, frame, time_pattern, date_pattern = _datetime_parts(locale_name(), format)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(flask_babel.get_timezone())
    return frame.replace("{0}", time_pattern.apply(value, locale)).replace("{1}", date_pattern.apply(value, locale))


def celldate(value) -> str:
    """A date in a table cell: numeric with the full year, in the reader's order (30/10/2026, 10/30/2026),
    never CLDR's long Vietnamese "30 thg 10, 2026" that wraps a column onto three lines. A datetime is shown
    in the reader's timezone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = flask_babel.to_user_timezone(value).date()
    return _format_day(value, "yMd", locale_name())


@lru_cache(maxsize=8)
def _country_options_html(locale: str) -> str:
    return "".join(f'<option value="{code}">{escape(name)}</option>' for code, name in country_choices(locale))


def country_select_options(selected: str | None = None) -> Markup:
    """Every country as <option>s in the reader's language, `selected` marked: the 250-odd options are built once
    per locale and process, not looped over in the template on every request (a quarter of a list's HTML)."""
    html = _country_options_html(locale_name())
    if selected and len(selected) == 2 and selected.isalpha():
        html = html.replace(f'<option value="{selected}">', f'<option value="{selected}" selected>', 1)
    return Markup(html)


def web_link(value: str | None) -> str | None:
    """A website as typed ("example.com", "https://example.com/x") as a link that opens it, or None when the
    value would open anything but a web page (javascript:, data:, a bare scheme)."""
    text = (value or "").strip()
    if not text:
        return None
    scheme, sep, _rest = text.partition(":")
    if not sep or (scheme.isdigit() or "." in scheme or "/" in scheme):
        return "https://" + text  # no scheme ("example.com", "example.com:8080/x")
    if scheme.lower() in ("http", "https") and text[len(scheme) + 1:].startswith("//") and len(text) > len(scheme) + 3:
        return text
    return None


def fx_source(value: str) -> str:
    return " + ".join(label(FX_SOURCE_LABELS, part) for part in (value or "").split("+"))


class _Globals(dict):
    """The environment's globals, counting their changes, with a plain copy made once per change.

    Jinja gives each template its globals as a ChainMap over these, and every context it makes (each render, include
    and row template) copies that ChainMap into a dict and a set of its keys, key by key through ChainMap's Python
    methods: some forty names, 20 us a context, five to ten contexts a page. A context made from the plain copy is
    the same dict, made in one C call."""

    version = 0

    def flat(self) -> dict:
        kept = self.__dict__.get("_flat")
        if kept is None or kept[0] != self.version:
            kept = self._flat = (self.version, dict(self))
        return kept[1]

    def _changed(self):
        self.version += 1

    def __setitem__(self, key, value):
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self._changed()
        super().__delitem__(key)

    def update(self, *args, **kwargs):
        self._changed()
        super().update(*args, **kwargs)

    def __ior__(self, other):
        self._changed()
        return super().__ior__(other)

    def setdefault(self, key, default=None):
        self._changed()
        return super().setdefault(key, default)

    def pop(self, *args):
        self._changed()
        return super().pop(*args)

    def popitem(self):
        self._changed()
        return super().popitem()

    def clear(self):
        self._changed()
        super().clear()


_INDENT = re.compile(r"\n[ \t]+")
COMPILE_VERSION = 3  # how templates are compiled (Unindent, TranslateFixedWords): part of the compiled code's file names


class Unindent(jinja2.ext.Extension):
    """HTML templates lose their lines' indentation when compiled (once, not per render): indentation is a tenth of a
    page's bytes, and every byte of a page is compressed again on every view (the deliverables list's compression
    was a fifth of its cost). The line breaks stay, so words and inline elements keep the space between them.
    Templates holding a <pre> or <textarea> (whose text keeps its spaces) and plain-text mail are left as written."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if not name or not name.endswith(".html") or "<pre" in source or "<textarea" in source:
            return source
        return _INDENT.sub("\n", source)


class _Template(jinja2.Template):
    """Jinja's template, with `{% from "macros.html" import ... %}` made cheap when nothing new is in scope, and its
    contexts made from the environment's plain globals (_Globals) when the template has none of its own.

    Each import asks whether the importing context holds globals the macros' module lacks (a set difference walked
    key by key through a ChainMap, eight times a page and once per row that imports); when it holds none, the module
    Jinja already cached is the answer. The keys are compared as a set kept beside the template."""

    def new_context(self, vars=None, shared=False, locals=None):
        maps, shared_globals = self.globals.maps, self.environment.globals
        if len(maps) == 2 and not maps[0] and maps[1] is shared_globals and isinstance(shared_globals, _Globals):
            return jinja2.runtime.new_context(self.environment, self.name, self.blocks, vars, shared,
                                              shared_globals.flat(), locals)
        return super().new_context(vars, shared, locals)

    def _get_default_module(self, ctx=None):
        if ctx is not None and self._module is not None:
            keys = self.__dict__.get("_coordina_global_keys")
            if keys is None:
                keys = self._coordina_global_keys = frozenset(self.globals)
            if ctx.globals_keys <= keys:
                return self._module
        return super()._get_default_module(ctx)


_PassArg = jinja2.utils._PassArg
_CALLED_DIRECTLY = (FunctionType, MethodType, jinja2.runtime.Macro)


class _Context(jinja2.runtime.Context):
    """Jinja's context, with `call` (every call a template makes: a macro, `_()`, url_for...) answering a plain
    function, method or macro without Jinja's general case: Jinja asks each callable twice whether it wants the
    context (hasattr through a fresh method wrapper each time) and, for one that wants it called inside a loop,
    builds a derived context on every call. 100 to 130 calls a record page. The same calls reach the same callables
    with the same arguments; a callable that wants the context, and any other kind of callable, go Jinja's way."""

    def call(self, obj, /, *args, **kwargs):
        if type(obj) in _CALLED_DIRECTLY:
            pass_arg = getattr(obj, "jinja_pass_arg", None)
            if pass_arg is not _PassArg.context:
                if kwargs:
                    kwargs.pop("_loop_vars", None)
                    kwargs.pop("_block_vars", None)
                if pass_arg is _PassArg.eval_context:
                    args = (self.eval_ctx, *args)
                elif pass_arg is _PassArg.environment:
                    args = (self.environment, *args)
                try:
                    return obj(*args, **kwargs)
                except StopIteration:
                    return self.environment.undefined("value was undefined because a callable raised a"
                                                      " StopIteration exception")
        return super().call(obj, *args, **kwargs)


# A session's signed CSRF token, reused for a minute: signing a new one (Flask-WTF makes a serializer and an HMAC
# each time) was a tenth of a list page. A token lives as long as its session (WTF_CSRF_TIME_LIMIT is None), and the
# key holds the session's own secret: another session never gets it.
_signed_tokens: dict[tuple, tuple[str, float]] = {}
REUSE_TOKEN_FOR = 60.0


def csrf_token() -> str:
    """Flask-WTF's csrf_token() for templates, read from where it keeps the request's token once made: a page of
    cards with a form each asked for it a hundred times, each a dozen proxy and config look-ups. The token signed for
    this session's secret within the last minute is given again (Flask-WTF checks it the same way)."""
    ctx = _cv_app.get()
    found = ctx.g.__dict__.get("csrf_token")
    if found is not None:
        return found
    signing_key, now = ctx.app.config.get("WTF_CSRF_SECRET_KEY") or ctx.app.secret_key, time.monotonic()
    kept = _signed_tokens.get((signing_key, session.get("csrf_token")))
    if kept is not None and now - kept[1] < REUSE_TOKEN_FOR:
        ctx.g.csrf_token = kept[0]
        return kept[0]
    token = generate_csrf()  # makes the session's secret when it has none
    if len(_signed_tokens) > 10_000:
        _signed_tokens.clear()
    _signed_tokens[(signing_key, session["csrf_token"])] = (token, now)
    return token


def init_app(app: Flask) -> None:
    app.jinja_env.template_class = _Template
    app.jinja_env.context_class = _Context
    app.jinja_env.add_extension(Unindent)
    app.jinja_env.add_extension(translated_templates.TranslateFixedWords)
    # Before any template is loaded: each keeps a ChainMap over the dict it found here.
    app.jinja_env.globals = _Globals(app.jinja_env.globals)
    if app.config["ENV_NAME"] == "production":
        # Each template compiled once, not once per worker and restart: the compiled code is kept in the instance.
        # Jinja knows a template's code by its source alone: the compile step's version is in the files' names, so a
        # change to it (Unindent) compiles every template anew.
        folder = Path(app.instance_path) / "jinja-cache"
        folder.mkdir(parents=True, exist_ok=True)
        app.jinja_env.bytecode_cache = translated_templates.BytecodeCache(
            str(folder), f"__coordina_{COMPILE_VERSION}_%s.cache")
    install_gettext(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        get_locale=get_locale,
        country_options=lambda: country_choices(str(get_locale())),
        country_select_options=country_select_options,
        panels=panels,
        public_url_for=public_url_for,
        csrf_token=csrf_token,
        url_for=fast_url_for,
        area_tabs=lambda area: tabs(area, current_role()),
        describe_events=describe,
        history_events=events_shown,
    )
    app.jinja_env.filters.update(
        money=money,
        money_in=money_in,
        dateformat=dateformat,
        datetimeformat=datetimeformat,
        celldate=celldate,
        fx_source=fx_source,
        web_link=web_link,
        rate=lambda value: "" if value is None else format_rate(value, get_locale()),
        currency_name=lambda code: get_currency_name(code, locale=get_locale()),
        country_name=lambda code: country_name(code, locale_name()),
        language_name=lambda code: language_name(code, locale_name()),
    )
    app.context_processor(nav_context)

    @app.context_processor
    def _layout_context():
        user = current_user()
        locale = locale_name()
        return {
            "current_user": user,
            "tenant": g.get("tenant"),
            "membership": g.get("membership"),
            "my_memberships": (lambda: memberships_of(user.id)) if user else (lambda: []),
            "languages": language_choices(),
            "html_lang": locale.replace("_", "-"),
            "html_dir": text_direction(locale),
            "csrf_token": csrf_token,  # over Flask-WTF's context processor, registered before this one
            "topbar": topbar,
        }
