"""Which language and timezone a reader gets, and the lists people choose them from."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.dates import get_timezone_location

if TYPE_CHECKING:
    from werkzeug.datastructures import LanguageAccept

SUPPORTED_LOCALES = ("en", "it", "vi")
DEFAULT_LOCALE = "en"
# Scripts written right to left; the layout mirrors for them when their catalogs ship.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "yi"})


def is_supported(locale: str | None) -> bool:
    return locale in SUPPORTED_LOCALES


def select_locale(
    *,
    user_choice: str | None,
    session_choice: str | None,
    tenant_default: str | None,
    accept_languages: Callable[[], LanguageAccept | None] | None = None,
    visitor: bool = False,
) -> str:
    """The person's own choice, else what they picked this visit, else the tenant's, else the browser's.

    A visitor (nobody signed in: the public web form, the sign-in page) reads their browser's language before
    the tenant's when Coordina speaks it: a Vietnamese visitor on an Italian company's form reads Vietnamese.
    """
    def browser():
        # `accept_languages` is a function, asked only when it decides (a signed-in person's own choice usually
        # does): parsing the header is 15 us.
        found = accept_languages() if accept_languages is not None else None
        return found.best_match(SUPPORTED_LOCALES) if found is not None else None

    order = (user_choice, session_choice, browser, tenant_default) if visitor else \
        (user_choice, session_choice, tenant_default, browser)
    for candidate in order:
        if callable(candidate):
            candidate = candidate()
        if is_supported(candidate):
            return candidate  # type: ignore[return-value]
    return DEFAULT_LOCALE


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"


def language_choices() -> list[tuple[str, str]]:
    """Each shipped language named in itself, so anyone can find their own."""
    return list(_languages_named_in_themselves())


@cache
def _languages_named_in_themselves() -> tuple[tuple[str, str], ...]:
    # The same for every reader: worked out once, not on every page (the layout's language picker lists them).
    return tuple((code, _upper_first(Locale.parse(code).get_display_name(code))) for code in SUPPORTED_LOCALES)


def is_timezone(name: str | None) -> bool:
    if not name or name not in _timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(
        name
        for name in available_timezones()
        if name == "UTC" or ("/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")))
    )


@lru_cache(maxsize=8)
def timezone_choices(locale: str) -> list[tuple[str, str]]:
    """Every zone as (id, "Europe/Rome · Italia (Roma)") with the place named in the reader's language."""
    choices = []
    for name in sorted(_timezones()):
        try:
            place = get_timezone_location(name, locale=locale)
        except (LookupError, ValueError):
            place = name
        choices.append((name, f"{name} · {place}"))
    return choices


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """ISO 3166 alpha-2 codes of places with a currency of their own (no 'World', 'EU' or regions)."""
    from babel.core import get_global

    return frozenset(code for code, spans in get_global("territory_currencies").items()
                     if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "UN", "QO")
                     and any(end is None and tender for _c, _start, end, tender in spans))


def is_country(code: str | None) -> bool:
    return bool(code) and code in _countries()


@lru_cache(maxsize=8)
def country_choices(locale: str) -> list[tuple[str, str]]:
    """Every country named in the reader's language, sorted by that name."""
    names = Locale.parse(locale).territories
    return sorted(((code, names.get(code, code)) for code in _countries() if code in names),
                  key=lambda item: item[1].casefold())


@lru_cache(maxsize=16)
def _territories(locale: str) -> dict:
    """CLDR's country names in a locale, looked up once per process (Locale.parse on every cell of a board cost a
    tenth of the page)."""
    return dict(Locale.parse(locale).territories)


@lru_cache(maxsize=16)
def _languages(locale: str) -> dict:
    return dict(Locale.parse(locale).languages)


def country_name(code: str | None, locale: str) -> str:
    if not code:
        return ""
    return _territories(locale).get(code, code)


# Languages customers commonly write in; each named in the reader's language.
CUSTOMER_LANGUAGES = (
    "en", "it", "vi", "fr", "de", "es", "pt", "nl", "pl", "cs", "sk", "hu", "ro", "bg", "el", "hr", "sl", "sv", "da",
    "no", "fi", "et", "lv", "lt", "ru", "uk", "tr", "ar", "he", "fa", "hi", "bn", "th", "id", "ms", "tl", "zh", "ja",
    "ko",
)


def is_language(code: str | None) -> bool:
    return code in CUSTOMER_LANGUAGES


@lru_cache(maxsize=8)
def customer_language_choices(locale: str) -> list[tuple[str, str]]:
    names = Locale.parse(locale).languages
    return sorted(((code, _upper_first(names.get(code, code))) for code in CUSTOMER_LANGUAGES),
                  key=lambda item: item[1].casefold())


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def language_name(code: str | None, locale: str) -> str:
    if not code:
        return ""
    return _upper_first(_languages(locale).get(code, code))
