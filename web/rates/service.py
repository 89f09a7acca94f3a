"""Rate sources backed by the database, the book of the current tenant, and loading ECB files."""
from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app, g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, insert, select

from i18n import fx
from i18n.fx import Quote, RateBook, RateUnavailable, SeriesSource
from i18n.money import is_currency
from tenants import reference
from tenants.db import db
from tenants.models import Tenant
from tenants.pager import Keyset, Page
from tenants.scoping import current_tenant_id, prebuilt

from .models import CorporateRate, EcbLoad, EcbRate

# --- the ECB history, cached per process -----------------------------------------------------------

_cache_lock = threading.Lock()
_series: dict[str, SeriesSource] = {}  # one currency's whole history, sorted and indexed once
_generation: int | None = None
# Counts the times the cached ECB series were dropped: books sign with it (RateBook.signature), so a rate kept for a
# book is never one of an older series.
_epoch = 0
_checked_at = 0.0
CHECK_EVERY = 60.0  # seconds between looks at whether another process loaded a newer file


def _current_generation() -> int:
    return db.session.scalar(select(func.max(EcbLoad.id))) or 0


def _ensure_fresh() -> None:
    global _generation, _checked_at
    now = time.monotonic()
    if _generation is not None and now - _checked_at < CHECK_EVERY:
        return
    global _epoch
    generation = _current_generation()
    with _cache_lock:
        if generation != _generation:
            _series.clear()
            _generation = generation
            _epoch += 1
        _checked_at = now


def forget_cached_rates() -> None:
    global _generation, _epoch
    with _cache_lock:
        _series.clear()
        _generation = None
        _epoch += 1


def _ecb_source(currency: str) -> SeriesSource:
    """One currency's ECB history, read, sorted and indexed once per process (7,000 points a currency), not once
    per request; dropped when a newer file is loaded."""
    with _cache_lock:
        cached = _series.get(currency)
    if cached is not None:
        return cached
    rows = db.session.execute(
        select(EcbRate.day, EcbRate.rate).where(EcbRate.currency == currency).order_by(EcbRate.day)
    ).all()
    source = SeriesSource("ecb", "EUR", {currency: [(day, rate) for day, rate in rows]})
    with _cache_lock:
        _series[currency] = source
    return source


class EcbSource:
    """The ECB reference history from the shared table, one currency's series loaded on first use."""

    name = "ecb"
    anchor = "EUR"

    def __init__(self):
        _ensure_fresh()

    @staticmethod
    def _source(currency: str) -> SeriesSource:
        return _ecb_source(currency)

    def quote(self, currency: str, on: date) -> Quote | None:
        if currency == self.anchor:
            return Quote(currency, self.anchor, Decimal(1), on, self.name)
        return self._source(currency).quote(currency, on)

    def history(self, currency: str, start: date, end: date):
        return self._source(currency).history(currency, start, end)

    @staticmethod
    def snapshot(on: date, window_days: int = 14) -> SeriesSource:
        """The rates of the last fortnight the ECB published up to `on` (two queries, whatever the size)."""
        latest = db.session.scalar(select(func.max(EcbRate.day)).where(EcbRate.day <= on)) or on
        since = date.fromordinal(latest.toordinal() - window_days)
        rows = db.session.execute(
            select(EcbRate.currency, EcbRate.day, EcbRate.rate).where(EcbRate.day > since, EcbRate.day <= latest)
        ).all()
        series: dict[str, list[tuple[date, Decimal]]] = {}
        for currency, day, rate in rows:
            series.setdefault(currency, []).append((day, rate))
        return SeriesSource("ecb", "EUR", series)


# Read by every page that converts money (a list's total): built once.
_CORPORATE = prebuilt(select(CorporateRate.currency, CorporateRate.day, CorporateRate.rate)
                      .where(CorporateRate.base_currency == bindparam("anchor")))


reference.watch(CorporateRate)

# Series built from a tenant's corporate rates, by base currency and rows: (anchor, rows) -> series.
_corporate_series: dict[tuple, SeriesSource] = {}


class CorporateSource:
    """The tenant's own rates against its base currency, all loaded in one query when first asked."""

    name = "corporate"

    def __init__(self, base_currency: str):
        self.anchor = base_currency
        self._source: SeriesSource | None = None

    def _load(self) -> SeriesSource:
        if self._source is None:
            # Reference data, read by every page that converts money: kept per process until the workspace's
            # corporate rates change (tenants.reference).
            rows = reference.kept("corporate_rates:" + self.anchor, lambda _session: tuple(
                map(tuple, db.session.execute(_CORPORATE, {"anchor": self.anchor}))))
            key = (self.anchor, rows)
            # The same rows make the same series object: a book's signature names it, so rates found with it hold.
            found = _corporate_series.get(key)
            if found is None:
                series: dict[str, list[tuple[date, Decimal]]] = {}
                for currency, day, rate in rows:
                    series.setdefault(currency, []).append((day, rate))
                found = SeriesSource(self.name, self.anchor, series)
                with _cache_lock:
                    if len(_corporate_series) >= 1024:
                        _corporate_series.clear()
                    _corporate_series[key] = found
            self._source = found
        return self._source

    def quote(self, currency: str, on: date) -> Quote | None:
        return self._load().quote(currency, on)

    def currencies(self) -> set[str]:
        return self._load().currencies()

    def history(self, currency: str, start: date, end: date):
        return self._load().history(currency, start, end)


