"""Which language and timezone a reader gets, and the lists people choose them from."""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.dates import get_timezone_location

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
    accept_languages=None,
) -> str:
    """The person's own choice, else what they picked this visit, else the tenant's, else the browser's."""
    for candidate in (user_choice, session_choice, tenant_default):
        if is_supported(candidate):
            return candidate  # type: ignore[return-value]
    if accept_languages is not None:
        best = accept_languages.best_match(SUPPORTED_LOCALES)
        if best:
            return best
    return DEFAULT_LOCALE


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"


def language_choices() -> list[tuple[str, str]]:
    """Each shipped language named in itself, so anyone can find their own."""
    return [(code, Locale.parse(code).get_display_name(code).capitalize()) for code in SUPPORTED_LOCALES]


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
