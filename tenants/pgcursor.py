"""PostgreSQL's driver as the app uses it: a cursor whose result's columns are described only when someone reads
them, and a connection whose rollback keeps the statements prepared on the server.

psycopg builds a Column object for every column of every result when `cursor.description` is read, and SQLAlchemy
reads it after every statement, if only to learn that there are rows: once a statement has run, its result's shape is
kept with the compiled statement and the description goes unread. Home read 298 columns that way, 6% of its CPU.
Here the description is a sequence that builds psycopg's own list on first use.
"""
from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import pq
from sqlalchemy import event


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


# In a statement's SQL, this says: plan it for each run's values, never prepare it (custom_plan below).
CUSTOM_PLAN = "/* custom plan */"


def custom_plan(stmt):
    """`stmt`, planned by PostgreSQL for each run's values: never prepared (Connection, below), where the plan
    PostgreSQL makes once for any values reads far more than the one made for the values at hand. Its estimates
    for a parameter are averages: a range of dates two rows wide, a search's rarest trigram as common as any, where
    the demo tenant has a year of contracts ending and a trigram in 1,111 leads. Measured at 100,000 rows, planned
    once against each time: the renewals calendar's sums 2.3 against 0.7 ms of the database's time, the compiled
    report's overdue count 2.1 against 1.2, a leads search 17 against 8. Every other statement of the main pages
    and reports ran as fast or faster planned once."""
    return stmt.prefix_with(CUSTOM_PLAN, dialect="postgresql")


class Cursor(psycopg.Cursor):
    """psycopg's cursor (client-side, server-side binding as usual) with a description made on first read, which
    never prepares a statement marked CUSTOM_PLAN."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and CUSTOM_PLAN in query:
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)

    @property
    def description(self):
        result = self.pgresult
        if result is not None and result.nfields:
            return _Columns(self, result)
        return super().description


class Connection(psycopg.Connection):
    """psycopg's connection, whose rollback keeps the statements prepared on the server.

    psycopg prepares a statement the fifth time a connection runs it, and from then on sends only its parameters:
    PostgreSQL skips parsing it and rewriting it under the row-level policies. But psycopg's rollback() forgets every
    prepared statement and sends DEALLOCATE ALL (a transaction rolled back may have created the table or type a
    statement names), and every request here ends in a rollback (the session's close, reads included): no statement
    ever ran prepared. Each was parsed and rewritten again, the app waiting on the server for it, a sleep and a
    wake-up of the worker a statement (home, eleven statements: 5.9 ms of the app's CPU a request, 4.3 kept).
    The app's role creates, alters and drops nothing (migrations run as the owner, on connections of their own), so
    what its rollback undoes is rows, which leave a prepared statement valid; when a table it reads changes,
    PostgreSQL analyses it again itself. A rollback from a failed transaction is psycopg's own."""

    def rollback(self) -> None:
        if self.pgconn.transaction_status != pq.TransactionStatus.INTRANS:
            return super().rollback()
        with self.lock:
            result = self.pgconn.exec_(b"ROLLBACK")
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise psycopg.OperationalError(f"ROLLBACK failed: {result.error_message.decode(errors='replace')}")


def keep_prepared_statements(engine) -> None:
    """The engine's PostgreSQL connections are Connection (above)."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, record, cargs, cparams):
        return Connection.connect(*cargs, **cparams)
