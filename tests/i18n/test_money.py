"""Money: exact Decimals with an ISO code, rounded to each currency's minor unit, formatted as Babel does."""
from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.money import (
    AmountError,
    CurrencyMismatch,
    Money,
    MoneyError,
    entry_text,
    format_money,
    is_currency,
    minor_units,
    read_amount,
)


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


@pytest.mark.parametrize("text, locale, expected", [
    ("24.500,00", "it", "24500.00"), ("24,500.00", "en", "24500.00"), ("24.500,00", "vi", "24500.00"),
    ("24.500", "it", "24500"), ("1,5", "it", "1.5"), ("1.5", "en", "1.5"), ("0.125", "en", "0.125"),
    ("1 234 567,89", "fr", "1234567.89"), ("1\u202f234,5", "fr", "1234.5"), ("12,34,567.00", "en", "1234567.00"),
    ("1.234-", "it", "-1234"), ("-1.234,5", "it", "-1234.5"), ("\u22121.234,5", "it", "-1234.5"),
    ("€ 1.234,5", "it", "1234.5"), ("1,234.50 USD", "en", "1234.50"), ("$12", "en", "12"),
    ("١٢٣", "en", "123"), ("1,234.5", "it", "1234.5"),
])
def test_an_amount_is_read_as_people_write_it(text, locale, expected):
    assert read_amount(text, locale) == Decimal(expected)


@pytest.mark.parametrize("text, locale, reason", [
    ("24.500", "en", "ambiguous"), ("24,500", "it", "ambiguous"), ("1.085", "en", "ambiguous"),
    ("ten", "en", "unreadable"), ("1.2.3", "en", "unreadable"), ("1,2,3", "it", "unreadable"), ("1e5", "en", "unreadable"),
    ("NaN", "en", "unreadable"), ("", "en", "unreadable"), ("12 €uro", "it", "unreadable"), ("€ 12 €", "it", "unreadable"),
    ("1.234.5,6", "it", "unreadable"), ("--5", "en", "unreadable"),
])
def test_an_amount_that_could_be_read_two_ways_or_not_at_all_is_refused(text, locale, reason):
    with pytest.raises(AmountError) as refused:
        read_amount(text, locale)
    assert refused.value.reason == reason


def test_a_symbol_or_code_must_be_the_amounts_currency():
    assert read_amount("$12", "en", "CAD") == 12  # "$" is several currencies' symbol
    for text, currency in (("€ 12", "USD"), ("12 GBP", "EUR"), ("$12", "EUR"), ("¥5", "USD")):
        with pytest.raises(AmountError) as refused:
            read_amount(text, "en", currency)
        assert refused.value.reason == "currency"


@pytest.mark.parametrize("amount, locale, places, at_least", [
    ("24500.0000", "it", 4, 2), ("1.125", "en", 4, 2), ("0.8951488", "vi", 10, 0), ("27450", "en", 10, 0),
    ("-3.2", "it", 4, 2), ("1234567.891", "en", 4, 0),
])
def test_what_a_field_shows_reads_back_to_the_same_amount(amount, locale, places, at_least):
    shown = entry_text(Decimal(amount), locale, places=places, at_least=at_least)
    assert read_amount(shown, locale) == Decimal(amount)


@settings(max_examples=400, deadline=None)
@given(amount=st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=4, allow_nan=False),
       currency=st.sampled_from(["USD", "EUR", "JPY", "VND", "BHD", "GBP", "CHF", "INR"]),
       locale=st.sampled_from(["en", "it", "vi", "de", "fr", "ja", "hi", "ar", "pt_BR", "de_CH", "en_IN", "sv"]))
def test_the_fast_money_format_is_exactly_babels(amount, currency, locale):
    """format_money reads the locale's data once per process (issue 15); it must write what Babel writes."""
    assert format_money(Money(amount, currency), locale) == format_currency(amount, currency, locale=locale,
                                                                            currency_digits=True)


def test_the_shipped_locales_take_the_fast_path():
    """Without its own style a locale silently falls back to Babel's per-amount work (the list pages' cost)."""
    from i18n.money import _money_style

    for locale in ("en", "it", "vi", "de", "fr"):
        assert _money_style(locale) is not None, locale
