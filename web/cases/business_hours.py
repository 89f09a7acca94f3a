"""Business hours: working time added to an instant and counted between two, in a timezone, DST included. What
the SLA deadlines of cases are made of; no database here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Hours:
    """Business hours in a timezone: ISO weekdays worked, and the day's start and end in minutes."""

    tz: str
    workdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    day_starts: int = 9 * 60
    day_ends: int = 18 * 60

    @property
    def always(self) -> bool:
        return not self.workdays or self.day_ends <= self.day_starts


def add_business_minutes(start: datetime, minutes: int, h: Hours) -> datetime:
    """The instant `minutes` of working time after `start` (aware, UTC back), DST included."""
    if h.always:
        return start + timedelta(minutes=minutes)
    zone = ZoneInfo(h.tz)
    cursor = start.astimezone(timezone.utc)
    day = start.astimezone(zone).date()
    left = timedelta(minutes=minutes)
    for _ in range(3700):  # ten years of calendar days: a bound, never reached with a working day in the week
        if day.isoweekday() in h.workdays:
            opens = _at(day, h.day_starts, zone)
            closes = _at(day, h.day_ends, zone)
            cursor = max(cursor, opens)
            if cursor < closes:
                if cursor + left <= closes:
                    return cursor + left
                left -= closes - cursor
        day += timedelta(days=1)
    raise ValueError("no working time")


def business_minutes_between(start: datetime, end: datetime, h: Hours) -> int:
    """Working minutes from start to end (0 when end is before start)."""
    if end <= start:
        return 0
    if h.always:
        return int((end - start).total_seconds() // 60)
    zone = ZoneInfo(h.tz)
    total = timedelta()
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        if day.isoweekday() in h.workdays:
            lo = max(start, _at(day, h.day_starts, zone))
            hi = min(end, _at(day, h.day_ends, zone))
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), zone).astimezone(timezone.utc)