class LiveSource:
    """An optional live provider, asked with a hard deadline and never trusted to answer.

    Any service that answers GET <url>/<YYYY-MM-DD|latest>?from=EUR with {"rates": {"USD": 1.08, ...}}
    will do; the default is Frankfurter (api.frankfurter.app), which republishes the ECB's rates daily.
    """

    name = "live"
    anchor = "EUR"

    def __init__(self, timeout: float, url: str):
        self.timeout = timeout
        self.url = url.rstrip("/")
        self._by_day: dict[date, dict[str, Decimal] | Exception] = {}

    def _fetch(self, on: date) -> dict[str, Decimal]:
        day = "latest" if on >= date.today() else on.isoformat()
        with urllib.request.urlopen(f"{self.url}/{day}?from=EUR", timeout=self.timeout) as response:  # noqa: S310
            payload = json.loads(response.read(), parse_float=Decimal)
        return {code: Decimal(str(value)) for code, value in payload.get("rates", {}).items()}

    def _rates(self, on: date) -> dict[str, Decimal]:
        if on not in self._by_day:
            # A thread with a deadline: even a DNS lookup that hangs cannot hold the page.
            pool = ThreadPoolExecutor(max_workers=1)
            future = pool.submit(self._fetch, on)
            try:
                self._by_day[on] = future.result(timeout=self.timeout + 0.5)
            except FutureTimeout:
                self._by_day[on] = TimeoutError(f"no answer within {self.timeout:g} s")
            except Exception as exc:  # any failure of the network or the provider
                self._by_day[on] = exc
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
        result = self._by_day[on]
        if isinstance(result, Exception):
            raise RateUnavailable("EUR", on, str(_l("the live rate provider could not be reached (%(error)s)",
                                                    error=type(result).__name__)))
        return result

    def quote(self, currency: str, on: date) -> Quote | None:
        if currency == self.anchor:
            return Quote(currency, self.anchor, Decimal(1), on, self.name)
        rate = self._rates(on).get(currency)
        return None if rate is None else Quote(currency, self.anchor, rate, on, self.name)


def book_for(tenant: Tenant | None) -> RateBook:
    """The sources in order: the tenant's corporate rates, the ECB history, then the live provider."""
    sources = []
    if tenant is not None:
        sources.append(CorporateSource(tenant.base_currency))
    if tenant is None or tenant.fx_use_ecb:
        sources.append(EcbSource())
    live_allowed = current_app.config["FX_LIVE_ENABLED"]
    if tenant is not None and tenant.fx_use_live and live_allowed:
        sources.append(LiveSource(current_app.config["FX_LIVE_TIMEOUT"], current_app.config["FX_LIVE_URL"]))
    epoch = _epoch
    return RateBook(sources, signature=lambda: _signature(sources, epoch))


def _signature(sources, epoch: int):
    """What a book's sources hold, as a key its rates can be kept under: the corporate series itself (one object
    per set of rows) and the ECB cache's epoch. None with a live provider: its answers are asked, not kept."""
    parts = []
    for source in sources:
        if isinstance(source, CorporateSource):
            parts.append(source._load())
        elif isinstance(source, EcbSource):
            parts.append(("ecb", epoch))
        else:
            return None
    return tuple(parts)


def current_book() -> RateBook:
    """The current tenant's book (from the request, or the tenant context of a CLI job), built once per context."""
    if not has_app_context():
        raise RuntimeError("exchange rates need an app context")
    tenant_id = current_tenant_id()
    books = g.setdefault("_rate_books", {})
    book = books.get(tenant_id)
    if book is None:
        tenant = g.get("tenant")
        if tenant is None or tenant.id != tenant_id:
            tenant = db.session.get(Tenant, tenant_id) if tenant_id is not None else None
        book = books[tenant_id] = book_for(tenant)
    return book



# --- loading ECB files ------------------------------------------------------------------------------


class LoadError(RuntimeError):
    """An ECB file that could not be fetched or read."""


