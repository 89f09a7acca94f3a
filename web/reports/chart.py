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
