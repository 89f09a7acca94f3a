"""The partner portal: a distributor's users see their own partner's records only, fail closed, and no staff page."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from tenants.db import db
from tenants.resolve import MEMBER, route_access
from tenants.scoping import TenancyError, partner_context, tenant_context
from web.accounts.models import Account
from web.distributors.models import Distributor

from .. import factories as f
from . import distributor_helpers as dh
from . import sweep_cases


def test_a_partner_lands_on_their_portal_in_their_language_with_their_terms(app, client, world):
    p = dh.partners(app, world)
    client.login("minh@lotus.example")
    landed = client.get("/t/acme/")
    assert landed.status_code == 302 and landed.headers["Location"].endswith("/t/acme/portal")
    page = client.get("/t/acme/portal")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="vi"' in html and "Lotus Trading" in html and "Merlion" not in html
    assert f.shows(html, f.translated("Your terms", "vi")) and "Giulia Coordinator" in html
    assert "Gold" in html and "đồng việt nam" in html.lower()  # amounts in the partner's currency, named in vi
    # The staff navigation is not there: no link into the staff areas.
    assert "/t/acme/contracts" not in html and "/t/acme/team" not in html
    assert p.lotus.id


def _staff_rules(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/t/<tenant>") or route_access(app, rule.endpoint) != MEMBER:
            continue
        if rule.endpoint.startswith("portal.") or rule.endpoint == "home.index":
            continue
        yield rule


def test_every_staff_route_is_404_for_a_partner(app, client, world):
    dh.partners(app, world)
    with app.app_context():
        ids = sweep_cases.make_ids(world)
    client.login("minh@lotus.example")
    checked = 0
    with app.test_request_context():
        from flask import url_for

        urls = [(rule, url_for(rule.endpoint, tenant="acme", **{k: v for k, v in ids.items() if k in rule.arguments}))
                for rule in _staff_rules(app)]
    for rule, url in urls:
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 100, checked


def test_a_portal_user_bound_to_no_distributor_has_no_portal(app, client, world):
    dh.partners(app, world)
    dh.portal_user(app, world.acme, None, "loose@partner.example")
    client.login("loose@partner.example")
    assert client.get("/t/acme/portal").status_code == 404


def test_staff_have_no_portal(app, client, world):
    dh.partners(app, world)
    client.sign_in("owner@acme.example")
    assert client.get("/t/acme/portal").status_code == 404


def test_the_orm_shows_a_partner_only_their_own_rows_and_nothing_of_the_tenants_customers(app, world, cf):
    p = dh.partners(app, world)
    cf.account(world.acme)
    with app.app_context(), tenant_context(world.acme.id):
        with partner_context(p.lotus.id):
            assert [d.name for d in db.session.scalars(select(Distributor))] == ["Lotus Trading"]
            assert db.session.get(Distributor, p.merlion.id) is None
            with pytest.raises(TenancyError):
                db.session.scalars(select(Account)).all()
            with pytest.raises(TenancyError):
                db.session.add(Account(name="Sneaky", name_key="sneaky"))
                db.session.flush()
            db.session.rollback()
        with partner_context(0):  # bound to nothing: nothing
            assert db.session.scalars(select(Distributor)).all() == []
        assert len(db.session.scalars(select(Distributor)).all()) == 2  # staff see every partner


def test_a_partner_cannot_write_another_partners_row(app, world):
    p = dh.partners(app, world)
    with app.app_context(), tenant_context(world.acme.id):
        merlion = db.session.get(Distributor, p.merlion.id)
        with partner_context(p.lotus.id):
            merlion.notes = "mine now"
            with pytest.raises(TenancyError):
                db.session.flush()
        db.session.rollback()


@pytest.mark.postgres_only
def test_on_postgresql_row_level_security_keeps_partners_apart_too(app, world):
    """Raw SQL bypasses the ORM's criteria: the database's own partner policy still answers for one partner."""
    p = dh.partners(app, world)
    dh.contact(app, world.acme, p.lotus)
    dh.contact(app, world.acme, p.merlion, name="Tan Wei")
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.execute(text("SELECT count(*) FROM distributors")).scalar() == 2
        db.session.commit()
        with partner_context(p.lotus.id):
            db.session.scalar(select(Distributor.id))  # the ORM sends the transaction's settings first
            assert db.session.execute(text("SELECT name FROM distributors")).scalars().all() == ["Lotus Trading"]
            assert db.session.execute(text("SELECT name FROM distributor_contacts")).scalars().all() == [
                "Trần Văn Minh"]
        db.session.rollback()


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_the_portal_reads_in_italian_and_vietnamese(app, client, world, locale):
    dh.partners(app, world)
    dh.portal_user(app, world.acme, dh.distributor(app, world.acme, f"Partner {locale}"), f"p-{locale}@x.example",
                   locale=locale)
    client.login(f"p-{locale}@x.example")
    page = client.get("/t/acme/portal")
    assert page.status_code == 200
    for message in ("Your terms", "Territory", "Your coordinator", "Partner portal"):
        assert f.shows(page, f.translated(message, locale)), message
