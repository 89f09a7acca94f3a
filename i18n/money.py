"""Money: an exact Decimal amount with its ISO 4217 code, stored exactly and shown in the reader's locale."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
    """The amount as the reader writes it: symbol place, separators and the currency's decimals."""
    return format_currency(money.amount, money.currency, locale=locale, currency_digits=True)


def currency_choices(locale: str | Locale) -> list[tuple[str, str]]:
    """Every ISO currency as (code, "EUR · euro") in the reader's language, sorted by code."""
    return [(code, f"{code} · {get_currency_name(code, locale=locale)}") for code in sorted(iso_currencies())]


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
