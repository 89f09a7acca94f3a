"""Money: exact Decimals with an ISO code, rounded to each currency's minor unit, formatted as Babel does."""
from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency

from i18n.money import CurrencyMismatch, Money, MoneyError, format_money, is_currency, minor_units


def test_floats_are_refused_because_they_already_lost_digits():
    with pytest.raises(MoneyError):
        Money(0.1, "EUR")
    assert Money("0.1", "EUR").amount == Decimal("0.1")


def test_unknown_and_retired_currencies_are_refused():
    for code in ("XYZ", "eur", "", "DEM", "ITL"):
        assert not is_currency(code)
        with pytest.raises(MoneyError):
            Money(1, code)
    for code in ("EUR", "USD", "JPY", "VND", "AED", "SAR", "BHD"):
        assert is_currency(code)


@pytest.mark.parametrize(
    "amount, currency, expected",
    [
        ("1234.565", "EUR", "1234.57"),
        ("1234.5", "JPY", "1235"),
        ("1234.4", "JPY", "1234"),
        ("27450.5", "VND", "27451"),
        ("1.2345", "BHD", "1.235"),
        ("-2.345", "USD", "-2.35"),
    ],
)
def test_amounts_round_half_up_to_the_currencys_minor_unit(amount, currency, expected):
    assert Money(amount, currency).rounded().amount == Decimal(expected)


def test_minor_units_come_from_babel():
    assert (minor_units("EUR"), minor_units("JPY"), minor_units("VND"), minor_units("BHD")) == (2, 0, 0, 3)


def test_adding_different_currencies_without_converting_is_an_error():
    assert Money("1.10", "EUR") + Money("2.20", "EUR") == Money("3.30", "EUR")
    with pytest.raises(CurrencyMismatch):
        Money(1, "EUR") + Money(1, "USD")


@pytest.mark.parametrize("locale", ["en", "it", "vi", "de", "ja"])
@pytest.mark.parametrize("currency", ["EUR", "USD", "JPY", "VND", "GBP"])
def test_formatting_matches_babel_for_the_readers_locale(locale, currency):
    money = Money("1234567.891", currency)
    assert format_money(money, locale) == format_currency(money.amount, currency, locale=locale, currency_digits=True)


@pytest.mark.parametrize(
    "locale, currency, expected",
    [
        ("en", "USD", "$1,234,567.89"),
        ("it", "EUR", "1.234.567,89\xa0€"),
        ("de", "EUR", "1.234.567,89\xa0€"),
        ("vi", "VND", "1.234.568\xa0₫"),
        ("ja", "JPY", "￥1,234,568"),
        ("en", "JPY", "¥1,234,568"),
    ],
)
def test_symbol_place_separators_and_no_decimals_for_yen_and_dong(locale, currency, expected):
    assert format_money(Money("1234567.891", currency), locale) == expected
