"""Pooled connections on PostgreSQL: checked without a round trip while in use, and a dropped one never fails a page."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from tenants import db as database

from ..conftest import PG_URL, count_queries

pytestmark = pytest.mark.postgres_only


def _end_app_connections(own) -> list[int]:
    """pg_terminate_backend on every other connection the app's role holds to this database (a role may end its own),
    from a connection of that role outside the pool; returns once they are gone."""
    with own.connect() as conn:
        ended = conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user "
            "AND pid <> pg_backend_pid()")).scalars().all()
        for pid in ended:  # one by one: in a WHERE, the planner may call the function before the filters
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(3000):  # a backend ends within milliseconds; 30 s means something else is wrong
            # pg_stat_activity is read once a transaction unless its snapshot is dropped.
            conn.execute(text("SELECT pg_stat_clear_snapshot()"))
            if not conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                                {"pids": list(ended)}).scalar():
                return ended
            conn.execute(text("SELECT pg_sleep(0.01)"))
    raise AssertionError(f"backends {ended} did not end")


def test_a_page_still_answers_after_the_server_ended_its_pooled_connections(app, world, client):
    """A database restart (or an idle timeout) ends the pool's connections: the next request gets a live one."""
    from sqlalchemy import create_engine

    from ..conftest import _sqlalchemy_url

    client.sign_in(world.coordinator.email)
    assert client.get("/t/acme/contracts").status_code == 200
    own = create_engine(_sqlalchemy_url(PG_URL))
    try:
        assert _end_app_connections(own), "the app held no connection to end"
        for _ in range(3):  # every connection the pool held was ended, not only the first one handed out
            response = client.get("/t/acme/contracts")
            assert response.status_code == 200
            assert "Contracts" in response.get_data(as_text=True)
    finally:
        own.dispose()


def test_a_connection_in_use_is_not_pinged_and_an_idle_one_is(app, world, client, monkeypatch):
    """A connection back from the pool moments after its last request goes straight to work; one idle past
    PING_AFTER_IDLE is asked first."""
    pings = []
    with app.app_context():
        dialect = database.db.engine.dialect
    real_ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: pings.append(1) or real_ping(connection))
    client.sign_in(world.coordinator.email)
    assert client.get("/t/acme/contracts").status_code == 200
    pings.clear()
    assert client.get("/t/acme/contracts").status_code == 200
    assert pings == []
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)
    assert client.get("/t/acme/contracts").status_code == 200
    assert pings


def test_a_workspace_page_sends_no_settings_statement_of_its_own(app, world, client):
    """The session row's read sets the person as the row-level security reader, and the memberships read the
    workspace entered as the tenant, each in its own round trip: the page itself sends no settings."""
    client.sign_in(world.coordinator.email)
    client.get("/t/acme/contracts")
    with count_queries(app) as statements:
        assert client.get("/t/acme/contracts").status_code == 200
    assert not [s for s in statements if s.lstrip().startswith("SELECT set_config(")]
    assert "set_config(" in statements[0] and "auth_sessions" in statements[0]
    assert "set_config(" in statements[1] and "memberships" in statements[1]


def test_a_person_in_two_workspaces_reads_the_one_entered_and_a_partner_only_their_own(app, world, client, cf):
    """Whichever of the person's memberships comes first, the tenant set is the workspace in the address; a partner
    entering the portal has their own setting sent on top, and a workspace one is not a member of is not entered."""
    from tenants.models import Role

    from .. import factories
    from ..web import distributor_helpers

    with app.app_context():
        factories.member(world.rival, world.coordinator, Role.coordinator)
    cf.contract(world.acme, cf.account(world.acme, name="Acme Side Account"), world.rep, title="Acme side deal")
    cf.contract(world.rival, cf.account(world.rival, name="Rival Side Account"), world.rival_owner,
                title="Rival side deal")
    client.sign_in(world.coordinator.email)
    for _ in range(2):  # back and forth: the same person's rows, a different workspace each time
        acme = client.get("/t/acme/contracts").get_data(as_text=True)
        assert "Acme side deal" in acme and "Rival side deal" not in acme
        rival = client.get("/t/rival/contracts").get_data(as_text=True)
        assert "Rival side deal" in rival and "Acme side deal" not in rival
    client.sign_in(world.rival_owner.email)
    assert client.get("/t/acme/contracts").status_code == 404
    distributor_helpers.partners(app, world)
    client.sign_in("minh@lotus.example")
    client.get("/t/acme/portal")
    with count_queries(app) as statements:
        portal = client.get("/t/acme/portal").get_data(as_text=True)
    assert "Lotus Trading" in portal and "Merlion" not in portal
    settings = [s for s in statements if s.lstrip().startswith("SELECT set_config(")]
    assert len(settings) == 1 and "app.partner_id" in settings[0]
