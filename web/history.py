"""History and the audit trail in the reader's words.

An audit event keeps plain JSON details: {"coordinator_id": [None, 2], "status": ["planned", "delivered"],
"rate": "0.89509488005728607232"}. Shown as they are, that is "coordinatore: None → 2". Each feature says
what its fields are (`Feature.field_values`): people and records by name, money and dates in the reader's
format, rates rounded for people, enum values by their label. A value that is a record id is looked up once
for the whole page, whatever the number of events.

A field's formatter and label are found by the action's feature first ("deliverable:status" for a
"deliverable.updated" event), then by the field's name alone: two features may use the same name ("source"
of a lead, "source" of an exchange rate) for different things.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from i18n.fx import format_rate
from i18n.locales import SUPPORTED_LOCALES, country_name, language_name
from i18n.money import Money, MoneyError, format_money, is_currency
from tenants.db import db
from tenants.models import User

from .features import registry
from .locale_context import locale_name


@dataclass(frozen=True)
class Names:
    """A field whose values are record ids, shown by name: `load(ids)` answers {id: name} for a whole page."""

    key: str
    load: Callable[[set[int]], dict[int, str]]


# A detail kept for the record (an internal id) that a reader has no use for.
HIDDEN = "hidden"


@dataclass(frozen=True)
class Line:
    label: str
    old: str | None  # None when the detail is a fact, not a change
    new: str

    @property
    def changed(self) -> bool:
        return self.old is not None


def _user_names(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


PEOPLE = Names("people", _user_names)


# --- value formatters: each takes what the JSON holds and answers text for the reader ---------------------


def as_date(value: Any) -> str:
    from .templating import dateformat

    try:
        day = value if isinstance(value, date) else datetime.fromisoformat(str(value)).date()
    except ValueError:
        return str(value)
    return dateformat(day, "medium")


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def as_money(value: Any) -> str:
    """ "21.9300 EUR" as the reader writes money: €21.93, 21,93 €."""
    amount, _space, code = str(value).strip().rpartition(" ")
    number = _decimal(amount)
    if number is None or not is_currency(code):
        return str(value)
    try:
        return format_money(Money(number, code), get_locale())
    except MoneyError:
        return str(value)


def as_number(value: Any) -> str:
    number = _decimal(value)
    return str(value) if number is None else format_decimal(number.normalize(), locale=get_locale(),
                                                                format="#,##0.####")


def as_rate(value: Any) -> str:
    """0.89509488005728607232 for a person: 0.895095 (six significant digits, as rates are quoted)."""
    number = _decimal(value)
    return str(value) if number is None else format_rate(number, get_locale())


def as_yes_no(value: Any) -> str:
    return _("yes") if value in (True, "True", "true", 1) else _("no")


def as_country(value: Any) -> str:
    return country_name(str(value), str(get_locale())) or str(value)


def as_language(value: Any) -> str:
    return language_name(str(value), str(get_locale())) or str(value)


def as_currency(value: Any) -> str:
    from babel.numbers import get_currency_name

    return get_currency_name(str(value), locale=get_locale()) if is_currency(str(value)) else str(value)


def labelled(labels: dict[str, Any]) -> Callable[[Any], str]:
    """An enum's values by their label ("delivered" -> "Consegnato")."""
    return lambda value: str(labels.get(value, value))


# --- putting an event into words --------------------------------------------------------------------------


def _spec(kind: str, key: str, table: dict[str, Any]) -> Any:
    return table.get(f"{kind}:{key}", table.get(key))


def _kind(action: str) -> str:
    return action.split(".", 1)[0]


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return as_yes_no(value)
    if isinstance(value, (int, float, Decimal)):
        return as_number(value)
    return str(value)


# A field's label in each language, worked out once per process: labels are lazy texts, and each one read in a
# history (its truth, then its text) went through Flask-Babel's look-ups twice, half the cost of describing an event.
_labels: dict[tuple[str, str, str], str] = {}


def _label(kind: str, key: str, labels: dict[str, Any]) -> str:
    language = locale_name()
    found = _labels.get((language, kind, key))
    if found is None:
        spec = _spec(kind, key, labels)
        found = str(spec) if spec is not None else (
            language_name(key, language) if key in SUPPORTED_LOCALES else key.replace("_", " "))
        if len(_labels) > 20_000:  # only if kinds were made up at run time: the registry's are a few hundred
            _labels.clear()
        _labels[(language, kind, key)] = found
    return found


def _names(events: list[Any], reg) -> dict[str, dict[int, str]]:
    """The names of every record the events mention, by kind and id: one query per kind."""
    wanted: dict[str, tuple[Names, set[int]]] = {}
    for event in events:
        for spec, one in _mentions(event, reg):
            wanted.setdefault(spec.key, (spec, set()))[1].add(one)
    return {key: (spec.load(ids) if ids else {}) for key, (spec, ids) in wanted.items()}


def _mentions(event: Any, reg):
    """(Names spec, record id) for each record an event's details mention."""
    kind = _kind(event.action)
    for key, value in (event.details or {}).items():
        spec = _spec(kind, key, reg.field_values)
        if isinstance(spec, Names):
            for one in (value if isinstance(value, list) else [value]):
                if isinstance(one, int) and not isinstance(one, bool):
                    yield spec, one


def _lines(event: Any, reg, names: dict[str, dict[int, str]]) -> list[Line]:
    """One event's details in the reader's words."""
    def show(spec: Any, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(spec, Names):
            return names[spec.key].get(value, _("someone no longer here")) if isinstance(value, int) else str(value)
        if callable(spec):
            return spec(value)
        return _plain(value)

    kind = _kind(event.action)
    lines = []
    for key, value in (event.details or {}).items():
        spec = _spec(kind, key, reg.field_values)
        if spec == HIDDEN:
            continue
        label = _label(kind, key, reg.field_labels)
        if isinstance(value, list) and len(value) == 2:
            lines.append(Line(label, show(spec, value[0]), show(spec, value[1])))
        else:
            lines.append(Line(label, None, show(spec, value)))
    return lines


def describe(events: Iterable[Any]) -> dict[int, list[Line]]:
    """Each event's details as lines for the reader, by event id; record names in one query per kind."""
    return {event.id: list(event.lines) for event in events_shown(events)}


class Event:
    """One line of a record's history as the page shows it, its HTML kept under `row_key()` (web/row_cache.py): the
    event's data, who did it and the names of the records it mentions (those two can change). Its details are put into
    words (`lines`) only when its HTML is not kept yet."""

    __slots__ = ("id", "at", "action", "actor", "_event", "_reg", "_names", "_key")

    def __init__(self, event: Any, reg, names: dict[str, dict[int, str]]):
        self.id, self.at, self.action = event.id, event.created_at, event.action
        self.actor = event.actor.name if event.actor else None
        self._event, self._reg, self._names = event, reg, names
        mentioned = tuple(names[spec.key].get(one) for spec, one in _mentions(event, reg))
        # Everything the line shows: the event's own data (its details as stored), who acted, the names it mentions.
        self._key = (self.id, self.at, self.action, repr(event.details), self.actor, mentioned)

    def row_key(self) -> tuple:
        return self._key

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(_lines(self._event, self._reg, self._names))


def events_shown(events: Iterable[Any]) -> list[Event]:
    """A record's history (newest first) as kept rows, the names it mentions read in one query per kind."""
    events = list(events)
    reg = registry()
    names = _names(events, reg)
    return [Event(event, reg, names) for event in events]
