"""The ORM layer of isolation: every statement is scoped to the current tenant, and none runs without one."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from tenants.audit import AuditEvent
from tenants.db import db, utcnow
from tenants.models import User
from tenants.scoping import TenancyError, tenant_context, unscoped
from web.team.models import Invitation

from .. import factories as f
from ..conftest import PG_URL


@pytest.fixture
def two(app):
    """Tenants a and b, each with two invitations and an audit event."""
    with app.app_context():
        a, b = f.tenant("alpha"), f.tenant("beta")
        boss = f.user("boss@x.example")
        for t in (a, b):
            with tenant_context(t.id):
                for n in range(2):
                    db.session.add(Invitation(email=f"{t.slug}{n}@x.example", role="rep", locale="en",
                                              invited_by_id=boss.id, expires_at=utcnow() + timedelta(days=1)))
                db.session.add(AuditEvent(action="test", actor_id=boss.id))
                db.session.commit()
        return a, b


def test_select_without_a_tenant_raises(app, two):
    with app.app_context():
        with pytest.raises(TenancyError):
            db.session.scalars(select(Invitation)).all()
        with pytest.raises(TenancyError):
            db.session.scalar(select(func.count()).select_from(Invitation))


def test_join_from_a_shared_table_to_tenant_data_without_a_tenant_raises(app, two):
    with app.app_context():
        with pytest.raises(TenancyError):
            db.session.execute(select(User.email).join(Invitation, Invitation.invited_by_id == User.id)).all()


def test_a_statement_built_once_is_still_refused_tenant_data_without_a_tenant(app, two):
    """prebuilt() remembers whether a statement reads tenant data; it never lets one through for being known."""
    from sqlalchemy import bindparam

    from tenants.scoping import prebuilt

    reads_invitations = prebuilt(select(Invitation.email).where(Invitation.role == bindparam("role")))
    reads_users = prebuilt(select(User.email).where(User.email == bindparam("email")))
    with app.app_context():
        for _ in range(2):  # the first run works it out, the second reads what was remembered
            with pytest.raises(TenancyError):
                db.session.execute(reads_invitations, {"role": "rep"}).all()
            assert db.session.execute(reads_users, {"email": "boss@x.example"}).all() == [("boss@x.example",)]
        a, b = two
        for _ in range(2):  # each tenant's scoped copy is made once and kept: never the other tenant's
            for tenant in (a, b, a):
                with tenant_context(tenant.id):
                    emails = sorted(email for (email,) in db.session.execute(reads_invitations, {"role": "rep"}))
                assert emails == [f"{tenant.slug}0@x.example", f"{tenant.slug}1@x.example"]


def test_a_column_read_built_once_runs_as_core_only_when_its_sql_is_the_orms_with_the_tenant_in_it(app, two,
                                                                                                  monkeypatch):
    """A column read built once skips the ORM's execution (tenants.scoping._core_form) with the very SQL the ORM
    would send: a Core form that lost the tenant's conditions is refused and the ORM runs the read."""
    from sqlalchemy import bindparam

    from tenants import scoping
    from tenants.scoping import prebuilt

    a, b = two
    emails = prebuilt(select(Invitation.email).where(Invitation.role == bindparam("role")).order_by(Invitation.email))
    objects = prebuilt(select(Invitation).where(Invitation.role == bindparam("role")))
    with app.app_context():
        for tenant in (a, b, a):
            with tenant_context(tenant.id):
                assert db.session.scalars(emails, {"role": "rep"}).all() == [f"{tenant.slug}0@x.example",
                                                                           f"{tenant.slug}1@x.example"]
                # Objects are the ORM's to build: that read is not turned into Core.
                found = db.session.scalars(objects, {"role": "rep"}).all()
                assert len(found) == 2 and all(isinstance(i, Invitation) and i.tenant_id == tenant.id for i in found)
        assert scoping._scoped_prebuilt[id(emails)][1] is not None
        assert scoping._scoped_prebuilt[id(objects)][1] is None

        # An ORM whose Core form lost the tenant's conditions: the proof refuses it, and the statement itself runs as
        # Core (it compiles the ORM's way, the tenant's condition in it): nothing of b's is read in a.
        table = Invitation.__table__
        unscoped_form = select(table.c.email).where(table.c.role == bindparam("role")).order_by(table.c.email)
        monkeypatch.setattr(scoping, "_orm_core_statement", lambda statement: unscoped_form)
        again = prebuilt(select(Invitation.email).where(Invitation.role == bindparam("role"))
                         .order_by(Invitation.email))
        for _ in range(2):
            with tenant_context(a.id):
                assert db.session.scalars(again, {"role": "rep"}).all() == ["alpha0@x.example", "alpha1@x.example"]
        scoped, core = scoping._scoped_prebuilt[id(again)]
        assert core is scoped and core is not unscoped_form


