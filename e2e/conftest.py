"""Browser journeys: Debian's chromium driven by Playwright against a live Coordina in a thread.

The server is a real werkzeug server on a free port, with its own migrated database (SQLite by
default, PostgreSQL when TEST_DATABASE_URL is set) and a real local SMTP server for its mail.
"""
from __future__ import annotations

import os
import re
import threading

import pytest
from playwright.sync_api import Locator, Page, expect
from werkzeug.serving import make_server

from tests.conftest import PG_ADMIN_URL, PG_URL, SMTPCatcher, _sqlalchemy_url

# A busy two-core CI machine is slow, not wrong: what the user should see may take seconds to show (argon2 on
# sign-up and login, chromium starved of CPU). These are ceilings; every step still waits on what it needs.
expect.set_options(timeout=15_000)
ACTION_TIMEOUT = 30_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": ["--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's contexts (closed after the test, even a failed one), with the generous timeouts."""
    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(ACTION_TIMEOUT)
        return context

    return make


def scripts_ready(page: Page) -> None:
    """Wait until the shown page's deferred scripts (htmx, app.js) have run.

    Playwright acts on a page as soon as its HTML is there; before its load event a select that should submit
    itself does nothing and an htmx form posts the whole page. Call it after an expect that only the new page
    satisfies, so it never answers for the page before.
    """
    page.wait_for_load_state("load")


# htmx's documented classes on what it has just swapped in; it wires up that content's hx-* attributes when it
# settles (20 ms later, much later on a busy machine) and drops them. A change before then reaches no server.
_UNSETTLED = re.compile(r"\bhtmx-(added|settling)\b")


def settled(swapped_in: Locator) -> None:
    """Wait until htmx has wired up content it swapped in. Call it after an expect that only the new content
    satisfies (the row just added, the status just saved), so it never answers for the element replaced."""
    expect(swapped_in).to_be_visible()
    expect(swapped_in).not_to_have_class(_UNSETTLED)


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
