"""The team report's chart: per rep, a bar of what was signed in the base currency and a mark at the target.
Laid out here, drawn by templates/reports/_chart.html as SVG (no script: the CSP stays strict). The picture
is an image; the table beside it carries the same figures for screen readers and for copying."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Row:
    y: float
    label: str
    width: float  # the bar: signed value
    target_x: float | None
    value_label: str
    behind: bool


@dataclass
class BarChart:
    width: int
    height: int
    left: float
    right: float
    rows: list[Row]


def bars(lines, *, format_money, width: int = 760, row_height: int = 34) -> BarChart | None:
    """One row per rep: signed value against the signed-value target, on one scale; None when all is zero."""
    left, right = 170.0, width - 150.0
    values = []
    for line in lines:
        total = line.signed_total
        values.append((line, total.amount if total else Decimal(0),
                       line.target_signed.amount if line.target_signed else None))
    peak = max([v for _l, v, _t in values] + [t for _l, _v, t in values if t is not None], default=Decimal(0))
    if not peak:
        return None
    scale = (right - left) / float(peak)  # pixels per unit: geometry only, the labels format the Decimals
    rows = []
    for i, (line, value, target) in enumerate(values):
        name = line.rep.name if line.rep else ""
        rows.append(Row(
            y=12 + i * row_height, label=name if len(name) <= 22 else name[:21] + "…",
            width=round(float(value) * scale, 1), target_x=None if target is None else round(left + float(target) * scale, 1),
            value_label=format_money(line.signed_total) if line.signed_total else "–",
            behind=target is not None and value < target))
    return BarChart(width, int(24 + len(rows) * row_height), left, right, rows)


@dataclass
class Segment:
    kind: str  # leads, drafts, renewals: the CSS class that draws it
    y: float
    height: float


@dataclass
class Column:
    x: float
    width: float
    label: str
    value_label: str
    top: float
    segments: list[Segment]


@dataclass
class StackedChart:
    width: int
    height: int
    axis_y: float
    columns: list[Column]


def stacked(forecast, *, format_money, format_quarter, width: int = 640, height: int = 260) -> StackedChart | None:
    """The team's forecast per coming quarter as a column of leads, drafts and renewals; None when empty."""
    top, bottom = 28.0, height - 34.0
    totals = []
    for i, _quarter in enumerate(forecast.quarters):
        cell = forecast.cell(None, i)
        parts = [(kind, cell.totals[kind].amount.amount if cell.totals[kind].amount else Decimal(0))
                 for kind in ("leads", "drafts", "renewals")]
        totals.append((parts, cell.total.amount))
    peak = max((sum(v for _k, v in parts) for parts, _t in totals), default=Decimal(0))
    if not peak:
        return None
    scale = (bottom - top) / float(peak)
    slot = width / len(totals)
    columns = []
    for i, (parts, total) in enumerate(totals):
        y = bottom
        segments = []
        for kind, value in parts:
            h = round(float(value) * scale, 1)
            if h:
                y = round(y - h, 1)
                segments.append(Segment(kind, y, h))
        columns.append(Column(round(i * slot + slot * 0.2, 1), round(slot * 0.6, 1),
                              format_quarter(forecast.quarters[i].start),
                              format_money(total) if total else "–", y, segments))
    return StackedChart(width, height, bottom + 20, columns)
