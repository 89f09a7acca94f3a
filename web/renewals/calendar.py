"""The renewals calendar's figures: contracts ending in a window of time (the next 12 months by default),
grouped month by month or quarter by quarter, valued in the reader's currency (each period's currencies
converted before they are added)."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Date, String, bindparam, case, false, func, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from i18n.fx import RateUnavailable, add_up
from i18n.money import Money
from tenants.db import db
from tenants.models import SEES_ALL, Role, User
from tenants.pgcursor import custom_plan
from tenants.scoping import built_once
from tenants.shapes import rule_of

from ..contracts import service as contracts
from ..contracts.models import Contract, ContractRollup, Status
from ..rates.service import current_book

CALENDAR_STATUSES = (Status.active.value, Status.expiring.value, Status.expired.value)
MAX_YEARS = 10  # the longest window drawn: a mistyped year 2207 costs ten years of periods, not two centuries
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


class month_of(FunctionElement):
    """A date column's month as 'YYYY-MM', the calendar's grouping key. On SQLite, where a date is stored as that text,
    the first seven characters: strftime() twice (year, then month) for each of a window's rows was half the cost
    of the calendar's sums (315 against 182 us at 1,000 contracts)."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(month_of)
def _month_of(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def _first_of(key: str) -> date:
    return date(int(key[:4]), int(key[5:7]), 1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_start(day: date, view: str) -> date:
    return quarter_start(day) if view == "quarter" else day.replace(day=1)


def period_end(day: date, view: str) -> date:
    return contracts.add_months(period_start(day, view), 3 if view == "quarter" else 1) - timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """Which contract end dates the calendar shows: `kind` is "next12" (the default), "all" (from today to the
    last one) or "dates" (chosen); `end` None means up to the last contract that ends."""
    kind: str
    start: date
    end: date | None


def _day(text: str | None) -> date | None:
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def next_12_months(today: date) -> date:
    return contracts.add_months(today, 12) - timedelta(days=1)


def window_from(args, today: date) -> Window:
    """The window a URL asks for: from/to dates, else everything ahead (window=all), else the next 12 months.

    An address from before windows existed (start=2026-10, twelve months from that month) keeps working.
    """
    first, last = _day(args.get("from")), _day(args.get("to"))
    if first is None and last is None and args.get("start"):
        first = _day(f"{args['start']}-01")
        last = next_12_months(first) if first else None
    if first or last:
        first = first or today
        if last and last < first:
            first, last = last, first
        return Window("dates", first, last)
    if args.get("window") == "all":
        return Window("all", today, None)
    return Window("next12", today, next_12_months(today))


@dataclass
class Entry:
    contract: contracts.ListRow
    converted: Money | None

    def row_key(self) -> tuple:
        """Everything the table's row shows (its HTML is kept under it: web/row_cache.py)."""
        return (self.contract, self.converted)


@dataclass
class Period:
    start: date
    end: date
    entries: list[Entry] = field(default_factory=list)
    total: Decimal = Decimal(0)
    count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


@dataclass
class Calendar:
    start: date
    end: date
    view: str
    currency: str
    periods: list[Period]
    total: Money
    missing_rates: list[str]

    @property
    def count(self) -> int:
        return sum(p.count for p in self.periods)


PER_PERIOD = 10  # contracts listed in each period (a page of about 50 over a year of quarters); the rest: a link


def _rollup_answers(country: str | None, account_id: int | None) -> bool:
    """Whether contract_rollups can sum this window: not when a filter needs the contracts' accounts."""
    return country is None and account_id is None


def _firsts_statement(user: User, role: Role | None, filters: contracts.ListFilters, count: int):
    """The first PER_PERIOD contracts of each of `count` periods, their bounds parameters (from_0, to_0, ...) beside
    the filters' (contracts.BOUND): built once per kind of reader, set of filters and number of periods, not on each
    view (building the dozen subqueries and working out their cache key was a sixth of the page). Each period reads within its own bounds only: with the window's
    bounds beside them, SQLite started every period's walk of the index at the window's first day (23 ms at
    100,000 contracts instead of 1)."""
    def build():
        base = (contracts.filtered(user, role, replace(filters, ends_from=None, ends_to=None))
                .where(Contract.status.in_(CALENDAR_STATUSES)).with_only_columns(Contract.id))
        tops = [select(top.c.id) for top in (
            base.where(Contract.ends_on >= bindparam(f"from_{i}", type_=Date),
                       Contract.ends_on <= bindparam(f"to_{i}", type_=Date))
            .order_by(Contract.ends_on, Contract.id).limit(PER_PERIOD).subquery() for i in range(count))]
        return contracts.with_list_columns(select(Contract).where(
            Contract.id.in_(union_all(*tops) if count > 1 else tops[0])))

    return built_once(build, *contracts.BOUND.shape(role, replace(filters, ends_from=None, ends_to=None)), count)


def _rollup_sums(role: Role | None, by_owner: bool):
    """The calendar's sums per month and currency from the rollup, built once per kind of reader (and whether a rep
    is chosen): the window ("sums_from", "sums_to"), the reader and the rep chosen are parameters."""
    rollup = ContractRollup
    month = month_of(rollup.ends_on)
    stmt = select(month, rollup.currency, func.sum(rollup.amount), func.sum(rollup.contracts)).where(
        rollup.status.in_(CALENDAR_STATUSES), rollup.ends_on >= bindparam("sums_from", type_=Date),
        rollup.ends_on <= bindparam("sums_to", type_=Date))
    if role == Role.rep:
        stmt = stmt.where(rollup.owner_id == bindparam("contracts_reader"))
    elif role not in SEES_ALL:
        stmt = stmt.where(false())
    if by_owner:
        stmt = stmt.where(rollup.owner_id == bindparam("sums_owner"))
    # Planned for each window (tenants.pgcursor.custom_plan): planned once, a year of end dates was two rows.
    return custom_plan(stmt.group_by(month, rollup.currency).having(func.sum(rollup.contracts) > 0))


def build_calendar(user: User, role: Role | None, *, start: date, end: date | None, view: str, currency: str,
                   owner_id: int | None = None, country: str | None = None, account_id: int | None = None) -> Calendar:
    """Contract end dates from `start` to `end` (None: to the last one, and at least twelve months), grouped by
    month or quarter, valued in `currency`.

    One query reads every amount in range (totals convert before they add); one more lists the first
    contracts of every period. Two queries, whatever the window and however many contracts end in it.
    """
    limit = min(contracts.add_months(start, 12 * MAX_YEARS) - timedelta(days=1), LATEST)
    filters = contracts.ListFilters(owner_id=owner_id, country=country, account_id=account_id, ends_from=start,
                                    ends_to=min(end, limit) if end else limit)
    # Sums per calendar month and currency, in SQL: from the rollup of contracts per end day (kept by triggers) when
    # no filter needs the accounts, a few rows a day whatever the tenant holds; else from the contracts in range.
    if _rollup_answers(country, account_id):
        stmt = built_once(lambda: _rollup_sums(role, bool(owner_id)), rule_of(role), bool(owner_id))
        sums = db.session.execute(stmt, {"sums_from": filters.ends_from, "sums_to": filters.ends_to,
                                         "contracts_reader": user.id, "sums_owner": owner_id}).all()
    else:
        in_range = contracts.filtered(user, role, filters).where(Contract.status.in_(CALENDAR_STATUSES))
        signed = Contract.base_amount.is_not(None)
        currency_of = case((signed, Contract.base_currency), else_=Contract.value_currency)
        amount_of = case((signed, Contract.base_amount), else_=Contract.value_amount)
        month = month_of(Contract.ends_on)
        sums = db.session.execute(in_range.with_only_columns(
            month, currency_of, func.sum(amount_of), func.count()).group_by(month, currency_of)).all()
    months = [(_first_of(key), ccy, amount, n) for key, ccy, amount, n in sums]
    if end is None:  # everything ahead: to the end of the period of the last contract, never less than a year
        last = max((first for first, *_ in months), default=start)
        end = period_end(max(last, next_12_months(start)), view)
    end = min(end, limit)
    periods = []
    cursor = start
    while cursor <= end:  # calendar months or quarters; the first and last may be cut by the window
        following = contracts.add_months(period_start(cursor, view), 3 if view == "quarter" else 1)
        periods.append(Period(cursor, min(following - timedelta(days=1), end)))
        cursor = following
    starts = [p.start for p in periods]

    def period_of(day: date) -> Period:
        return periods[max(bisect_right(starts, day) - 1, 0)]

    book = current_book()
    today = date.today()
    missing: set[str] = set()
    parts: dict[date, list[tuple[str, Decimal]]] = {p.start: [] for p in periods}
    for first, ccy, amount, n in months:
        if first > end:
            continue
        period = period_of(first)  # the window's first month may start mid-month: it is the first period's
        period.count += n
        # Signed contracts count at their locked base value; that base is then shown in the reader's currency.
        parts[period.start].append((ccy, amount))
    for period in periods:
        total = add_up(parts[period.start], currency, today, book=book)
        period.total = total.partial.amount  # the calendar says which currencies it leaves out
        missing.update(total.missing)
    # The first PER_PERIOD contracts of every period: one LIMIT per period on the end-date index, in one query.
    # Sorted here, not by SQL: an ORDER BY on the outer query makes SQLite walk the tenant's end-date index
    # and test each row against the list, instead of fetching the listed ids.
    bounds = {}
    for i, p in enumerate(periods):
        bounds[f"from_{i}"], bounds[f"to_{i}"] = p.start, p.end
    listed = sorted(map(contracts.ListRow._make, db.session.execute(
        _firsts_statement(user, role, filters, len(periods)), {**contracts.BOUND.values(user, filters), **bounds})),
        key=lambda c: (c.ends_on, c.id)) \
        if periods else []
    for contract in listed:
        try:
            converted = book.converted(contract.base_value or contract.value, currency, today)
        except RateUnavailable:
            converted = None
        period_of(contract.ends_on).entries.append(Entry(contract, converted))
    grand = sum((p.total for p in periods), Decimal(0))
    return Calendar(start, end, view, currency, periods, Money(grand, currency).rounded(), sorted(missing))


def ended_without_renewal(user: User, role: Role | None, *, owner_id: int | None = None, country: str | None = None,
                          account_id: int | None = None) -> int:
    """How many contracts have ended and are neither renewed nor cancelled: a window from today hides them."""
    filters = contracts.ListFilters(owner_id=owner_id, country=country, account_id=account_id,
                                    status=Status.expired.value)
    stmt = built_once(lambda: contracts.filtered(
        user, role, filters).with_only_columns(func.count(Contract.id)), *contracts.BOUND.shape(role, filters))
    return db.session.scalar(stmt, contracts.BOUND.values(user, filters)) or 0
