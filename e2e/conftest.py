"""Browser journeys: Debian's chromium driven by Playwright against a live Coordina in a thread.

The server is a real werkzeug server on a free port, with its own migrated database (SQLite by
default, PostgreSQL when TEST_DATABASE_URL is set) and a real local SMTP server for its mail.
"""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import PG_ADMIN_URL, PG_URL, SMTPCatcher, _sqlalchemy_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": ["--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def smtp_server():
    catcher = SMTPCatcher()
    catcher.controller.start()
    yield catcher
    catcher.controller.stop()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, smtp_server):
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from tenants.db import db
    from web import create_app

    if PG_URL:
        admin = create_engine(_sqlalchemy_url(PG_ADMIN_URL))
        with admin.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        admin.dispose()
        urls = {"DATABASE_URL": PG_URL, "DATABASE_ADMIN_URL": PG_ADMIN_URL}
    else:
        urls = {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.sqlite3'}"}
    app = create_app({
        "ENV": "test",
        "SECRET_KEY": "e2e-secret-key-that-is-long-enough-0123456789",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_server.port,
        "PROPAGATE_EXCEPTIONS": False,
        **urls,
    })
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app):
    return live_app.config["PUBLIC_URL"]


@pytest.fixture
def run_tick(live_app):
    """What cron does every few minutes: `coordina tick`."""
    from web import tick

    return lambda: tick.run(live_app)


@pytest.fixture
def inbox(smtp_server):
    return smtp_server
