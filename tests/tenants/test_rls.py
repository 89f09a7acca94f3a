"""The database layer of isolation on PostgreSQL: RLS forced on every tenant table, and a role it binds."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from tenants.db import db, utcnow
from tenants.scoping import tenant_context, tenant_tables
from web.team.models import Invitation

from .. import factories as f

pytestmark = pytest.mark.postgres_only


def test_every_tenant_table_has_rls_enabled_and_forced_with_a_policy(app):
    with app.app_context():
        names = sorted(t.name for t in tenant_tables())
        rows = db.session.execute(text(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
            "FROM pg_class c WHERE c.relname = ANY(:names)"), {"names": names}).all()
    assert sorted(r[0] for r in rows) == names
    for name, enabled, forced, policies in rows:
        assert enabled and forced and policies >= 1, name


def test_every_table_that_carries_a_tenant_id_is_bound_by_rls_shared_ones_included(app):
    """A shared table with a tenant_id (memberships, the outbox) decides its own policy, but it has one."""
    with app.app_context():
        names = sorted(t.name for t in db.metadata.sorted_tables if "tenant_id" in t.c)
        rows = db.session.execute(text(
            "SELECT c.relname FROM pg_class c WHERE c.relname = ANY(:names) AND c.relrowsecurity "
            "AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)"),
            {"names": names}).scalars().all()
    assert sorted(rows) == names


def test_the_app_role_is_neither_superuser_nor_owner_nor_bypassrls(app):
    with app.app_context():
        role = db.session.execute(text(
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owned = db.session.scalar(text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user"))
    assert role.rolsuper is False and role.rolbypassrls is False
    assert owned == 0


def _seed(app):
    with app.app_context():
        a, b = f.tenant("alpha"), f.tenant("beta")
        for t in (a, b):
            with tenant_context(t.id):
                db.session.add(Invitation(email=f"{t.slug}@x.example", role="rep", locale="en",
                                          expires_at=utcnow() + timedelta(days=1)))
                db.session.commit()
        return a, b


def test_raw_sql_as_tenant_a_returns_no_row_of_tenant_b(app):
    a, b = _seed(app)
    with app.app_context():
        # Raw SQL on a raw connection: no ORM filter at all, only the database's policy.
        with db.engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
            rows = conn.execute(text("SELECT email, tenant_id FROM invitations")).all()
    assert rows == [("alpha@x.example", a.id)]


def test_raw_sql_with_no_tenant_set_returns_nothing(app):
    _seed(app)
    with app.app_context(), db.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM invitations")).scalar() == 0


def test_raw_insert_into_another_tenant_is_refused(app):
    a, b = _seed(app)
    with app.app_context(), db.engine.connect() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
        with pytest.raises(ProgrammingError, match="row-level security"):
            conn.execute(text("INSERT INTO invitations (tenant_id, email, role, locale, created_at, expires_at) "
                              "VALUES (:t, 'x@x.example', 'rep', 'en', now(), now())"), {"t": b.id})


def test_the_setting_does_not_outlive_its_transaction(app):
    a, b = _seed(app)
    with app.app_context(), db.engine.connect() as conn:
        with conn.begin():
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
        with conn.begin():
            assert conn.execute(text("SELECT current_setting('app.tenant_id', true)")).scalar() in ("", None)


def test_memberships_are_visible_to_their_tenant_and_their_person_only(app, world):
    with app.app_context(), db.engine.begin() as conn:
        count = "SELECT count(*) FROM memberships"
        assert conn.execute(text(count)).scalar() == 0  # nobody signed in, no tenant: nothing
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(world.rival.id)})
        assert conn.execute(text(count)).scalar() == 1  # rival's owner only
        conn.execute(text("SELECT set_config('app.tenant_id', '', true), set_config('app.user_id', :u, true)"),
                     {"u": str(world.rep.id)})
        assert conn.execute(text("SELECT tenant_id FROM memberships")).scalars().all() == [world.acme.id]
        with pytest.raises(ProgrammingError, match="row-level security"):
            conn.execute(text("INSERT INTO memberships (tenant_id, user_id, role, created_at) "
                              "VALUES (:t, :u, 'owner', now())"), {"t": world.rival.id, "u": world.owner.id})


def test_only_the_delivery_job_reads_the_outbox(app, client, world):
    client.post("/password/forgot", {"email": "coord@acme.example"})  # queues a reset link
    with app.app_context(), db.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox_messages")).scalar() == 0
        assert conn.execute(text("UPDATE outbox_messages SET subject = 'x'")).rowcount == 0
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(world.acme.id)})
        assert conn.execute(text("SELECT count(*) FROM outbox_messages")).scalar() == 0  # not even in a tenant
        conn.execute(text("SELECT set_config('app.outbox', 'deliver', true)"))
        assert conn.execute(text("SELECT count(*) FROM outbox_messages")).scalar() == 1
