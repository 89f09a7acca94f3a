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


def locale_name() -> str:
    """str(locale()), kept beside it: Babel builds the identifier anew on every str() (300 a contract page)."""
    ns = _namespace()
    if ns is not None:
        cached = ns.__dict__.get("fast_locale_name")
        current = ns.__dict__.get("babel_locale")
        if cached is not None and current is not None and cached[0] is current:
            return cached[1]
    found = locale()
    name = str(found) if found is not None else "en"
    ns = _namespace()
    if ns is not None and ns.__dict__.get("babel_locale") is found:
        ns.fast_locale_name = (found, name)
    return name


def translations():
    """flask_babel.get_translations() for the locale in force, cached beside it."""
    ns = _namespace()
    if ns is not None:
        cached = ns.__dict__.get("fast_translations")
        current = ns.__dict__.get("babel_locale")
        if cached is not None and current is not None and cached[0] is current:
            return cached[1]
    if _cv_app.get(None) is None:
        return _NULL
    found = flask_babel.get_translations()
    ns = _namespace()
    if ns is not None:
        ns.fast_translations = (ns.__dict__.get("babel_locale"), found)
    return found


def gettext(string: str) -> str:
    return translations().ugettext(string)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ungettext(singular, plural, n)


def pgettext(context: str, string: str) -> str:
    return translations().upgettext(context, string)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations().unpgettext(context, singular, plural, n)


def texts(messages: dict) -> dict[str, str]:
    """A feature's table of lazy texts ({"due": _l("Due"), ...}) translated at once and kept for the request:
    a row template reads them once per row instead of looking each word up (440 look-ups on a deliverables
    page). The texts stay `_l()` in Python, so extraction finds them."""
    ns = _namespace()
    cache = ns.__dict__.setdefault("fast_texts", {}) if ns is not None else {}
    key = (id(translations()), id(messages))
    found = cache.get(key)
    if found is None:
        found = cache[key] = {name: str(text) for name, text in messages.items()}
    return found


class FastDomain(flask_babel.Domain):
    """Flask-Babel's domain, reading the catalog cached for the request: Python's gettext and lazy strings (field
    labels, statuses) go through here, and each resolved locale and catalog anew."""

    def get_translations(self):
        ns = _namespace()
        if ns is not None:
            cached = ns.__dict__.get("fast_translations")
            current = ns.__dict__.get("babel_locale")
            if cached is not None and current is not None and cached[0] is current:
                return cached[1]
        return super().get_translations()


def install(app) -> None:
    """Templates' `_`, `ngettext`... through the cached catalog (Jinja's newstyle wrapping stays), and Python's
    through the same cache."""
    app.extensions["babel"].instance.__dict__["domain_instance"] = FastDomain()
    app.jinja_env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True,
                                            pgettext=pgettext, npgettext=npgettext)
