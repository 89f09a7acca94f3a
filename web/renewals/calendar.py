"""The renewals calendar's figures: contracts ending month by month or quarter by quarter, valued in the
reader's currency (each period's currencies converted before they are added)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from i18n.fx import RateUnavailable, add_up
from i18n.money import Money
from tenants.db import db
from tenants.models import Role, User

from ..contracts import service as contracts
from ..contracts.models import Contract, Status
from ..rates.service import current_book

CALENDAR_STATUSES = (Status.active.value, Status.expiring.value, Status.expired.value)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class Entry:
    contract: Contract
    converted: Money | None


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


PER_PERIOD = 25  # contracts listed in each period; the rest are a link to the filtered list


def build_calendar(user: User, role: Role | None, *, start: date, view: str, currency: str,
                   owner_id: int | None = None, country: str | None = None, account_id: int | None = None) -> Calendar:
    """Twelve months of contract end dates from `start`, grouped by month or quarter, valued in `currency`.

    One query reads every amount in range (totals convert before they add); then one query per period
    lists its first contracts. At most 13 queries, however many contracts end this year.
    """
    end = contracts.add_months(start, 12) - timedelta(days=1)
    filters = contracts.ListFilters(owner_id=owner_id, country=country, account_id=account_id, ends_from=start,
                                  ends_to=end)
    in_range = contracts.filtered(user, role, filters).where(Contract.status.in_(CALENDAR_STATUSES))
    step = 3 if view == "quarter" else 1
    periods = []
    cursor = start
    while cursor <= end:
        following = contracts.add_months(cursor, step)
        periods.append(Period(cursor, following - timedelta(days=1)))
        cursor = following
    book = current_book()
    today = date.today()
    missing: set[str] = set()
    rows = db.session.execute(in_range.with_only_columns(
        Contract.ends_on, Contract.base_amount, Contract.base_currency, Contract.value_amount, Contract.value_currency
    )).all()
    parts: list[list[tuple[str, Decimal]]] = [[] for _ in periods]
    for ends_on, base_amount, base_ccy, value_amount, value_ccy in rows:
        index = next(i for i, p in enumerate(periods) if p.start <= ends_on <= p.end)
        periods[index].count += 1
        # Signed contracts count at their locked base value; that base is then shown in the reader's currency.
        parts[index].append((base_ccy, base_amount) if base_amount is not None else (value_ccy, value_amount))
    for period, period_parts in zip(periods, parts):
        total = add_up(period_parts, currency, today, book=book)
        period.total = total.partial.amount  # the calendar says which currencies it leaves out
        missing.update(total.missing)
    # The first PER_PERIOD contracts of every period in one query: number them within their period.
    period_of = case(*[(and_(Contract.ends_on >= p.start, Contract.ends_on <= p.end), i)
                       for i, p in enumerate(periods)], else_=-1)
    ranked = in_range.with_only_columns(
        Contract.id, func.row_number().over(partition_by=period_of, order_by=(Contract.ends_on, Contract.id)).label("rn")
    ).subquery()
    listed = db.session.scalars(
        select(Contract).where(Contract.id.in_(select(ranked.c.id).where(ranked.c.rn <= PER_PERIOD)))
        .options(joinedload(Contract.account), joinedload(Contract.owner)).order_by(Contract.ends_on, Contract.id)
    ).unique()
    for contract in listed:
        period = next(p for p in periods if p.start <= contract.ends_on <= p.end)
        try:
            converted = book.convert(contract.base_value or contract.value, currency, today).amount
        except RateUnavailable:
            converted = None
        period.entries.append(Entry(contract, converted))
    grand = sum((p.total for p in periods), Decimal(0))
    return Calendar(start, end, view, currency, periods, Money(grand, currency).rounded(), sorted(missing))
