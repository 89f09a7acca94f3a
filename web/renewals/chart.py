"""The renewals timeline as SVG: a bar per period's value, then a lane per contract from its notice deadline
to its end. Laid out here, drawn by templates/renewals/_calendar.html; no script, the CSP stays strict."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from i18n.money import Money

from ..contracts.models import Status
from .calendar import Calendar


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
