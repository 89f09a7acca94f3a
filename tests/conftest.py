"""The fast suite's rig: a real database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set),
migrated once per run with Alembic, emptied between tests, and a Flask test client that speaks CSRF.

On PostgreSQL, TEST_DATABASE_URL is the app's own role (no superuser, no owner, no BYPASSRLS) and
TEST_DATABASE_ADMIN_URL the schema owner that runs migrations and empties tables between tests.
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


@pytest.fixture(scope="session")
def migrated(database_urls):
    """Build the schema once, through the migrations (never create_all)."""
    from flask_migrate import upgrade

    if PG_URL:
        admin = create_engine(_sqlalchemy_url(PG_ADMIN_URL))
        with admin.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        admin.dispose()
    app = create_app(app_config(database_urls))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return True


def _sqlalchemy_url(url: str) -> str:
    from web.config import normalise_database_url

    return normalise_database_url(url)


def _empty_tables(database_urls):
    from sqlalchemy import inspect

    # Only tables the migrations made: a model without its migration is test_schema's to report.
    existing = set(inspect(db.engine).get_table_names())
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP and t.name in existing]
    if PG_URL:
        engine = create_engine(_sqlalchemy_url(PG_ADMIN_URL))
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        engine.dispose()
    else:
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def app(migrated, database_urls):
    app = create_app(app_config(database_urls))
    with app.app_context():
        _empty_tables(database_urls)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
def queries(app):
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
