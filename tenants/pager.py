"""Keyset pagination for every list: the next page starts after the last row shown, found through an index,
so page 1,000 costs what page 1 costs. One cursor style everywhere: an opaque `after` URL argument.

    LEADS = Keyset(Lead.id.desc())
    page = LEADS.page(stmt, request.args.get("after"), limit=50)
    page.rows, page.next   # next: the cursor of the following page, None on the last one
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from .db import db


class InvalidCursor(ValueError):
    """A page address that this list did not make (edited by hand, or from another list)."""


@dataclass
class Page:
    rows: list
    next: str | None


def _unwrap(element) -> tuple[Any, bool]:
    """(column, descending) of an ORDER BY element."""
    if isinstance(element, UnaryExpression) and element.modifier in (operators.desc_op, operators.asc_op):
        return element.element, element.modifier is operators.desc_op
    return element, False


# json.dumps with separators makes an encoder on every call; a page's cursor uses this one.
_COMPACT = json.JSONEncoder(separators=(",", ":")).encode


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


class Keyset:
    """An ordering that pages: columns (ascending, or `.desc()`) whose last one makes each row unique."""

    def __init__(self, *order, values: Callable[[Any], Sequence[Any]] | None = None):
        self.order = order
        self.columns = [_unwrap(o) for o in order]
        self._values = values

    def values_of(self, row) -> list:
        """The row's sort key; by default each column's attribute of the row (ORM object or Core row)."""
        if self._values is not None:
            return list(self._values(row))
        return [getattr(row, column.key) for column, _desc in self.columns]

    def encode(self, row) -> str:
        raw = _COMPACT([_plain(v) for v in self.values_of(row)]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> list:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw)
        except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
            raise InvalidCursor(cursor) from exc
        if not isinstance(values, list) or len(values) != len(self.columns):
            raise InvalidCursor(cursor)
        return [self._typed(column, value) for (column, _desc), value in zip(self.columns, values)]

    @staticmethod
    def _typed(column, value):
        try:
            kind = column.type.python_type
        except NotImplementedError:
            return value
        try:
            if value is None:
                return None
            if kind is datetime:
                return datetime.fromisoformat(value)
            if kind is date:
                return date.fromisoformat(value)
            if kind is int and not isinstance(value, bool):
                return int(value)
            if kind is str:
                return str(value)
        except (TypeError, ValueError) as exc:
            raise InvalidCursor(str(value)) from exc
        return value

    def after(self, stmt, cursor: str | None):
        """`stmt` ordered by the keyset, starting after the row the cursor points at."""
        stmt = stmt.order_by(*self.order)
        if not cursor:
            return stmt
        values = self.decode(cursor)
        ors = []
        for i, (column, desc) in enumerate(self.columns):
            step = column < values[i] if desc else column > values[i]
            ors.append(and_(*[c == v for (c, _d), v in zip(self.columns[:i], values[:i])], step))
        return stmt.where(or_(*ors))

    def page(self, stmt, cursor: str | None, *, limit: int, scalars: bool = True, make=None, prepared: bool = False,
             params: dict | None = None) -> Page:
        """One page of `stmt` after `cursor` (limit + 1 rows read to know whether another page follows).

        scalars=False reads plain rows; `make` turns each into the page's row (a NamedTuple's _make) before the
        cursor reads its values. prepared: `stmt` is already `after(stmt, cursor).limit(limit + 1)` (a statement
        built once), run with `params`."""
        query = stmt if prepared else self.after(stmt, cursor).limit(limit + 1)
        result = db.session.scalars(query, params) if scalars else db.session.execute(query, params)
        rows = list(result.unique() if scalars else result)
        if make is not None:
            rows = [make(row) for row in rows]
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows, self.encode(rows[-1]) if more else None)
