"""The signed-in person's memberships, read on every tenant page (tenants.members.memberships_of): objects built on
an earlier request are reused only while the database still holds what they hold."""
from __future__ import annotations

from sqlalchemy import delete, update

from tenants.db import db
from tenants.models import Membership, Role, Tenant, User
from tenants.scoping import tenant_context


def test_a_change_to_the_workspace_the_person_or_their_role_shows_on_their_next_page(app, world, client):
    client.sign_in("rep@acme.example")
    page = client.get("/t/acme/contracts")
    assert page.status_code == 200 and "Acme Media" in page.get_data(as_text=True)
    assert client.get("/t/acme/settings").status_code == 403  # a rep is no admin

    with app.app_context():
        db.session.execute(update(Tenant).where(Tenant.id == world.acme.id).values(name="Acme Worldwide"))
        db.session.execute(update(User).where(User.id == world.rep.id).values(name="Marco Renamed"))
        with tenant_context(world.acme.id):  # memberships have a row policy on PostgreSQL: the workspace's
            db.session.execute(update(Membership).where(Membership.user_id == world.rep.id)
                               .values(role=Role.admin.value))
            db.session.commit()
    page = client.get("/t/acme/contracts").get_data(as_text=True)
    assert "Acme Worldwide" in page and "Acme Media" not in page
    assert "Marco Renamed" in page
    assert client.get("/t/acme/settings").status_code == 200  # promoted: the admin's page opens at once

    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(delete(Membership).where(Membership.user_id == world.rep.id))
        db.session.commit()
    assert client.get("/t/acme/contracts").status_code == 404  # no longer a member: nothing of the workspace


def test_what_a_page_changes_on_the_reused_objects_is_saved(app, world):
    """The objects a request gets are its session's own copies: a change to them is written, and the next request
    reads the new value, not the copy built before."""
    from flask import g

    from tenants.members import memberships_of

    for name in ("Acme One", "Acme Two"):
        with app.test_request_context("/"):
            found = memberships_of(world.admin.id)
            assert [m.tenant.name for m in found] == ["Acme Media" if name == "Acme One" else "Acme One"]
            found[0].tenant.name = name
            db.session.commit()
            g.pop("_memberships_of")
    with app.app_context():
        assert db.session.get(Tenant, world.acme.id).name == "Acme Two"
