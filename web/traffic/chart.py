"""Clicks, impressions and site visits per day as lines on one SVG (laid out here, drawn by a template), each line
scaled to its own largest value so a few clicks stay visible beside thousands of impressions; the table under the
chart holds the figures themselves."""
from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_date
from babel.numbers import format_decimal

from ..charts import Tick
from .service import Series


@dataclass
class Line:
    key: str  # clicks, impressions, visits: the CSS class
    label: str
    path: str
    peak: str  # the largest value, formatted


@dataclass
class TrafficChart:
    width: int
    height: int
    plot: tuple[float, float, float, float]
    lines: list[Line]
    x_ticks: list[Tick]


def traffic_chart(data: Series, labels: dict[str, str], locale: str, *, width: int = 760,
                  height: int = 260) -> TrafficChart | None:
    """One line per measure over the days of `data`; None when there are fewer than two days."""
    days = data.days
    if len(days) < 2:
        return None
    left, top, right, bottom = 16.0, 12.0, width - 16.0, height - 32.0
    span = len(days) - 1

    def x(i: int) -> float:
        return round(left + i / span * (right - left), 1)

    lines = []
    measures = [("clicks", [d.clicks for d in days]), ("impressions", [d.impressions for d in days])]
    if data.visits is not None:
        measures.append(("visits", [d.visits or 0 for d in days]))
    for key, values in measures:
        peak = max(values)
        scale = peak or 1

        def y(v: int, scale=scale) -> float:
            return round(bottom - v / scale * (bottom - top), 1)

        path = "M" + " L".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        lines.append(Line(key, labels[key], path, format_decimal(peak, locale=locale)))
    ticks = []
    count = 5
    for n in range(count):
        i = round(n * span / (count - 1))
        anchor = "start" if n == 0 else "end" if n == count - 1 else "middle"
        ticks.append(Tick(x(i), format_date(days[i].day, "d MMM", locale=locale), anchor))
    return TrafficChart(width, height, (left, top, right, bottom), lines, ticks)
