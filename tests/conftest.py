"""The fast suite's rig: a real database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set),
migrated once per run with Alembic, one app for the whole run, the tables emptied before each test,
and a Flask test client that speaks CSRF.

On PostgreSQL, TEST_DATABASE_URL is the app's own role (no superuser, no owner, no BYPASSRLS) and
TEST_DATABASE_ADMIN_URL the schema owner that runs migrations and empties tables between tests.

Why no rolled-back transaction per test: the code under test commits for real, runs savepoints,
several clients, threads and CLI commands on their own connections, and on PostgreSQL sets the RLS
tenant with SET LOCAL per transaction. An outer transaction would hide other connections' rows, keep a
tenant setting alive across "commits" (masking a leak the suite exists to catch) and add SAVEPOINT
statements to the query counts. Emptying the tables is cheap enough (see Rig) and keeps all of that real.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text

from tenants.db import db
from web import create_app

PG_URL = os.environ.get("TEST_DATABASE_URL")
PG_ADMIN_URL = os.environ.get("TEST_DATABASE_ADMIN_URL") or PG_URL
# Tables that hold reference data loaded by migrations: kept between tests.
KEEP = {"alembic_version", "ecb_rates", "ecb_loads"}
# Above this many rows inserted into one table since the last emptying, TRUNCATE beats DELETE on PostgreSQL.
BULK_ROWS = 1000


def pytest_collection_modifyitems(config, items):
    if PG_URL:
        return
    reason = pytest.mark.skip(reason="PostgreSQL only: set TEST_DATABASE_URL to run (CI does)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(reason)


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    if PG_URL:
        return {"DATABASE_URL": PG_URL, "DATABASE_ADMIN_URL": PG_ADMIN_URL}
    path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    return {"DATABASE_URL": f"sqlite:///{path}", "DATABASE_ADMIN_URL": None}


def app_config(database_urls, **extra):
    config = {
        "ENV": "test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "FAST_PASSWORD_HASHING": True,
        "PUBLIC_URL": "http://localhost",
        "SMTP_HOST": None,
        **database_urls,
    }
    config.update(extra)
    return config


def _sqlalchemy_url(url: str) -> str:
    from web.config import normalise_database_url

    return normalise_database_url(url)


class Rig:
    """The run's one app on its migrated database, and the quickest safe way back to empty tables.

    create_app() costs more than most tests (every blueprint and URL rule compiled, then every template
    on first use), so there is one app per run; what a test may change on it (config, rate-limit
    counters) is put back by isolated(). Everything else it keeps is per process anyway (the ECB cache,
    lru caches) or per request (flask.g, the tenant, the session).
    """

    def __init__(self, database_urls):
        from flask_migrate import upgrade
        from sqlalchemy import inspect

        if PG_URL:
            admin = create_engine(_sqlalchemy_url(PG_ADMIN_URL))
            with admin.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            admin.dispose()
        self.app = create_app(app_config(database_urls))
        with self.app.app_context():
            upgrade()  # the schema is built through the migrations, never create_all
            self.engine = db.engine
            self.engine.dispose()
            # Only tables the migrations made: a model without its migration is test_schema's to report.
            existing = set(inspect(self.engine).get_table_names())
        self.tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP and t.name in existing]
        if PG_URL:
            self.admin = create_engine(_sqlalchemy_url(PG_ADMIN_URL))
            self._plan_postgres()
        else:
            self._open_sqlite(self.engine.url.database)

    # --- SQLite: one DELETE per table on a connection of our own, foreign keys off -------------------

    def _open_sqlite(self, path):
        import sqlite3

        self.sqlite = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.sqlite.execute("PRAGMA busy_timeout=30000")
        self.sqlite.execute("PRAGMA synchronous=OFF")  # this connection's own commits only
        # Every table but KEEP is emptied in one transaction, so no reference can be left dangling and
        # the foreign-key checks (a scan of each child table per deleted row: seconds after a bulk test)
        # only cost time. They are off on this connection alone; the app's connections keep them on.
        # Should a table we keep ever point at one we empty, they stay on and the order does the work.
        emptied = set(self.tables)
        kept = [name for (name,) in self.sqlite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if name not in emptied]
        pointing = any(key[2] in emptied for name in kept
                       for key in self.sqlite.execute(f'PRAGMA foreign_key_list("{name}")'))
        self.sqlite.execute(f"PRAGMA foreign_keys={'ON' if pointing else 'OFF'}")
        self._sqlite_script = "BEGIN IMMEDIATE;\n" + "".join(f'DELETE FROM "{t}";\n' for t in self.tables) + "COMMIT;"

    def _empty_sqlite(self):
        try:
            self.sqlite.executescript(self._sqlite_script)
        except BaseException:
            if self.sqlite.in_transaction:
                self.sqlite.execute("ROLLBACK")  # never leave the write lock behind
            raise

    # --- PostgreSQL: DELETE the shared tables, the tenant tables follow by cascade --------------------

    def _plan_postgres(self):
        """Decide how to empty the tables, from the catalog: a DELETE plan if it provably empties them all.

        The owner cannot DELETE from a tenant table (FORCE ROW LEVEL SECURITY binds it too), but the
        cascade of a foreign key runs with the policy out of the way. So a table under RLS qualifies
        when it has a NOT NULL, ON DELETE CASCADE key to a table we DELETE from outright: once that
        table is empty, no row of it can remain. Anything else (or a failed DELETE) means TRUNCATE,
        which is what this rig always did, only slower (~80 ms for every table at once).
        """
        tables = set(self.tables)
        with self.admin.connect() as conn:
            rls = {name for name, on in conn.execute(text(
                "SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')")) if on}
            keys = conn.execute(text(
                "SELECT ch.relname, pa.relname, k.confdeltype, "
                "       bool_and(a.attnotnull) "
                "FROM pg_constraint k "
                "JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid "
                "JOIN pg_namespace n ON n.oid = ch.relnamespace "
                "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey) "
                "WHERE k.contype = 'f' AND n.nspname = current_schema() "
                "GROUP BY k.oid, ch.relname, pa.relname, k.confdeltype")).all()
            self.sequences = {seq for seq, owner in conn.execute(text(
                "SELECT s.relname, t.relname FROM pg_class s "
                "JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid "
                "     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
                "JOIN pg_class t ON t.oid = d.refobjid "
                "JOIN pg_namespace n ON n.oid = s.relnamespace "
                "WHERE s.relkind = 'S' AND n.nspname = current_schema()")) if owner in tables}
        self.truncate = "TRUNCATE " + ", ".join(self.tables) + " RESTART IDENTITY CASCADE"
        self.deletes = None
        direct = tables - rls
        # The directly emptied table whose DELETE takes each table's rows with it (for tenant tables
        # that is `tenants`; one is picked when there are several, the most common first).
        cascades = {}
        for child, parent, action, not_null in keys:
            if child in tables & rls and parent in direct and action == "c" and not_null:
                cascades.setdefault(child, set()).add(parent)
        if set(cascades) != tables & rls:
            return  # nothing provably empties some table: TRUNCATE
        popular = sorted(direct, key=lambda t: (-sum(t in c for c in cascades.values()), t))
        owner = {t: t for t in direct}
        owner.update({t: next(p for p in popular if p in parents) for t, parents in cascades.items()})
        # Delete order: a table goes after every directly emptied table whose rows (or whose cascade's
        # rows) refer to it, so no delete trips a NO ACTION or RESTRICT key.
        after = {t: set() for t in direct}
        for child, parent, _action, _not_null in keys:
            if child in tables and parent in tables and owner[child] != owner[parent]:
                after[owner[parent]].add(owner[child])
        order = []
        while after:
            ready = sorted(t for t, needs in after.items() if not needs)
            if not ready:
                return  # a cycle: TRUNCATE
            for t in ready:
                order.append(t)
                del after[t]
            for needs in after.values():
                needs.difference_update(ready)
        self.deletes = [f'DELETE FROM "{t}"' for t in order]

    def _empty_postgres(self):
        from sqlalchemy.exc import DBAPIError

        with self.admin.begin() as conn:
            # A test that left a transaction open on these tables fails the next setup, never hangs the run.
            conn.execute(text("SET LOCAL lock_timeout = '60s'"))
            used = dict(conn.execute(text(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL")).all())
            used = {name: last for name, last in used.items() if name in self.sequences}
            if self.deletes is not None and max(used.values(), default=0) <= BULK_ROWS:
                try:
                    with conn.begin_nested():
                        for statement in self.deletes:
                            conn.execute(text(statement))
                except DBAPIError:
                    pass  # a key the plan did not foresee: TRUNCATE below, as before
                else:
                    if used:  # as RESTART IDENTITY would: ids start over in every test
                        conn.execute(text(
                            "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) "
                            "FROM pg_sequences WHERE schemaname = current_schema() AND sequencename = ANY(:names)"),
                            {"names": sorted(used)})
                    return
            conn.execute(text(self.truncate))

    def empty(self):
        """Every table but KEEP emptied, ids starting over; no test sees another test's rows."""
        if PG_URL:
            self._empty_postgres()
        else:
            self._empty_sqlite()

    @contextmanager
    def isolated(self):
        """The app as a new test should find it (empty tables, fresh rate-limit counters); what the
        test changes in its config is put back after. The `app` fixture, and module-scoped data
        built once for several tests (the query-count tests), go through here."""
        from limits.storage import MemoryStorage

        from web.extensions import limiter

        self.empty()
        if isinstance(limiter.storage, MemoryStorage):
            limiter.reset()  # as create_app() did, handing each test a new in-memory storage
        config = dict(self.app.config)
        try:
            yield self.app
        finally:
            self.app.config.clear()
            self.app.config.update(config)
            with self.app.app_context():
                db.session.remove()
            if self.engine.pool.checkedout():
                # A connection the test never gave back: start a new pool rather than carry it on.
                self.engine.dispose()

    def close(self):
        if PG_URL:
            self.admin.dispose()
        else:
            self.sqlite.close()
        self.engine.dispose()


