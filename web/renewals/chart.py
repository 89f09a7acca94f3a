"""The renewals timeline as SVG: a bar per period's value, then a lane per contract: running, then from its
notice deadline to its end. Laid out here, drawn by templates/renewals/_calendar.html; no script, the CSP
stays strict. The picture holds no links: it is an image, and the table beside it is where each contract
opens (an svg with role=img full of links hides them from screen readers)."""
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
    show_label: bool
    show_value: bool


@dataclass
class Lane:
    """One contract's line on the chart; its SVG is kept under these values (web/row_cache.py)."""

    y: float
    label: str
    start_x: float
    notice_x: float
    end_x: float
    late: bool
    title: str

    def row_key(self) -> tuple:
        return (self.y, self.label, self.start_x, self.notice_x, self.end_x, self.late, self.title)


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


LABEL_GAP = 58.0  # pixels between two axis labels' centres ("Q4 2026", "thg 11 26") so they never overlap
VALUE_WIDTH = 62.0  # the narrowest bar that still carries its value above it


def timeline(cal: Calendar, *, format_money, format_date, lane_limit: int = 40) -> Timeline:
    """Totals per period as bars, then one lane per contract from its start (or the window's) to its end."""
    left, right, width = 230.0, 880.0, 900
    span = (cal.end - cal.start).days + 1

    def x(day: date) -> float:
        clamped = min(max(day, cal.start), cal.end + timedelta(days=1))
        return round(left + (clamped - cal.start).days / span * (right - left), 1)

    top, bar_area = 24.0, 110.0
    peak = max((p.total for p in cal.periods), default=Decimal(0)) or Decimal(1)
    bars = []
    last_label = -LABEL_GAP
    for period in cal.periods:
        x0, x1 = x(period.start), x(period.end + timedelta(days=1))
        height = float(period.total / peak) * bar_area if period.total else 0.0  # pixels, not money
        label = format_date(period.start, "QQQ yyyy" if cal.view == "quarter" else "MMM yy")
        centre = (x0 + x1) / 2
        # A period cut short by the window (a day of this month) keeps its bar but not a label that would
        # overlap its neighbour's; a long window labels every second or third period.
        show_label = x1 - x0 >= 12 and centre - last_label >= LABEL_GAP
        if show_label:
            last_label = centre
        bars.append(Bar(x0 + 2, max(x1 - x0 - 4, 1), round(top + bar_area - height, 1), round(height, 1), label,
                        format_money(Money(period.total, cal.currency).rounded()) if period.total else "",
                        show_label, bool(period.total) and x1 - x0 >= VALUE_WIDTH))
    axis_y = top + bar_area + 22
    lanes = []
    entries = [e for p in cal.periods for e in p.entries]
    today = date.today()
    for i, entry in enumerate(entries[:lane_limit]):
        c = entry.contract
        lanes.append(Lane(
            y=axis_y + 26 + i * 22, label=_short(f"{c.number} · {c.account_name}", 36), start_x=x(c.starts_on),
            notice_x=x(c.notice_deadline), end_x=x(c.ends_on),
            late=c.notice_deadline < today and c.status != Status.renewed.value,
            title=f"{c.number}: {format_date(c.notice_deadline, 'medium')} → {format_date(c.ends_on, 'medium')}"))
    height = int(axis_y + 40 + 22 * len(lanes))
    today_x = x(today) if cal.start <= today <= cal.end else None
    return Timeline(width, height, bars, lanes, today_x, axis_y, left, right, max(cal.count - len(lanes), 0))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
