"""What expires when: the renewals calendar, its data, and the private iCal feed of each person."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants.db import db, utcnow
from tenants.models import Role, User

from . import service
from .models import CalendarFeed, Contract, Deliverable, DeliverableStatus, Status

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
                   owner_id: int | None = None, country: str | None = None, account_id: int | None = None,
                   base_currency: str) -> Calendar:
    """Twelve months of contract end dates from `start`, grouped by month or quarter, valued in `currency`.

    One query reads every amount in range (totals convert before they add); then one query per period
    lists its first contracts. At most 13 queries, however many contracts end this year.
    """
    end = service.add_months(start, 12) - timedelta(days=1)
    filters = service.ListFilters(owner_id=owner_id, country=country, account_id=account_id, ends_from=start,
                                  ends_to=end)
    in_range = service._filtered(user, role, filters).where(Contract.status.in_(CALENDAR_STATUSES))
    step = 3 if view == "quarter" else 1
    periods = []
    cursor = start
    while cursor <= end:
        following = service.add_months(cursor, step)
        periods.append(Period(cursor, following - timedelta(days=1)))
        cursor = following
    book = service.current_book()
    today = date.today()
    missing: set[str] = set()
    rows = db.session.execute(in_range.with_only_columns(
        Contract.ends_on, Contract.base_amount, Contract.base_currency, Contract.value_amount, Contract.value_currency
    )).all()
    sums: dict[tuple[int, str], Decimal] = {}
    for ends_on, base_amount, base_ccy, value_amount, value_ccy in rows:
        index = next(i for i, p in enumerate(periods) if p.start <= ends_on <= p.end)
        periods[index].count += 1
        # Signed contracts count at their locked base value; that base is then shown in the reader's currency.
        amount, ccy = (base_amount, base_ccy) if base_amount is not None else (value_amount, value_ccy)
        sums[(index, ccy)] = sums.get((index, ccy), Decimal(0)) + amount
    for (index, ccy), amount in sums.items():
        try:
            periods[index].total += book.convert(Money(amount, ccy), currency, today).amount.amount
        except RateUnavailable as exc:
            missing.add(exc.currency)
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


# --- the SVG timeline -----------------------------------------------------------------------------------


@dataclass
class Bar:
    x: float
    width: float
    y: float
    height: float
    label: str
    value_label: str


@dataclass
class Lane:
    y: float
    label: str
    notice_x: float
    end_x: float
    overdue_notice: bool
    href: str
    title: str


@dataclass
class Timeline:
    width: int
    height: int
    bars: list[Bar]
    lanes: list[Lane]
    today_x: float | None
    axis_y: float
    left: float
    right: float
    hidden: int


def timeline(cal: Calendar, *, url_for_contract, format_money, format_date, lane_limit: int = 40) -> Timeline:
    """Totals per period as bars, then one lane per contract from its notice deadline to its end date."""
    left, right, width = 230.0, 880.0, 900
    span = (cal.end - cal.start).days + 1

    def x(day: date) -> float:
        clamped = min(max(day, cal.start), cal.end + timedelta(days=1))
        return round(left + (clamped - cal.start).days / span * (right - left), 1)

    top, bar_area = 24.0, 110.0
    peak = max((p.total for p in cal.periods), default=Decimal(0)) or Decimal(1)
    bars = []
    for period in cal.periods:
        x0, x1 = x(period.start), x(period.end + timedelta(days=1))
        height = float(period.total / peak) * bar_area if period.total else 0.0  # pixels, not money
        label = format_date(period.start, "QQQ yyyy" if cal.view == "quarter" else "MMM yy")
        bars.append(Bar(x0 + 3, max(x1 - x0 - 6, 1), round(top + bar_area - height, 1), round(height, 1), label,
                        format_money(Money(period.total, cal.currency).rounded()) if period.total else ""))
    axis_y = top + bar_area + 22
    lanes = []
    entries = [e for p in cal.periods for e in p.entries]
    total_count = sum(p.count for p in cal.periods)
    today = date.today()
    for i, entry in enumerate(entries[:lane_limit]):
        c = entry.contract
        lanes.append(Lane(
            y=axis_y + 26 + i * 22, label=_short(f"{c.number} · {c.account.name}", 36), notice_x=x(c.notice_deadline),
            end_x=x(c.ends_on), overdue_notice=c.notice_deadline < today and c.status != Status.renewed.value,
            href=url_for_contract(c), title=f"{c.number}: {format_date(c.notice_deadline, 'medium')} → "
                                            f"{format_date(c.ends_on, 'medium')}"))
    height = int(axis_y + 40 + 22 * len(lanes))
    today_x = x(today) if cal.start <= today <= cal.end else None
    return Timeline(width, height, bars, lanes, today_x, axis_y, left, right, max(total_count - len(lanes), 0))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the private calendar feed ----------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def reset_feed(user: User) -> str:
    """A new secret address for the person's feed (the old one stops working); returns the token once."""
    token = secrets.token_urlsafe(24)
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token_hash=_digest(token))
        db.session.add(feed)
    else:
        feed.token_hash = _digest(token)
        feed.created_at = utcnow()
        feed.last_used_at = None
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _digest(token)))
    if feed is None:
        return None
    feed.last_used_at = utcnow()
    db.session.commit()
    return db.session.get(User, feed.user_id)


def feed_items(user: User) -> tuple[list[Contract], list[Deliverable]]:
    """The person's own: contracts they sell or coordinate, and deliverables they are responsible for."""
    contracts = list(db.session.scalars(
        select(Contract).where(or_(Contract.owner_id == user.id, Contract.coordinator_id == user.id),
                               Contract.status.in_((Status.draft.value,) + CALENDAR_STATUSES))
        .options(selectinload(Contract.account)).order_by(Contract.ends_on)
    ))
    deliverables = list(db.session.scalars(
        select(Deliverable).where(Deliverable.responsible_id == user.id,
                                  Deliverable.status.in_([DeliverableStatus.planned.value,
                                                          DeliverableStatus.in_progress.value]))
        .options(selectinload(Deliverable.contract).selectinload(Contract.account), selectinload(Deliverable.kind))
        .order_by(Deliverable.due_on)
    ))
    return contracts, deliverables


def ical(user: User, tenant, *, texts, url_for_contract) -> bytes:
    """The person's items as an RFC 5545 calendar of all-day events (Google, Outlook and Apple read it)."""
    from icalendar import Calendar as ICalendar
    from icalendar import Event

    contracts, deliverables = feed_items(user)
    cal = ICalendar()
    cal.add("prodid", "-//Coordina//Renewals//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", texts["calendar_name"])
    cal.add("x-published-ttl", "PT1H")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    host = f"{tenant.slug}.coordina"

    def event(uid: str, day: date, summary: str, description: str, url: str):
        ev = Event()
        ev.add("uid", f"{uid}@{host}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("summary", summary)
        ev.add("description", description)
        ev.add("url", url)
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)

    for c in contracts:
        url = url_for_contract(c)
        event(f"contract-{c.id}-end", c.ends_on, texts["ends"](c), texts["contract_description"](c), url)
        if c.status != Status.draft.value:
            event(f"contract-{c.id}-notice", c.notice_deadline, texts["notice"](c), texts["contract_description"](c),
                  url)
    for d in deliverables:
        event(f"deliverable-{d.id}-due", d.due_on, texts["due"](d), texts["deliverable_description"](d),
              url_for_contract(d.contract))
    return cal.to_ical()