@pytest.fixture(scope="session")
def rig(database_urls):
    rig = Rig(database_urls)
    yield rig
    rig.close()


@pytest.fixture(scope="session")
def migrated(rig):
    """The schema, built once through the migrations."""
    return True


@pytest.fixture
def app(rig):
    """The run's app, with empty tables."""
    with rig.isolated() as app:
        yield app


class Client:
    """The Flask test client plus the CSRF token a browser would carry."""

    TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"|"X-CSRFToken": "([^"]+)"')

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()
        self._token = None

    def __getattr__(self, name):
        return getattr(self.http, name)

    def token(self) -> str:
        if self._token is None:
            page = self.http.get("/login").get_data(as_text=True)
            match = self.TOKEN.search(page)
            self._token = match.group(1) or match.group(2)
        return self._token

    def forget_token(self):
        self._token = None

    def post(self, url, data=None, *, htmx=False, headers=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token())
        headers = dict(headers or {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.http.post(url, data=data, headers=headers, **kwargs)

    def get(self, url, *, htmx=False, headers=None, **kwargs):
        headers = dict(headers or {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.http.get(url, headers=headers, **kwargs)

    def login(self, email: str, password: str = "correct horse battery"):
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        self._token = None  # a new session at sign-in means a new CSRF token
        return response

    def sign_in(self, email: str):
        """Sign in and read English, whatever the person's own language (tests read English messages)."""
        self.login(email)
        self.post("/language", {"locale": "en", "next": "/"})


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def make_client(app):
    return lambda: Client(app)


@contextmanager
def count_queries(app):
    """Count the SQL statements sent while the block runs."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def queries(app, monkeypatch):
    # The rate book looks once a minute for a newer ECB file another process loaded: on a slow machine a measurement
    # could straddle that minute and count one statement that is timing, not the page's work.
    from web.rates import service as rates

    monkeypatch.setattr(rates, "CHECK_EVERY", float("inf"))
    return lambda: count_queries(app)


@pytest.fixture
def cf(app):
    """Accounts, contracts, deliverables and billing entries made in the app (tests/contract_factories.py)."""
    from . import contract_factories

    return contract_factories.Maker(app)


@pytest.fixture
def world(app):
    from . import factories

    with app.app_context():
        return factories.world()


class SMTPCatcher:
    """A real SMTP server on a free local port that keeps every message it receives."""

    def __init__(self):
        import socket

        from aiosmtpd.controller import Controller

        self.messages = []
        self.refuse: set[str] = set()  # addresses this server answers 550 for, as a real one does for a dead box
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(app):
    catcher = SMTPCatcher()
    catcher.controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=catcher.port)
    yield catcher
    catcher.controller.stop()