def test_a_column_read_whose_subquery_the_orm_scopes_runs_as_core_with_the_tenant_in_the_subquery(app, two):
    """A column read built once whose subquery names a tenant table (a search's ids, a panel's sums): the ORM puts
    the tenant's condition on the subquery only as it compiles, so the read runs as the statement itself compiled
    the ORM's way, never as a form without it; each tenant reads only its own rows. An unlabelled count's subquery,
    whose key Core names otherwise than the ORM, is left to the ORM."""
    from sqlalchemy import bindparam, func

    from tenants import scoping
    from tenants.scoping import prebuilt

    a, b = two
    roles = select(Invitation.id).where(Invitation.role == bindparam("role")).scalar_subquery()
    emails = prebuilt(select(Invitation.email).where(Invitation.id.in_(roles)).order_by(Invitation.email))
    count = prebuilt(select(select(func.count(Invitation.id)).where(Invitation.role == bindparam("role"))
                            .scalar_subquery()))
    with app.app_context():
        for _ in range(2):
            for tenant in (a, b, a):
                with tenant_context(tenant.id):
                    assert db.session.scalars(emails, {"role": "rep"}).all() == [f"{tenant.slug}0@x.example",
                                                                               f"{tenant.slug}1@x.example"]
                    assert db.session.execute(count, {"role": "rep"}).scalar_one() == 2
        scoped, core = scoping._scoped_prebuilt[id(emails)]
        assert core is scoped
        sql = str(core.compile(dialect=db.engine.dialect))
        assert sql.count("invitations.tenant_id =") == 2, sql  # the outer read's and the subquery's
        assert scoping._scoped_prebuilt[id(count)][1] is None


def test_a_plain_read_of_shared_tables_refuses_tenant_data_with_or_without_a_tenant(app, two):
    """read_shared() runs the sign-in's read without the ORM; it has no tenant scope, so it takes no tenant table."""
    from tenants.scoping import read_shared

    users = select(User.__table__.c.email)
    invitations = select(Invitation.__table__.c.email)
    with app.app_context():
        assert read_shared(users).all() == [("boss@x.example",)]
        with pytest.raises(TenancyError):
            read_shared(invitations)
        with tenant_context(two[0].id), pytest.raises(TenancyError):
            read_shared(invitations)


def test_shared_tables_need_no_tenant(app, two):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_selects_counts_and_joins_see_only_the_current_tenant(app, two):
    a, b = two
    with app.app_context(), tenant_context(a.id):
        emails = sorted(db.session.scalars(select(Invitation.email)))
        assert emails == ["alpha0@x.example", "alpha1@x.example"]
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2
        joined = db.session.execute(
            select(Invitation.email, AuditEvent.action).join(AuditEvent, AuditEvent.actor_id == Invitation.invited_by_id)
        ).all()
        assert {row.email for row in joined} == {"alpha0@x.example", "alpha1@x.example"}


def test_get_by_primary_key_of_another_tenant_finds_nothing(app, two):
    a, b = two
    with app.app_context():
        with tenant_context(b.id):
            b_id = db.session.scalars(select(Invitation.id)).first()
        db.session.expunge_all()
        with tenant_context(a.id):
            assert db.session.get(Invitation, b_id) is None


def test_relationship_loads_are_scoped(app, two):
    a, b = two
    with app.app_context(), tenant_context(a.id):
        invitation = db.session.scalars(select(Invitation)).first()
        assert invitation.invited_by.email == "boss@x.example"  # shared target loads as usual


