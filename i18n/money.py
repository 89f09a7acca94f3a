"""Money: an exact Decimal amount with its ISO 4217 code, stored exactly and shown in the reader's locale."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.numbers import format_currency, get_currency_name, get_currency_precision
from sqlalchemy import BigInteger, String
from sqlalchemy.types import TypeDecorator


class MoneyError(ValueError):
    """An amount or currency that cannot be money."""


class CurrencyMismatch(MoneyError):
    """Two amounts in different currencies were added without converting first."""


@lru_cache(maxsize=1)
def iso_currencies() -> frozenset[str]:
    """ISO 4217 codes legal tender somewhere today (Babel's CLDR territory data)."""
    codes: set[str] = set()
    for spans in get_global("territory_currencies").values():
        for code, _start, end, tender in spans:
            if end is None and tender:
                codes.add(code)
    return frozenset(codes)


def is_currency(code: str | None) -> bool:
    return bool(code) and code in iso_currencies()


@lru_cache(maxsize=512)
def minor_units(currency: str) -> int:
    """Decimal places of the currency's minor unit: 2 for EUR, 0 for JPY and VND, 3 for BHD."""
    return get_currency_precision(currency)


@lru_cache(maxsize=512)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def to_decimal(value) -> Decimal:
    """Decimal from a Decimal, int or string; floats are refused because they already lost digits."""
    if isinstance(value, float):
        raise MoneyError("floats are not money; pass a Decimal or a string")
    try:
        result = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise MoneyError(f"not an amount: {value!r}") from exc
    if not result.is_finite():
        raise MoneyError(f"not an amount: {value!r}")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        object.__setattr__(self, "amount", to_decimal(self.amount))
        if not is_currency(self.currency):
            raise MoneyError(f"unknown currency: {self.currency!r}")

    def rounded(self) -> Money:
        """Rounded half-up to the currency's minor unit: what is stored and what is billed."""
        return Money(self.amount.quantize(_quantum(self.currency), rounding=ROUND_HALF_UP), self.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot add {other.currency} to {self.currency} without converting")
        return Money(self.amount + other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return self + (-other)

    def __mul__(self, factor) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def rounded(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def format_money(money: Money, locale: str | Locale) -> str:
    """The amount as the reader writes it: symbol place, separators and the currency's decimals.

    Exactly Babel's format_currency, without re-reading the locale's data for every amount: a list page formats
    dozens. The locale's pattern, symbols and each currency's symbol and decimals are read once per process;
    a locale whose pattern is not the common shape (groups of three) goes through Babel itself.
    """
    style = _money_style(str(locale))
    amount = money.amount
    if style is None or not amount.is_finite():
        return format_currency(amount, money.currency, locale=locale, currency_digits=True)
    return _styled(style, amount, money.currency, str(locale))


def _styled(style, amount: Decimal, currency: str, locale: str) -> str:
    (pos_prefix, neg_prefix), (pos_suffix, neg_suffix), decimal, group = style
    symbol, quantum, digits = _currency_style(locale, currency)
    text = f"{abs(amount).quantize(quantum, rounding=ROUND_HALF_EVEN):,.{digits}f}"
    if decimal != "." or group != ",":
        text = text.translate({ord(","): group, ord("."): decimal})
    if amount.is_signed():
        return (neg_prefix + text + neg_suffix).replace("¤", symbol)
    return (pos_prefix + text + pos_suffix).replace("¤", symbol)


@lru_cache(maxsize=64)
def _money_style(locale: str):
    from babel.numbers import get_decimal_symbol, get_group_symbol

    parsed = Locale.parse(locale)
    pattern = parsed.currency_formats["standard"]
    # scale is 0 (Babel 2.9+) or 1 (older) for a plain amount; 2 or 3 (100, 1000) would be a percent or permille.
    if pattern.grouping != (3, 3) or pattern.scale not in (0, 1) or "'" in pattern.pattern:
        return None
    style = pattern.prefix, pattern.suffix, get_decimal_symbol(parsed), get_group_symbol(parsed)
    # Some locales bend their own pattern (de_CH drops grouping from a million up): a locale whose probes do not
    # come out exactly as Babel writes them keeps Babel's path.
    for probe in ("1000000", "999999.995", "-1234.5", "0", "12.345", "123456789012.5"):
        for currency in ("USD", "JPY", "BHD"):
            amount = Decimal(probe)
            if _styled(style, amount, currency, locale) != format_currency(amount, currency, locale=locale,
                                                                           currency_digits=True):
                return None
    return style


@lru_cache(maxsize=2048)
def _currency_style(locale: str, currency: str) -> tuple[str, Decimal, int]:
    from babel.numbers import get_currency_symbol

    digits = get_currency_precision(currency)
    return get_currency_symbol(currency, locale), Decimal(1).scaleb(-digits), digits


def currency_choices(locale: str | Locale) -> list[tuple[str, str]]:
    """Every ISO currency as (code, "EUR · euro") in the reader's language, sorted by code."""
    return list(_currency_choices(str(locale)))


@lru_cache(maxsize=16)
def _currency_choices(locale: str) -> tuple[tuple[str, str], ...]:
    # Built once per locale and process: 150-odd CLDR look-ups were a contract page's costliest select.
    return tuple((code, f"{code} · {get_currency_name(code, locale=locale)}") for code in sorted(iso_currencies()))


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact Decimal stored as an integer of 10^-scale units, identical on SQLite and PostgreSQL.

    SQLite keeps NUMERIC as a float (12345678901234.5678 comes back as ...5684); an integer keeps
    every digit and SQL SUM stays exact.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 4):
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = to_decimal(value)
        units = value.scaleb(self.scale)
        if units != units.to_integral_value():
            raise MoneyError(f"{value} has more than {self.scale} decimal places")
        return int(units)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(value).scaleb(-self.scale)

    def result_processor(self, dialect, coltype):
        """process_result_value in one call per value (a list's page reads a hundred of these): the TypeDecorator's
        generic chain called the impl's processor (none for an integer), then this type's method."""
        parse, exponent = self.impl_instance.result_processor(dialect, coltype), -self.scale
        if parse is None:
            return lambda value: None if value is None else Decimal(value).scaleb(exponent)
        return lambda value: None if value is None else Decimal(parse(value)).scaleb(exponent)


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal of any precision kept as text (exchange rates of converted amounts: 20 digits)."""

    impl = String(48)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else format(to_decimal(value), "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


def Amount() -> ScaledDecimal:
    """Column type for money amounts: ten-thousandths, up to about 9 * 10^14 per value."""
    return ScaledDecimal(4)


def Rate() -> ScaledDecimal:
    """Column type for exchange rates: ten decimal places."""
    return ScaledDecimal(10)


# --- amounts as people type them ------------------------------------------------------------------------


class AmountError(MoneyError):
    """An amount that cannot be read for sure; `reason` says why ("unreadable", "ambiguous", "currency")."""

    def __init__(self, reason: str, text: str, **details):
        self.reason, self.text, self.details = reason, text, details
        super().__init__(f"{reason}: {text!r}")


_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007'’"), None)  # spaces and apostrophes group digits


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)


def _symbols() -> dict[str, str]:
    """Currency symbols people type, to the code they mean ("€" -> EUR); ambiguous ones ($, ¥) map to None."""
    return {"€": "EUR", "£": "GBP", "₫": "VND", "₹": "INR", "₩": "KRW", "₺": "TRY", "₽": "RUB", "₪": "ILS",
            "฿": "THB", "₱": "PHP", "zł": "PLN", "Kč": "CZK", "R$": "BRL", "US$": "USD", "$": "$", "¥": "¥"}


def _grouped(text: str, group: str) -> bool:
    """Whether `text` is digits grouped by `group` the way people write them (1,234,567 or 12,34,567)."""
    parts = text.split(group)
    if not (1 <= len(parts[0]) <= 3) or not all(p.isdigit() for p in parts):
        return False
    tail = parts[1:]
    return all(len(p) == 3 for p in tail) or (len(tail) >= 2 and len(tail[-1]) == 3
                                              and all(len(p) == 2 for p in tail[:-1]))


def read_amount(text: str, locale: str | Locale, currency: str | None = None) -> Decimal:
    """The amount a person typed, read in their locale: "1.234,56" in Italian, "1,234.56" in English, with or
    without the currency's symbol or code, a sign before or a minus after. What could be read two ways (an
    English reader's "24.500": twenty-four and a half, or 24,500 written the European way?) or not at all
    raises AmountError; a symbol or code of another currency than `currency` too. Never a guess."""
    amount, typed = read_money(text, locale)
    if typed and currency and not written_in(typed, currency):
        raise AmountError("currency", text, typed=typed, expected=currency)
    return amount


def written_in(typed: str, currency: str) -> bool:
    """Whether what a person typed beside an amount (a code, or a bare "$" or "¥" that several currencies
    use) can mean `currency`."""
    from babel.numbers import get_currency_symbol

    if typed in ("$", "¥"):
        return typed in get_currency_symbol(currency, "en")
    return typed == currency


def read_money(text: str, locale: str | Locale) -> tuple[Decimal, str | None]:
    """What `read_amount` reads, with the currency the person typed beside it: a code, a bare "$" or "¥" that
    several currencies use, or None when they typed none."""
    from babel.numbers import get_decimal_symbol

    raw = _ascii_digits((text or "").strip()).translate(_SPACES).replace("\u2212", "-")
    negative = False
    if raw.endswith("-"):
        raw, negative = raw[:-1], True
    if raw and raw[0] in "+-":
        negative, raw = raw[0] == "-", raw[1:]
    # A symbol or code before or after the digits: it must be the amount's own currency.
    match = re.fullmatch(r"([^\d.,]*)([\d.,]+)([^\d.,]*)", raw)
    if match is None:
        raise AmountError("unreadable", text)
    label = (match.group(1) + match.group(3)).strip()
    named = None
    if label:
        named = _symbols().get(label, label.upper() if is_currency(label.upper()) else None)
        if named is None or (match.group(1).strip() and match.group(3).strip()):
            raise AmountError("unreadable", text)
    digits = match.group(2)
    decimal = get_decimal_symbol(locale)
    if "." in digits and "," in digits:
        point = max(digits.rfind("."), digits.rfind(","))  # the last separator is the decimal one
        whole, fraction, grouping = digits[:point], digits[point + 1:], digits[point]
        other = "," if grouping == "." else "."
        if digits.count(grouping) != 1 or not _grouped(whole, other) or not fraction.isdigit():
            raise AmountError("unreadable", text)
        value = whole.replace(other, "") + "." + fraction
    elif "." in digits or "," in digits:
        sep = "." if "." in digits else ","
        head, _, tail = digits.rpartition(sep)
        if digits.count(sep) > 1:
            if not _grouped(digits, sep):
                raise AmountError("unreadable", text)
            value = digits.replace(sep, "")
        elif len(tail) == 3 and 1 <= len(head) <= 3 and head.isdigit() and head != "0":
            if sep == decimal:
                # "24.500" to an English reader, "24,500" to an Italian: a decimal here, a thousands separator
                # in half the world. Ask instead of guessing.
                raise AmountError("ambiguous", text, whole=head + tail, fraction=head + "." + tail)
            value = head + tail  # the locale's own grouping: 24.500 in Italian is 24500
        elif head.isdigit() and tail.isdigit() and head:
            value = head + "." + tail  # only a decimal reading is possible (1,5 or 1234.56)
        else:
            raise AmountError("unreadable", text)
    else:
        value = digits
    if not value.replace(".", "", 1).isdigit():
        raise AmountError("unreadable", text)
    amount = Decimal(value)
    return (-amount if negative else amount), named


def entry_text(amount: Decimal, locale: str | Locale, *, places: int = 4, at_least: int = 2) -> str:
    """An amount written for an input the reader will send back: their locale's separators, at least
    `at_least` decimals, and never exactly three (1.125 would read back as ambiguous; it is shown 1.1250)."""
    from babel.numbers import format_decimal

    exponent = amount.normalize().as_tuple().exponent
    shown = max(at_least, -exponent if isinstance(exponent, int) else 0)
    if shown == 3:
        shown = 4
    shown = min(shown, max(places, at_least))
    return format_decimal(amount, locale=locale, format="#,##0." + "0" * shown if shown else "#,##0",
                          decimal_quantization=True)
