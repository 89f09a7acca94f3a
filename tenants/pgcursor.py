"""PostgreSQL's cursor, its result's columns described only when someone reads them.

psycopg builds a Column object for every column of every result when `cursor.description` is read, and SQLAlchemy
reads it after every statement, if only to learn that there are rows: once a statement has run, its result's shape is
kept with the compiled statement and the description goes unread. Home read 298 columns that way, 6% of its CPU.
Here the description is a sequence that builds psycopg's own list on first use.
"""
from __future__ import annotations

from collections.abc import Sequence

import psycopg


class _Columns(Sequence):
    """cursor.description for a result with columns: psycopg's list, made when first read."""

    __slots__ = ("_cursor", "_result", "_described")

    def __init__(self, cursor: psycopg.Cursor, result):
        self._cursor, self._result, self._described = cursor, result, None

    def _columns(self) -> list:
        if self._described is None:
            # A description belongs to one result; psycopg's reads the cursor's current one.
            if self._cursor.pgresult is not self._result:
                raise RuntimeError("a cursor's description was read after the cursor ran another statement")
            self._described = psycopg.Cursor.description.fget(self._cursor)
        return self._described

    def __len__(self) -> int:
        return self._result.nfields

    def __getitem__(self, index):
        return self._columns()[index]

    def __iter__(self):
        return iter(self._columns())

    def __repr__(self) -> str:
        return repr(self._columns())


class Cursor(psycopg.Cursor):
    """psycopg's cursor (client-side, server-side binding as usual) with a description made on first read."""

    @property
    def description(self):
        result = self.pgresult
        if result is not None and result.nfields:
            return _Columns(self, result)
        return super().description
