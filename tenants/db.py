"""The one database handle and the column types every model shares."""
from __future__ import annotations

import select
import time
from collections.abc import Callable
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

# Record ids are 32-bit integers: PostgreSQL answers a larger one with an error, not a miss, so nothing larger
# reaches a query (URLs and form fields refuse it first).
MAX_ID = 2**31 - 1

# Stable constraint names so Alembic can drop and alter them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite keeps no zone, so we store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)

    def result_processor(self, dialect, coltype):
        """The driver's value made aware in one call per value (every loaded row has two or three of these): the
        TypeDecorator's generic chain called the impl's processor, then process_result_value, then replace."""
        parse = self.impl_instance.result_processor(dialect, coltype)
        utc = timezone.utc
        if parse is None:
            return lambda value: None if value is None else value.replace(tzinfo=utc)
        return lambda value: None if value is None else parse(value).replace(tzinfo=utc)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # SQLite leaves foreign keys off unless asked, and WAL lets the demo serve readers while writing.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL's recommended durability: a commit no longer waits for an fsync (the WAL is synced at checkpoints), so
        # a write-per-request page (a tracked link's click) is not disk-bound; a power cut may lose the last
        # commits, never the database.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        # Pages read through a memory map instead of a read() call each: SQLite's own cache is 2 MB, so at 100,000
        # rows every lookup outside it was a system call (an address range, not memory: the OS's page cache is it).
        cursor.execute("PRAGMA mmap_size=1073741824")
        cursor.close()


# --- connections: checked on the way out of the pool ----------------------------------------------------

# A connection back from the pool within this many seconds is checked without a round trip (below); after longer, the
# database is asked (a firewall or the server may have dropped it silently).
PING_AFTER_IDLE = 10.0
_IDLE_SINCE = "coordina_idle_since"


def check_connections(engine: Engine) -> None:
    """Make sure a pooled connection is alive before a request uses it, without a round trip a request.

    SQLAlchemy's pre-ping asks the database on every checkout: on PostgreSQL, one round trip of the seven or eight
    a small page makes. A server that ends a connection (a restart, pg_terminate_backend, an idle timeout) tells the
    client first and closes the socket, so the socket has something to read. A connection whose socket is quiet and
    that was in use moments ago is alive; one whose socket speaks, or that sat idle past PING_AFTER_IDLE, is pinged
    as before, and a failed ping swaps it for a new one. SQLite's file connections have no socket and never drop.
    """
    if engine.dialect.name == "sqlite":
        return
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _stamp(dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection, record, proxy):
        idle = time.monotonic() - record.info.get(_IDLE_SINCE, 0.0)
        if idle < PING_AFTER_IDLE and not _has_data(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # the driver's own error, whatever the driver: the connection is gone
            raise exc.DisconnectionError(f"pooled connection failed its check: {error}") from error


def _has_data(dbapi_connection) -> bool:
    """Whether the server has sent something unasked on this idle connection (a closing notice, or the close)."""
    try:
        readable, _w, _x = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # closed already
        return True
    return bool(readable)


# --- saving: one meaning of "commit" for every feature -------------------------------------------------


class EditConflict(RuntimeError):
    """Someone else saved the record since this person opened it."""


def check_version(row, version: int | None) -> None:
    """Refuse an edit made on an older version of `row` (the form carried the version it was opened on)."""
    if version is None or row.version != version:
        raise EditConflict()


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction is committed by commit() (dropped on rollback)."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def commit() -> None:
    """Commit; a row saved meanwhile by someone else (its version moved) rolls back and raises EditConflict.

    Then what waited for the commit runs: other features hear of a change only once it is certain.
    """
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict() from None
    for callback in db.session.info.pop(_AFTER_COMMIT, []):
        callback()


_AFTER_COMMIT = "coordina_after_commit"


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_commit(session, previous_transaction):
    if not previous_transaction.nested:  # a savepoint rolled back leaves the outer transaction's work standing
        session.info.pop(_AFTER_COMMIT, None)


def one_of(column: str, values) -> str:
    """The SQL of a CHECK that keeps `column` to these values (an enum that every database enforces)."""
    return f"{column} IN (" + ",".join(f"'{v}'" for v in values) + ")"


ANALYSIS_LIMIT = 10_000


def refresh_statistics(connection, *, owner: bool = False) -> bool:
    """Bring the query planner's statistics up to date; True when something ran.

    SQLite keeps none unless asked: with one large tenant, `tenant_id = ?` looks as selective as a unique key
    and the planner picks the wrong index (ANALYZE alone took the leads list from 487 to 60 ms at 100,000
    rows). An approximate ANALYZE (10,000 rows an index) takes milliseconds at any size (32 ms with 100,000
    contracts, deliverables and leads, against 216 for an exact one), so it runs after every migration and from
    every tick. Below that many rows the figures are exact: sampled from 1,000, a table of a little over a thousand
    rows looked like a single tenant's, and SQLite probed its (tenant_id, id) key once per tenant (a skip-scan) to
    join a row by its id: the deliverables list read 24,442 steps of SQLite's machine where exact figures read
    14,623, home 2,423 against 2,020, billing 1,387 against 842. PostgreSQL's autovacuum keeps its own; ANALYZE
    needs the tables' owner, so it runs after migrations only.
    """
    name = connection.dialect.name
    if name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")
        return True
    if name == "postgresql" and owner:
        connection.exec_driver_sql("ANALYZE")
        return True
    return False
