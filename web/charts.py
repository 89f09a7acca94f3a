"""Server-rendered SVG charts: the numbers are laid out here, the templates draw them.

Labels are formatted for the reader's locale; no script is needed and the CSP stays strict.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal


@dataclass
class Tick:
    pos: float
    label: str
    anchor: str = "middle"


@dataclass
class LineChart:
    width: int
    height: int
    path: str
    points: list[tuple[float, float]]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    first: tuple[date, Decimal]
    last: tuple[date, Decimal]
    low: tuple[date, Decimal]
    high: tuple[date, Decimal]


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _decimals_for(step: float) -> int:
    text = f"{step:.10f}".rstrip("0")
    return max(0, len(text.split(".")[1]) if "." in text else 0)


def line_chart(series: list[tuple[date, Decimal]], locale: str, *, width: int = 760, height: int = 300,
               max_points: int = 600) -> LineChart | None:
    """Lay out a dated series as an SVG polyline with labelled axes; None when there is nothing to draw."""
    if len(series) < 2:
        return None
    if len(series) > max_points:
        step = len(series) / max_points
        sampled = [series[int(i * step)] for i in range(max_points)]
        series = sampled + ([series[-1]] if sampled[-1] != series[-1] else [])
    left, top, right, bottom = 72.0, 16.0, width - 16.0, height - 36.0
    values = [float(v) for _, v in series]  # pixel geometry only: the labels below format the Decimals
    lo, hi = min(values), max(values)
    if hi == lo:
        hi, lo = hi + abs(hi) * 0.01 + 1e-9, lo - abs(lo) * 0.01 - 1e-9
    step = _nice_step(hi - lo, 4)
    y_min, y_max = math.floor(lo / step) * step, math.ceil(hi / step) * step
    first_day, last_day = series[0][0].toordinal(), series[-1][0].toordinal()
    span_days = max(last_day - first_day, 1)

    def x(day: date) -> float:
        return left + (day.toordinal() - first_day) / span_days * (right - left)

    def y(value: float) -> float:
        return bottom - (value - y_min) / (y_max - y_min) * (bottom - top)

    points = [(round(x(d), 1), round(y(float(v)), 1)) for d, v in series]
    path = "M" + " L".join(f"{px},{py}" for px, py in points)
    digits = _decimals_for(step)
    y_ticks = []
    value = y_min
    while value <= y_max + step / 2:
        y_ticks.append(Tick(round(y(value), 1), format_decimal(Decimal(str(round(value, digits))), locale=locale,
                                                               format="#,##0." + "0" * digits if digits else "#,##0")))
        value += step
    x_ticks = []
    count = 6
    fmt = "MMM yy" if span_days > 120 else "d MMM"
    for i in range(count):
        day = date.fromordinal(first_day + round(i * span_days / (count - 1)))
        anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
        x_ticks.append(Tick(round(x(day), 1), format_date(day, fmt, locale=locale), anchor))
    by_value = sorted(series, key=lambda p: p[1])
    return LineChart(width, height, path, points, x_ticks, y_ticks, (left, top, right, bottom),
                     series[0], series[-1], by_value[0], by_value[-1])
