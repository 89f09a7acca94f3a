"""Distributors for staff: tiers, partners, contacts, portal users invited bound to one partner."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from tenants.db import db
from tenants.models import Membership
from tenants.scoping import tenant_context
from web.distributors.models import Distributor, DistributorContact, Tier
from web.team.models import Invitation

from .. import factories as f
from . import distributor_helpers as dh

NEW = {"name": "Lotus Trading JSC", "countries": ["VN", "KH"], "language": "vi", "currency": "VND",
       "agreement_starts_on": "2026-01-01", "agreement_ends_on": "2027-12-31", "website": "lotus.example"}


def test_an_admin_defines_tiers_read_in_their_locale(app, client, world):
    client.sign_in("admin@acme.example")
    created = client.post("/t/acme/distributors/tiers", {"name": "Gold", "rank": "1", "discount_percent": "12.5",
                                                          "exclusivity_days": "90", "lead_sla_hours": "48",
                                                          "benefits": "Co-marketing"})
    assert created.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        tier = db.session.scalar(select(Tier))
        assert (tier.name, tier.discount_percent, tier.exclusivity_days) == ("Gold", Decimal("12.5"), 90)
    page = client.get("/t/acme/distributors/tiers").get_data(as_text=True)
    assert "12.5%" in page and "90 days" in page


def test_a_bad_tier_is_422_with_what_was_typed_kept(app, client, world):
    client.sign_in("admin@acme.example")
    response = client.post("/t/acme/distributors/tiers", {"name": "Platinum", "rank": "1", "discount_percent": "150",
                                                           "exclusivity_days": "-3", "lead_sla_hours": "x"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a percentage from 0 to 100." in page and "Enter a whole number from 1 to 3650." in page
    assert 'value="Platinum"' in page and 'value="150"' in page
    assert dh.count_rows(app, world.acme, Tier) == 0


def test_only_admins_change_tiers(app, client, world):
    gold = dh.tier(app, world.acme)
    client.sign_in("coord@acme.example")
    assert client.get("/t/acme/distributors/tiers").status_code == 200
    assert client.post("/t/acme/distributors/tiers", {"name": "X"}).status_code == 403
    assert client.get(f"/t/acme/distributors/tiers/{gold.id}/edit").status_code == 403


def test_a_coordinator_adds_a_distributor_and_edits_it_without_overwriting_anyone(app, client, world):
    gold = dh.tier(app, world.acme)
    client.sign_in("coord@acme.example")
    created = client.post("/t/acme/distributors", {**NEW, "tier_id": str(gold.id),
                                                   "coordinator_id": str(world.coordinator.id)})
    assert created.status_code == 303, created.get_data(as_text=True)[:3000]
    distributor_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/t/acme/distributors/{distributor_id}").get_data(as_text=True)
    assert "Lotus Trading JSC" in page and "Vietnam" in page and "Cambodia" in page and "Gold" in page
    with app.app_context(), tenant_context(world.acme.id):
        row = db.session.get(Distributor, distributor_id)
        assert row.countries == ["KH", "VN"] and row.currency == "VND" and row.tier_id == gold.id
        version = row.version
    saved = client.post(f"/t/acme/distributors/{distributor_id}", {**NEW, "name": "Lotus Trading",
                                                                  "version": str(version)})
    assert saved.status_code == 303
    stale = client.post(f"/t/acme/distributors/{distributor_id}", {**NEW, "name": "Lotus Old", "version": str(version)})
    assert stale.status_code == 409 and 'value="Lotus Old"' in stale.get_data(as_text=True)
    assert "Lotus Trading" in client.get("/t/acme/distributors").get_data(as_text=True)


def test_a_bad_distributor_is_422_and_nothing_is_lost(app, client, world):
    client.sign_in("coord@acme.example")
    response = client.post("/t/acme/distributors", {**NEW, "countries": ["ZZ"], "currency": "XXY", "language": "fr",
                                                    "agreement_ends_on": "2025-01-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a country from the list." in page
    assert "Choose a currency from the list" in page and "Choose a language from the list." in page
    assert 'value="Lotus Trading JSC"' in page
    assert client.post("/t/acme/distributors", {**NEW, "countries": []}).status_code == 422
    ends_first = client.post("/t/acme/distributors", {**NEW, "agreement_ends_on": "2025-01-01"})
    assert ends_first.status_code == 422 and "The agreement cannot end before it starts." in ends_first.get_data(
        as_text=True)
    assert dh.count_rows(app, world.acme, Distributor) == 0


def test_contacts_are_added_and_removed(app, client, world):
    lotus = dh.distributor(app, world.acme)
    client.sign_in("coord@acme.example")
    bad = client.post(f"/t/acme/distributors/{lotus.id}/contacts", {"name": "", "email": "nope"}, htmx=True)
    assert bad.status_code == 422 and "Enter a valid email address" in bad.get_data(as_text=True)
    added = client.post(f"/t/acme/distributors/{lotus.id}/contacts", {"name": "Trần Văn Minh",
                                                                       "email": "minh@lotus.example"}, htmx=True)
    assert added.status_code == 200 and "Trần Văn Minh" in added.get_data(as_text=True)
    with app.app_context(), tenant_context(world.acme.id):
        contact_id = db.session.scalar(select(DistributorContact.id))
    other = dh.distributor(app, world.acme, "Other")
    assert client.post(f"/t/acme/distributors/{other.id}/contacts/{contact_id}/delete").status_code == 404
    assert client.post(f"/t/acme/distributors/{lotus.id}/contacts/{contact_id}/delete").status_code == 303
    assert dh.count_rows(app, world.acme, DistributorContact) == 0


def test_a_portal_user_is_invited_bound_to_the_partner_and_lands_on_its_portal(app, client, make_client, world, smtp):
    lotus = dh.distributor(app, world.acme)
    client.sign_in("admin@acme.example")
    sent = client.post(f"/t/acme/distributors/{lotus.id}/invitations", {"email": "minh@lotus.example",
                                                                        "locale": "vi"})
    assert sent.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        invitation = db.session.scalar(select(Invitation))
        assert (invitation.role, invitation.distributor_id, invitation.locale) == ("distributor", lotus.id, "vi")
    from web import tick

    tick.run(app)
    mail = smtp.to("minh@lotus.example")[0]
    body = mail.get_body(("plain",)).get_content()
    link = re.search(r"http://localhost(/invitations/\S+)", body).group(1)
    partner = make_client()
    accepted = partner.post(link, {"name": "Trần Văn Minh", "password": "lotus flowers bloom 2026"})
    assert accepted.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        membership = db.session.scalar(select(Membership).where(Membership.tenant_id == world.acme.id,
                                                                Membership.role == "distributor"))
        assert membership.distributor_id == lotus.id
    landed = partner.get(accepted.headers["Location"])
    assert landed.status_code == 302 and landed.headers["Location"].endswith("/t/acme/portal")
    portal = partner.get("/t/acme/portal")
    assert portal.status_code == 200 and "Lotus Trading" in portal.get_data(as_text=True)
    page = client.get(f"/t/acme/distributors/{lotus.id}").get_data(as_text=True)
    assert "minh@lotus.example" in page


def test_a_staff_member_cannot_be_invited_as_a_partner_twice_and_a_bad_address_is_422(app, client, world):
    lotus = dh.distributor(app, world.acme)
    client.sign_in("admin@acme.example")
    taken = client.post(f"/t/acme/distributors/{lotus.id}/invitations", {"email": "rep@acme.example", "locale": "en"})
    assert taken.status_code == 422 and "already a member" in taken.get_data(as_text=True)
    bad = client.post(f"/t/acme/distributors/{lotus.id}/invitations", {"email": "not an address", "locale": "en"})
    assert bad.status_code == 422 and 'value="not an address"' in bad.get_data(as_text=True)
    client.forget_token()
    client.sign_in("coord@acme.example")
    assert client.post(f"/t/acme/distributors/{lotus.id}/invitations",
                       {"email": "x@lotus.example", "locale": "en"}).status_code == 403


def test_another_tenant_gets_404_for_a_distributor(app, client, world):
    lotus = dh.distributor(app, world.acme)
    client.login("owner@rival.example")
    assert client.get(f"/t/rival/distributors/{lotus.id}").status_code == 404
    assert client.get(f"/t/acme/distributors/{lotus.id}").status_code == 404


def _bulk(app, world, n, start=0):
    gold_id = None
    with app.app_context(), tenant_context(world.acme.id):
        gold_id = db.session.scalar(select(Tier.id))
        if gold_id is None:
            gold = Tier(name="Gold", rank=1, discount_percent=Decimal(10), exclusivity_days=90, lead_sla_hours=48)
            db.session.add(gold)
            db.session.flush()
            gold_id = gold.id
        db.session.add_all([Distributor(name=f"Partner {i:05d}", name_key=f"partner {i:05d}", countries=["VN"],
                                        language="vi", currency="VND", tier_id=gold_id,
                                        coordinator_id=world.coordinator.id) for i in range(start, start + n)])
        db.session.commit()


def test_the_list_runs_as_many_queries_for_10_as_for_2000_distributors(app, make_client, world, queries):
    client = make_client()
    client.sign_in("coord@acme.example")

    def measure():
        counts = []
        for url, htmx in (("/t/acme/distributors", False), ("/t/acme/distributors?q=partner", True)):
            client.get(url, htmx=htmx)
            with queries() as statements:
                assert client.get(url, htmx=htmx).status_code == 200
            counts.append(len(statements))
        return counts

    _bulk(app, world, 10)
    small = measure()
    _bulk(app, world, 1990, start=10)
    assert dh.count_rows(app, world.acme, Distributor) == 2000
    assert measure() == small
    assert max(small) <= 10, small


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_the_distributor_pages_read_in_italian_and_vietnamese(app, client, world, locale):
    gold = dh.tier(app, world.acme)
    lotus = dh.distributor(app, world.acme, tier_id=gold.id)
    with app.app_context():
        f.person(world.acme, f"admin-{locale}@acme.example", "admin", locale=locale)
    client.login(f"admin-{locale}@acme.example")
    checks = {
        "/t/acme/distributors": ["Distributors", "New distributor", "Territory"],
        "/t/acme/distributors/new": ["New distributor", "Portal language", "Agreement starts"],
        f"/t/acme/distributors/{lotus.id}": ["Portal users", "Invite to the portal", "Add a contact", "Terms"],
        f"/t/acme/distributors/{lotus.id}/edit": ["Agreement ends", "Who looks after them."],
        "/t/acme/distributors/tiers": ["Partner tiers", "Add a tier", "Time to answer a lead"],
        f"/t/acme/distributors/tiers/{gold.id}/edit": ["Save the tier"],
    }
    for url, messages in checks.items():
        page = client.get(url)
        assert page.status_code == 200, url
        for message in messages:
            assert f.shows(page, f.translated(message, locale)), (url, message)
