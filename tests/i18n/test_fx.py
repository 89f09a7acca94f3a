"""The conversion engine on its own: cross rates through EUR, dated lookups, corporate rates, no silent 1.0."""
from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from i18n import fx
from i18n.fx import Quote, RateBook, RateUnavailable, SeriesSource
from i18n.money import Money, is_currency

from .. import ecb_reference as ref


@pytest.fixture(scope="module")
def ecb():
    series = {}
    for currency, day, rate in fx.parse_ecb_csv(fx.read_ecb_text(fx.bundled_ecb_file().read_bytes())):
        series.setdefault(currency, []).append((day, rate))
    return SeriesSource("ecb", "EUR", series)


def test_random_pairs_and_dates_agree_with_the_ecb_file_to_the_minor_unit(ecb):
    book = RateBook([ecb])
    rng = random.Random(20261123)
    codes = [c for c in ref.currencies() if is_currency(c)]
    checked = 0
    while checked < 2000:
        source, target = rng.sample(codes, 2)
        day = date.fromordinal(rng.randint(date(1999, 1, 4).toordinal(), date(2026, 11, 23).toordinal()))
        amount = Decimal(rng.randint(1, 10**12)) / 100
        expected = ref.convert(amount, source, target, day)
        if expected is None:
            with pytest.raises(RateUnavailable):
                book.convert(Money(amount, source), target, day)
            continue
        conversion = book.convert(Money(amount, source), target, day)
        assert conversion.amount.amount == expected[0], (amount, source, target, day)
        if expected[1] is not None:
            assert conversion.rate_date == expected[1]
        checked += 1


def test_a_weekend_uses_the_last_business_day_and_says_so(ecb):
    conversion = RateBook([ecb]).convert(Money(100, "USD"), "JPY", date(2026, 10, 31))  # a Saturday
    assert conversion.rate_date == date(2026, 10, 30)
    assert conversion.source == "ecb"
    # 100 USD -> EUR at 1.1172, -> JPY at 175.68: the cross goes through EUR.
    assert conversion.amount == Money(round(Decimal(100) / Decimal("1.1172") * Decimal("175.68")), "JPY")


def test_before_the_first_publication_there_is_no_rate(ecb):
    with pytest.raises(RateUnavailable, match="USD on or before 1998-12-31"):
        RateBook([ecb]).convert(Money(1, "USD"), "EUR", date(1998, 12, 31))


def test_a_currency_the_ecb_does_not_publish_is_a_clear_error_never_one(ecb):
    with pytest.raises(RateUnavailable, match="VND"):
        RateBook([ecb]).convert(Money(1000, "VND"), "EUR", date(2026, 1, 5))


def test_corporate_rates_come_first_and_bridge_to_the_ecb(ecb):
    corporate = SeriesSource("corporate", "EUR", {"VND": [(date(2026, 1, 1), Decimal("27450"))],
                                                   "USD": [(date(2026, 6, 1), Decimal("1.25"))]})
    book = RateBook([corporate, ecb])
    vnd = book.convert(Money(27_450_000, "VND"), "EUR", date(2026, 3, 2))
    assert vnd.amount == Money("1000.00", "EUR") and vnd.source == "corporate" and vnd.rate_date == date(2026, 1, 1)
    # USD is corporate from June on; before that the ECB answers.
    assert book.convert(Money(125, "USD"), "EUR", date(2026, 7, 1)).amount == Money("100.00", "EUR")
    early = book.convert(Money(100, "USD"), "EUR", date(2026, 5, 4))
    assert early.source == "ecb"
    # VND to JPY: corporate for VND, the ECB for JPY.
    mixed = book.convert(Money(27_450_000, "VND"), "JPY", date(2026, 10, 30))
    assert mixed.source == "corporate+ecb"
    assert mixed.amount == Money("175680", "JPY")


def test_a_corporate_table_anchored_on_another_base_bridges_through_the_ecb(ecb):
    # A tenant whose base is USD: 1 USD = 26,000 VND. VND to EUR goes VND -> USD (corporate) -> EUR (ECB).
    corporate = SeriesSource("corporate", "USD", {"VND": [(date(2026, 1, 1), Decimal("26000"))]})
    conversion = RateBook([corporate, ecb]).convert(Money(26_000_000, "VND"), "EUR", date(2026, 10, 30))
    assert conversion.amount == Money(round(Decimal(1000) / Decimal("1.1172"), 2), "EUR")
    assert conversion.source == "corporate+ecb"


def test_a_source_that_fails_does_not_stop_the_others_and_its_reason_is_kept(ecb):
    class Offline:
        name, anchor = "live", "EUR"

        def quote(self, currency, on):
            if currency == "EUR":
                return Quote("EUR", "EUR", Decimal(1), on, "live")
            raise RateUnavailable(currency, on, "the live rate provider could not be reached")

    book = RateBook([ecb, Offline()])
    assert book.convert(Money(10, "USD"), "EUR", date(2026, 10, 30)).source == "ecb"
    with pytest.raises(RateUnavailable, match="could not be reached"):
        book.convert(Money(10, "VND"), "EUR", date(2026, 10, 30))


def test_same_currency_is_the_identity():
    conversion = RateBook([]).convert(Money("12.345", "EUR"), "EUR", date(2026, 1, 1))
    assert conversion.amount == Money("12.35", "EUR") and conversion.rate == 1 and conversion.source == "identity"


def test_rates_are_formatted_with_six_significant_digits_in_the_readers_notation():
    assert fx.format_rate(Decimal("27450"), "en") == "27,450"
    assert fx.format_rate(Decimal("0.919416"), "it") == "0,919416"
    assert fx.format_rate(Decimal("0.0000364298724954"), "en") == "0.0000364299"
    # Kept per rate and locale: the same rate in another notation, and back, each reads its own.
    for _ in range(2):
        assert fx.format_rate(Decimal("27450.5"), "it") == "27.450,5"
        assert fx.format_rate(Decimal("27450.5"), "en") == "27,450.5"