def fetch_url(url: str, timeout: float) -> bytes:
    """Download with a deadline: offline, this fails quickly with a message instead of hanging."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (admin-given URL)
            return response.read()
    except (OSError, ValueError) as exc:
        raise LoadError(f"could not download {url}: {exc}") from exc


def load_ecb(data: bytes, origin: str) -> EcbLoad:
    """Add every (currency, day) the table lacks; running the same file again adds nothing."""
    try:
        figures = list(fx.parse_ecb_csv(fx.read_ecb_text(data)))
    except (ValueError, UnicodeDecodeError, InvalidOperation) as exc:
        raise LoadError(f"not an ECB reference rate file: {exc}") from exc
    if not figures:
        raise LoadError("the file holds no rates")
    existing = {(currency, day) for currency, day in db.session.execute(select(EcbRate.currency, EcbRate.day))}
    new = [{"currency": c, "day": d, "rate": r} for c, d, r in figures if (c, d) not in existing]
    for start in range(0, len(new), 5000):
        db.session.execute(insert(EcbRate), new[start:start + 5000])
    load = EcbLoad(origin=origin[:500], added=len(new), latest_day=max(d for _, d, _ in figures))
    db.session.add(load)
    db.session.commit()
    forget_cached_rates()
    return load


# --- corporate rates -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    added: int
    updated: int
    errors: list[tuple[int, str]]


def set_corporate_rate(tenant: Tenant, *, currency: str, day: date, rate: Decimal, note: str | None,
                       user_id: int | None) -> tuple[CorporateRate, bool]:
    """Add or replace the tenant's rate for a currency and day; returns (row, created)."""
    row = db.session.scalar(select(CorporateRate).where(
        CorporateRate.currency == currency, CorporateRate.day == day, CorporateRate.base_currency == tenant.base_currency))
    created = row is None
    if created:
        row = CorporateRate(currency=currency, base_currency=tenant.base_currency, day=day, created_by_id=user_id)
        db.session.add(row)
    row.rate, row.note = rate, note
    return row, created


CSV_HEADERS = {"currency", "date", "rate"}


def import_corporate_csv(tenant: Tenant, text: str, user_id: int | None) -> ImportResult:
    """Rows of currency,date,rate (1 base = rate currency); bad lines are reported by number, good ones kept."""
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = {h.strip().lower() for h in (reader.fieldnames or [])}
    if not CSV_HEADERS <= headers:
        return ImportResult(0, 0, [(1, str(_l("The first line must name the columns currency, date and rate.")))])
    added = updated = 0
    errors: list[tuple[int, str]] = []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        currency = row["currency"].upper()
        if not is_currency(currency):
            errors.append((line, str(_l("unknown currency %(code)s", code=row["currency"] or "-"))))
            continue
        if currency == tenant.base_currency:
            errors.append((line, str(_l("%(code)s is the base currency", code=currency))))
            continue
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            errors.append((line, str(_l("the date must look like 2026-01-31"))))
            continue
        try:
            rate = Decimal(row["rate"].replace(",", "."))
        except InvalidOperation:
            errors.append((line, str(_l("the rate is not a number"))))
            continue
        if not rate.is_finite() or rate <= 0 or rate.as_tuple().exponent < -10 or rate >= Decimal("1e8"):
            errors.append((line, str(_l("the rate must be positive, below 100,000,000 and have at most 10 decimals"))))
            continue
        _, created = set_corporate_rate(tenant, currency=currency, day=day, rate=rate, note=None, user_id=user_id)
        added += created
        updated += not created
    db.session.commit()
    return ImportResult(added, updated, errors)


NEWEST_FIRST = Keyset(CorporateRate.day.desc(), CorporateRate.id.desc())


def corporate_rates_page(*, currency: str | None, after: str | None, limit: int = 50) -> Page:
    """The tenant's corporate rates, newest first, a keyset page at a time."""
    stmt = select(CorporateRate)
    if currency:
        stmt = stmt.where(CorporateRate.currency == currency)
    return NEWEST_FIRST.page(stmt, after, limit=limit)


def delete_corporate_rate(rate_id: int) -> bool:
    return bool(db.session.execute(delete(CorporateRate).where(CorporateRate.id == rate_id)).rowcount)


# --- what the rates page shows ------------------------------------------------------------------------


@dataclass
class TodayRate:
    currency: str
    rate: Decimal  # units of currency per 1 base
    inverse: Decimal
    day: date
    source: str
    stale: bool


def todays_rates(tenant: Tenant, on: date) -> list[TodayRate]:
    """Every currency we can quote against the base currency today, with its date and source."""
    corporate = CorporateSource(tenant.base_currency)
    sources: list = [corporate]
    snapshot = EcbSource.snapshot(on) if tenant.fx_use_ecb else None
    if snapshot is not None:
        sources.append(snapshot)
    book = RateBook(sources)
    currencies = corporate.currencies() | (snapshot.currencies() if snapshot else set())
    rows = []
    for currency in sorted(c for c in currencies if c != tenant.base_currency and is_currency(c)):
        try:
            rate, day, source = book.rate(tenant.base_currency, currency, on)
        except RateUnavailable:
            continue
        # A corporate rate holds until replaced; a published rate more than a week old is worth a warning.
        stale = "corporate" not in source and (on - day).days > 7
        rows.append(TodayRate(currency, rate, fx._significant(1 / rate), day, source, stale))
    return rows


def pair_history(book: RateBook, source_currency: str, target: str, start: date, end: date) -> list[tuple[date, Decimal]]:
    """The pair's rate on every day either side published something, from the book's sources."""
    days: set[date] = set()
    for source in book.sources:
        history = getattr(source, "history", None)
        if history is None:
            continue
        for currency in {source_currency, target} - {source.anchor}:
            days.update(d for d, _ in history(currency, start, end))
    series = []
    for day in sorted(days):
        try:
            rate, _, _ = book.rate(source_currency, target, day)
        except RateUnavailable:
            continue
        series.append((day, rate))
    return series