def test_bulk_update_and_delete_touch_only_the_current_tenant(app, two):
    a, b = two
    with app.app_context():
        with tenant_context(a.id):
            db.session.execute(update(Invitation).values(role="admin"))
            db.session.execute(delete(AuditEvent))
            db.session.commit()
        with tenant_context(b.id):
            assert set(db.session.scalars(select(Invitation.role))) == {"rep"}
            assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_the_tenant_is_read_when_a_statement_runs_not_when_it_was_built(app, two):
    """One criteria option serves every tenant (the tenant is a parameter read at run time): the same statement, and
    the same compiled form, alternated between tenants reads each one's rows; an ORM update synchronises the objects
    it loaded (SQLAlchemy evaluates the tenant condition in Python), and only the current tenant's."""
    a, b = two
    statement = select(Invitation).order_by(Invitation.email)
    with app.app_context():
        for tenant in (a, b, a, b):
            with tenant_context(tenant.id):
                assert [i.email for i in db.session.scalars(statement)] == [f"{tenant.slug}0@x.example",
                                                                             f"{tenant.slug}1@x.example"]
        with tenant_context(a.id):
            loaded = db.session.scalars(statement).all()
            db.session.execute(update(Invitation).where(Invitation.email == "alpha0@x.example").values(role="admin"))
            assert [i.role for i in loaded] == ["admin", "rep"]  # synchronised in the session, without a reload
            db.session.commit()
        with tenant_context(b.id):
            assert set(db.session.scalars(select(Invitation.role))) == {"rep"}


def test_new_rows_are_stamped_with_the_current_tenant(app, two):
    a, b = two
    with app.app_context(), tenant_context(b.id):
        event = AuditEvent(action="stamped")
        db.session.add(event)
        db.session.commit()
        assert event.tenant_id == b.id


def test_new_rows_without_a_tenant_or_for_another_tenant_are_refused(app, two):
    a, b = two
    with app.app_context():
        db.session.add(AuditEvent(action="orphan"))
        with pytest.raises(TenancyError):
            db.session.flush()
        db.session.rollback()
        with tenant_context(a.id):
            db.session.add(AuditEvent(action="smuggled", tenant_id=b.id))
            with pytest.raises(TenancyError):
                db.session.flush()
            db.session.rollback()


def test_a_row_cannot_move_to_another_tenant(app, two):
    a, b = two
    with app.app_context(), tenant_context(a.id):
        invitation = db.session.scalars(select(Invitation)).first()
        invitation.tenant_id = b.id
        with pytest.raises(TenancyError):
            db.session.flush()
        db.session.rollback()


def test_unscoped_lifts_the_orm_filter_but_not_the_database_policy(app, two):
    with app.app_context(), unscoped():
        count = db.session.scalar(select(func.count()).select_from(Invitation))
    # SQLite has only the ORM layer; on PostgreSQL, RLS still hides every tenant's rows without a tenant set.
    assert count == (0 if PG_URL else 4)


def test_a_union_of_column_reads_built_once_runs_as_core_with_each_parts_tenant_condition(app, two):
    """A UNION of column reads built once (home's arrivals) runs as Core as it is, compiled the ORM's way: each part
    carries the tenant's condition, and each tenant reads only its own rows, under the same keys as before."""
    from sqlalchemy import bindparam, literal, union_all

    from tenants import scoping
    from tenants.scoping import prebuilt

    a, b = two
    reps = select(literal("rep").label("kind"), Invitation.email).where(Invitation.role == bindparam("role"))
    firsts = select(literal("first"), Invitation.email).where(Invitation.email.like("%0@%"))
    both = prebuilt(union_all(reps, firsts))
    with app.app_context():
        for _ in range(2):
            for tenant in (a, b, a):
                with tenant_context(tenant.id):
                    rows = db.session.execute(both, {"role": "rep"}).all()
                    assert sorted(tuple(r) for r in rows) == [("first", f"{tenant.slug}0@x.example"),
                                                              ("rep", f"{tenant.slug}0@x.example"),
                                                              ("rep", f"{tenant.slug}1@x.example")]
                    assert list(rows[0]._mapping) == ["kind", "email"]
        scoped, core = scoping._scoped_prebuilt[id(both)]
        assert core is scoped
        assert str(core.compile(dialect=db.engine.dialect)).count("invitations.tenant_id =") == 2
