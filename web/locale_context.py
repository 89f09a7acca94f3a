"""The reader's locale and translations, looked up once per request instead of once per word.

Flask-Babel resolves the locale and the catalog from scratch on every `_()` (four context look-ups and a
locale identifier built each time: 561 look-ups on one contract list page). Here both are kept on Flask-Babel's
own per-request namespace, keyed by the locale object in force, so `force_locale` (mail in the recipient's
language) still switches them: a new locale object there is a new key.
"""
from __future__ import annotations

import flask_babel
from babel import Locale
from babel.support import NullTranslations
from flask.globals import _cv_app
from jinja2 import pass_eval_context
from markupsafe import Markup

_NULL = NullTranslations()


def _namespace():
    ctx = _cv_app.get(None)
    if ctx is None:
        return None
    return ctx.g.__dict__.get("_flask_babel")


def locale() -> Locale | None:
    """flask_babel.get_locale(), without its look-ups once the request has chosen."""
    ns = _namespace()
    found = ns.__dict__.get("babel_locale") if ns is not None else None
    return found if found is not None else flask_babel.get_locale()


def _kept(name: str):
    """What was kept under `name` for the locale now in force, or None (another locale, or nothing yet)."""
    ns = _namespace()
    if ns is None:
        return None
    kept, current = ns.__dict__.get(name), ns.__dict__.get("babel_locale")
    return kept[1] if kept is not None and current is not None and kept[0] is current else None


def _keep(name: str, value) -> None:
    """Keep `value` for the locale now in force (force_locale's new Locale object is a new key)."""
    ns = _namespace()
    if ns is not None:
        setattr(ns, name, (ns.__dict__.get("babel_locale"), value))


def locale_name() -> str:
    """str(locale()), kept beside it: Babel builds the identifier anew on every str() (300 a contract page)."""
    name = _kept("fast_locale_name")
    if name is None:
        found = locale()
        name = str(found) if found is not None else "en"
        _keep("fast_locale_name", name)
    return name


def translations():
    """flask_babel.get_translations() for the locale in force, cached beside it."""
    found = _kept("fast_translations")
    if found is None:
        if _cv_app.get(None) is None:
            return _NULL
        found = flask_babel.get_translations()
        _keep("fast_translations", found)
    return found


def gettext(string: str) -> str:
    return translations().ugettext(string)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ungettext(singular, plural, n)


def pgettext(context: str, string: str) -> str:
    return translations().upgettext(context, string)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations().unpgettext(context, singular, plural, n)


# texts()' tables, per catalog and table: (catalog, table, translated). Flask-Babel keeps one catalog per locale for the
# process, and the tables are module constants, so each is translated once a process, not once a request.
_translated: dict[tuple[int, int], tuple] = {}


def texts(messages: dict) -> dict[str, str]:
    """A feature's table of lazy texts ({"due": _l("Due"), ...}) translated at once and kept for the catalog in
    force: a row template reads them once per row instead of looking each word up (440 look-ups on a deliverables
    page), and a request no longer translates them again. The texts stay `_l()` in Python, so extraction finds
    them."""
    catalog = translations()
    key = (id(catalog), id(messages))
    found = _translated.get(key)
    # The objects themselves are kept and compared: an id is only unique among objects alive together.
    if found is None or found[0] is not catalog or found[1] is not messages:
        if len(_translated) >= 4096:
            _translated.clear()
        found = _translated[key] = (catalog, messages, {name: str(text) for name, text in messages.items()})
    return found[2]


def label(messages: dict, key):
    """messages[key] in the reader's words (the key itself when unknown), from the table translated once a request:
    the status, kind and source labels that fill a list's cells."""
    return texts(messages).get(key, key) if key is not None else key


class FastDomain(flask_babel.Domain):
    """Flask-Babel's domain, reading the catalog cached for the request: Python's gettext and lazy strings (field
    labels, statuses) go through here, and each resolved locale and catalog anew."""

    def get_translations(self):
        found = _kept("fast_translations")
        if found is None:
            # Kept for the rest of the request: a lazy text read before any template had asked (a form's choices,
            # the layout's role name) went through Flask-Babel's whole look-up every time.
            found = super().get_translations()
            if _cv_app.get(None) is not None:
                _keep("fast_translations", found)
        return found


def _lazy_text(self) -> str:
    """flask_babel's LazyString as text: the lazy texts of labels and choices (a form's, a list's statuses) went
    through Flask-Babel's whole look-up each time one was shown (its context, its domain, then the catalog), the same
    translation as here, from the catalog kept for the request. Other lazy texts go the usual way."""
    if self._func is flask_babel.gettext and len(self._args) == 1:
        found = translations().ugettext(self._args[0])
        return found % self._kwargs if self._kwargs else found
    return str(self._func(*self._args, **self._kwargs))


flask_babel.speaklater.LazyString.__str__ = flask_babel.speaklater.LazyString.__html__ = _lazy_text


def install(app) -> None:
    """Templates' `_`, `ngettext`... through the cached catalog (Jinja's newstyle wrapping stays), and Python's
    through the same cache."""
    app.extensions["babel"].instance.__dict__["domain_instance"] = FastDomain()
    app.jinja_env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True,
                                            pgettext=pgettext, npgettext=npgettext)
    # `_()` straight to the catalog: Jinja's alias looked `gettext` up in the context and called it through the
    # context twice for each word (a list's column names, once per row). Same result as Jinja's newstyle gettext:
    # the translation, Markup when autoescaping, always a format string.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext


@pass_eval_context
def _template_gettext(__eval_ctx, __string: str, **variables):
    rv = translations().ugettext(__string)
    if __eval_ctx.autoescape:
        rv = Markup(rv)
    # Without a %, formatting changes nothing: most words of a page (column names, buttons) skip it.
    return rv % variables if "%" in rv else rv
