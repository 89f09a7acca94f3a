"""Reads built once, sent to the driver on a short way (tenants.fastread): the same rows, keys and values as
SQLAlchemy's own run, each tenant's own, every statement heard by engine listeners, a driver's error wrapped."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Integer, bindparam, exc, func, select

from tenants import fastread, scoping
from tenants.db import db, utcnow
from tenants.models import User
from tenants.scoping import prebuilt, read_shared, tenant_context
from web.team.models import Invitation

from .. import factories as f
from ..conftest import count_queries


@pytest.fixture
def two(app):
    """Tenants a and b, each with three invitations expiring on different days."""
    with app.app_context():
        a, b = f.tenant("alpha"), f.tenant("beta")
        boss = f.user("boss@x.example")
        for t in (a, b):
            with tenant_context(t.id):
                for n in range(3):
                    db.session.add(Invitation(email=f"{t.slug}{n}@x.example", role="rep" if n else "admin",
                                              locale="en", invited_by_id=boss.id,
                                              expires_at=utcnow() + timedelta(days=n + 1)))
                db.session.commit()
        return a, b


def _columns():
    return select(Invitation.email, Invitation.role, Invitation.expires_at).order_by(Invitation.email)


def test_a_read_built_once_gives_what_sqlalchemy_gives_in_each_tenant_on_every_run(app, two):
    a, b = two
    kept = prebuilt(_columns().where(Invitation.role == bindparam("role")))
    emails = bindparam("emails", expanding=True)
    listed = prebuilt(_columns().where(Invitation.email.in_(emails)))
    # The same list twice in one statement: one parameter, its items given once.
    twice = prebuilt(_columns().where(Invitation.email.in_(emails), Invitation.email.in_(emails)))
    with app.app_context():
        for tenant in (a, b, a, b):  # the first run of each goes SQLAlchemy's way, the next ones the short way
            with tenant_context(tenant.id):
                for role in ("rep", "admin"):
                    fast = db.session.execute(kept, {"role": role})
                    usual = db.session.execute(_columns().where(Invitation.role == role))
                    assert list(fast.keys()) == list(usual.keys()) == ["email", "role", "expires_at"]
                    rows, expected = fast.all(), usual.all()
                    assert rows == expected and rows and all(r.email.startswith(tenant.slug) for r in rows)
                    assert all(isinstance(r.expires_at, datetime) and r.expires_at.tzinfo for r in rows)
                # An IN list of any length, the empty one included: its SQL is finished for each length, and each
                # run's items are its own.
                for emails in ([f"{tenant.slug}1@x.example"], [f"{tenant.slug}0@x.example", "alpha2@x.example"],
                               []):
                    for statement in (listed, twice):
                        found = [r.email for r in db.session.execute(statement, {"emails": emails})]
                        assert found == sorted(e for e in emails if e.startswith(tenant.slug))
        # Both took the short way (their Core forms have plans), the IN list's finished on each run.
        dialect = db.session.get_bind().dialect.name
        plans = [fastread._plans[(id(scoping._scoped_prebuilt[id(s)][1]), dialect)] for s in (kept, listed, twice)]
        assert [plan.expanding for plan in plans] == [False, True, True]
        # Their SQL was finished once per length of the list, then reused with each run's items.
        assert set(plans[1].finished) == set(plans[2].finished) == {(1,), (2,), (0,)}


def test_engine_listeners_hear_every_run_with_its_parameters(app, two):
    a, _b = two
    people = prebuilt(select(User.email, User.name).where(User.email == bindparam("email")))
    with app.app_context(), count_queries(app) as statements:
        for _ in range(3):
            assert read_shared(people, {"email": "boss@x.example"}).one().email == "boss@x.example"
    assert len(statements) == 3 and all("FROM users" in s for s in statements)


def test_a_drivers_error_on_the_short_way_is_sqlalchemys(app, two):
    """An integer too large for abs() fails in the database on both kinds: the error is SQLAlchemy's, as it was."""
    overflow = prebuilt(select(func.abs(bindparam("n", type_=Integer)).label("n")).select_from(User.__table__)
                        .limit(1))
    with app.app_context():
        assert read_shared(overflow, {"n": -5}).scalar() == 5  # the first run: SQLAlchemy's way, kept
        assert read_shared(overflow, {"n": -7}).scalar() == 7  # the short way
        with pytest.raises(exc.DBAPIError):
            read_shared(overflow, {"n": -(2 ** 63)}).all()
        db.session.rollback()
        assert read_shared(overflow, {"n": -9}).scalar() == 9  # and the connection still serves
