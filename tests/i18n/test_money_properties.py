"""Property tests: amounts up to 10^13 with 4 decimals store and sum exactly on the test's database,
and converting there and back stays within one minor unit."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, func, insert, select

from i18n import fx
from i18n.fx import RateBook, SeriesSource
from i18n.money import Money, ScaledDecimal, minor_units

from ..conftest import PG_ADMIN_URL, PG_URL, _sqlalchemy_url

amounts = st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=4,
                      allow_nan=False, allow_infinity=False)

probe_metadata = MetaData()
probe = Table("money_probe", probe_metadata, Column("id", Integer, primary_key=True),
              Column("amount", ScaledDecimal(4), nullable=False))


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    # A scratch table outside the app's schema: this checks the column type itself on the real database.
    url = _sqlalchemy_url(PG_ADMIN_URL) if PG_URL else f"sqlite:///{tmp_path_factory.mktemp('money') / 'm.sqlite3'}"
    engine = create_engine(url)
    probe_metadata.drop_all(engine)
    probe_metadata.create_all(engine)
    yield engine
    probe_metadata.drop_all(engine)
    engine.dispose()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(amounts, min_size=1, max_size=40))
def test_amounts_store_and_sum_exactly(engine, values):
    with engine.begin() as conn:
        conn.execute(probe.delete())
        conn.execute(insert(probe), [{"amount": v} for v in values])
        stored = [row.amount for row in conn.execute(select(probe.c.amount).order_by(probe.c.id))]
        total = conn.execute(select(func.sum(probe.c.amount))).scalar()
    assert stored == values
    assert all(isinstance(v, Decimal) for v in stored)
    assert total == sum(values)


def test_the_famous_sqlite_float_loss_does_not_happen(engine):
    value = Decimal("12345678901234.5678") / 10  # 1234567890123.45678 has 5 decimals: refused, not rounded
    with engine.begin() as conn, pytest.raises(Exception, match="more than 4 decimal places"):
        conn.execute(insert(probe), [{"amount": value}])
    with engine.begin() as conn:
        conn.execute(probe.delete())
        conn.execute(insert(probe), [{"amount": Decimal("9999999999999.9999")}])
        assert conn.execute(select(probe.c.amount)).scalar() == Decimal("9999999999999.9999")


@pytest.fixture(scope="module")
def book():
    series = {}
    for currency, day, rate in fx.parse_ecb_csv(fx.read_ecb_text(fx.bundled_ecb_file().read_bytes())):
        series.setdefault(currency, []).append((day, rate))
    corporate = SeriesSource("corporate", "EUR", {"VND": [(date(2020, 1, 1), Decimal("26000"))],
                                                   "AED": [(date(2020, 1, 1), Decimal("4.05"))]})
    return RateBook([corporate, SeriesSource("ecb", "EUR", series)])


CURRENCIES = ["EUR", "USD", "JPY", "GBP", "CHF", "VND", "AED", "HUF", "KRW", "SEK"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cents=st.integers(min_value=1, max_value=10**15),
    source=st.sampled_from(CURRENCIES),
    target=st.sampled_from(CURRENCIES),
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 10, 30)),
)
def test_there_and_back_stays_within_one_minor_unit(book, cents, source, target, day):
    """x -> target -> source lands within one minor unit of the coarser of the two currencies.

    Rounding in the target loses up to half of its minor unit; seen from the source that is worth
    half a target unit times the rate back, so the bound is the larger of the two minor units.
    """
    amount = (Decimal(cents) / 100).quantize(Decimal(1).scaleb(-minor_units(source)), rounding=ROUND_HALF_UP)
    if amount == 0:
        return
    there = book.convert(Money(amount, source), target, day)
    back = book.convert(there.amount, source, day)
    unit_source = Decimal(1).scaleb(-minor_units(source))
    unit_target_in_source = Decimal(1).scaleb(-minor_units(target)) / there.rate
    assert abs(back.amount.amount - amount) <= max(unit_source, unit_target_in_source)
