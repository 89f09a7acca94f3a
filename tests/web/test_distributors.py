"""Distributors for staff: tiers, partners, contacts, portal users invited bound to one partner."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from tenants.db import db
from tenants.models import Membership
from tenants.scoping import tenant_context
from web.distributors.models import Distributor, DistributorContact, Product, Registration, Tier
from web.team.models import Invitation

from .. import factories as f
from .. import lead_factories as lf
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
    p = dh.partners(app, world)
    gold, lotus = p.gold, p.lotus
    dh.product(app, world.acme)
    reg_id = _registration(app, world, p)
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
        "/t/acme/distributors/registrations": ["Deal registrations", "End customer", "Awaiting review"],
        "/t/acme/distributors/results": ["Partner results", "By tier", "Approval rate", "By country"],
        "/t/acme/distributors/products": ["Products", "New product"],
        "/t/acme/distributors/products/new": ["Name in Vietnamese", "Save the product"],
        f"/t/acme/distributors/tiers/{gold.id}/prices": ["Set an explicit price"],
        "/t/acme/distributors/orders": ["Partner orders"],
        f"/t/acme/distributors/registrations/{reg_id}": ["Conflict check", "Approve the registration",
                                                        "Reject the registration", "The deal"],
    }
    for url, messages in checks.items():
        page = client.get(url)
        assert page.status_code == 200, url
        for message in messages:
            assert f.shows(page, f.translated(message, locale)), (url, message)


# --- deal registrations, the staff side -----------------------------------------------------------------


def _registration(app, world, p, *, company="Cà Phê Núi Xanh JSC", website="nuixanh.example",
                  email="nam@nuixanh.example", country="VN", partner=None):
    from i18n.money import Money
    from tenants.scoping import partner_context
    from web.distributors import registrations as regs

    partner = partner or p.lotus
    with app.app_context(), tenant_context(world.acme.id), partner_context(partner.id):
        reg = regs.register(partner, regs.RegistrationData(
            company=company, country=country, value=Money(Decimal(420000000), partner.currency), website=website,
            contact_name="Lê Văn Nam", contact_email=email), actor_id=None)
        return reg.id


def test_the_coordinator_sees_what_the_conflict_check_finds(app, client, world, cf):
    p = dh.partners(app, world)
    with app.app_context():
        lead = lf.lead(world.acme, company="Ca Phe Nui Xanh", country="VN")
    account_id = cf.account(world.acme, name="NuiXanh Holdings", country="VN")
    with app.app_context(), tenant_context(world.acme.id):
        from web.accounts.models import Account

        db.session.get(Account, account_id).domain = "nuixanh.example"
        db.session.commit()
    cf.contract(world.acme, account_id, world.rep)
    _registration(app, world, p, partner=p.merlion, company="Nui Xanh Coffee", website=None,
                  email="buyer@nuixanh.example")
    reg_id = _registration(app, world, p)
    client.sign_in("coord@acme.example")
    page = client.get(f"/t/acme/distributors/registrations/{reg_id}").get_data(as_text=True)
    assert "4 possible conflicts" in page, page[-5000:]
    assert f'/t/acme/leads/{lead.id}"' in page and f"/t/acme/accounts/{account_id}" in page
    assert "Merlion Distribution" in page and "similar name" in page and "same website" in page
    assert "same email domain" in page and "Open contract" in page


def test_the_conflict_check_finds_names_one_inside_the_other(app, client, world, cf):
    """Each way a name may match, as the check reads it from indexes: a lead whose name starts with the customer's,
    one whose name the customer's starts with, an account of the same name; an unrelated name is left out."""
    p = dh.partners(app, world)
    with app.app_context():
        longer = lf.lead(world.acme, company="Ca Phe Nui Xanh Trading", country="VN")
        shorter = lf.lead(world.acme, company="Ca Phe Nui", country="VN")
        other = lf.lead(world.acme, company="Xanh Tea House", country="VN")
    same = cf.account(world.acme, name="Cà phê Núi Xanh", country="VN")
    reg_id = _registration(app, world, p, website=None, email="nam@example.com")
    client.sign_in("coord@acme.example")
    page = client.get(f"/t/acme/distributors/registrations/{reg_id}").get_data(as_text=True)
    assert f'/t/acme/leads/{longer.id}"' in page and f'/t/acme/leads/{shorter.id}"' in page
    assert f'/t/acme/leads/{other.id}"' not in page and f"/t/acme/accounts/{same}" in page


def test_no_conflict_is_said_plainly(app, client, world):
    p = dh.partners(app, world)
    reg_id = _registration(app, world, p, company="Unique Customer", website="unique.example",
                           email="x@unique.example")
    client.sign_in("coord@acme.example")
    page = client.get(f"/t/acme/distributors/registrations/{reg_id}").get_data(as_text=True)
    assert "No conflict found" in page


def test_approving_gives_exclusivity_makes_a_credited_lead_and_tells_the_partner_in_their_language(
        app, client, make_client, world, smtp):
    from datetime import date, timedelta

    from web import tick
    from web.leads.models import Lead

    p = dh.partners(app, world)
    reg_id = _registration(app, world, p)
    client.sign_in("coord@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        version = db.session.get(Registration, reg_id).version
    bad = client.post(f"/t/acme/distributors/registrations/{reg_id}/approve", {"exclusivity_days": "0",
                                                                               "version": str(version)})
    assert bad.status_code == 422 and "Enter a whole number from 1 to 3650." in bad.get_data(as_text=True)
    done = client.post(f"/t/acme/distributors/registrations/{reg_id}/approve", {"exclusivity_days": "90",
                                                                                "version": str(version)})
    assert done.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        reg = db.session.get(Registration, reg_id)
        assert reg.status == "approved" and reg.exclusive_until == date.today() + timedelta(days=90)
        lead = db.session.get(Lead, reg.lead_id)
        assert (lead.company, lead.source, lead.value_currency) == ("Cà Phê Núi Xanh JSC", "distributor", "VND")
    again = client.post(f"/t/acme/distributors/registrations/{reg_id}/reject", {"reason": "Too late",
                                                                               "version": str(version)})
    assert again.status_code == 409
    lead_page = client.get(f"/t/acme/leads/{lead.id}").get_data(as_text=True)
    assert "Credited to Lotus Trading, who registered it" in lead_page
    assert "Cà Phê Núi Xanh JSC" in client.get(f"/t/acme/distributors/{p.lotus.id}").get_data(as_text=True)
    tick.run(app)
    mail = smtp.to("minh@lotus.example")[0]
    assert mail["Subject"].startswith(f.translated("Approved: %(company)s is yours until %(date)s", "vi",
                                                   company="Cà Phê Núi Xanh JSC", date="X").split(":")[0])
    partner = make_client()
    partner.login("minh@lotus.example")
    page = partner.get(f"/t/acme/portal/registrations/{reg_id}").get_data(as_text=True)
    assert f.shows(page, f.translated("Approved", "vi"))


def test_rejecting_needs_a_reason_the_partner_reads(app, client, make_client, world, smtp):
    from web import tick

    p = dh.partners(app, world)
    reg_id = _registration(app, world, p)
    client.sign_in("coord@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        version = db.session.get(Registration, reg_id).version
    empty = client.post(f"/t/acme/distributors/registrations/{reg_id}/reject", {"reason": " ", "version": str(version)})
    assert empty.status_code == 422
    done = client.post(f"/t/acme/distributors/registrations/{reg_id}/reject",
                       {"reason": "Khách hàng này đã làm việc trực tiếp với chúng tôi.", "version": str(version)})
    assert done.status_code == 303
    tick.run(app)
    body = smtp.to("minh@lotus.example")[0].get_body(("plain",)).get_content()
    assert "Khách hàng này đã làm việc trực tiếp với chúng tôi." in body
    partner = make_client()
    partner.login("minh@lotus.example")
    page = partner.get(f"/t/acme/portal/registrations/{reg_id}").get_data(as_text=True)
    assert f.shows(page, f.translated("Rejected. The reason:", "vi"))
    assert "Khách hàng này đã làm việc trực tiếp với chúng tôi." in page


def test_a_rep_cannot_decide_and_another_tenant_gets_404(app, client, world):
    p = dh.partners(app, world)
    reg_id = _registration(app, world, p)
    client.sign_in("rep@acme.example")
    assert client.get(f"/t/acme/distributors/registrations/{reg_id}").status_code == 200
    assert client.post(f"/t/acme/distributors/registrations/{reg_id}/approve",
                       {"exclusivity_days": "90"}).status_code == 403
    rival = client.__class__(app)
    rival.login("owner@rival.example")
    assert rival.get(f"/t/rival/distributors/registrations/{reg_id}").status_code == 404


def test_exclusivity_ending_soon_warns_both_sides_once_then_ends(app, world, smtp):
    from datetime import date, timedelta

    from web import tick
    from web.distributors import registrations as regs

    p = dh.partners(app, world)
    reg_id = _registration(app, world, p)
    with app.app_context(), tenant_context(world.acme.id):
        reg = db.session.get(Registration, reg_id)
        reg.status, reg.exclusive_until = "approved", date.today() + timedelta(days=10)
        db.session.commit()
    tick.run(app)
    tick.run(app)
    assert len(smtp.to("minh@lotus.example")) == 1 and len(smtp.to("coord@acme.example")) == 1
    assert "10" in smtp.to("minh@lotus.example")[0]["Subject"]
    with app.app_context():
        with app.test_request_context():
            assert regs.run(app, today=date.today() + timedelta(days=11)) == {"warned": 0, "expired": 1, "returned": 0}
        with tenant_context(world.acme.id):
            assert db.session.get(Registration, reg_id).status == "expired"


def test_the_staff_list_runs_as_many_queries_for_10_as_for_5000_registrations(app, make_client, world, queries):
    p = dh.partners(app, world)
    client = make_client()
    client.sign_in("coord@acme.example")
    pages = [("/t/acme/distributors/registrations", False), ("/t/acme/distributors/registrations?status=approved",
                                                              False), ("/t/acme/distributors/registrations", True)]

    def bulk(n, start):
        with app.app_context(), tenant_context(world.acme.id):
            db.session.add_all([Registration(distributor_id=(p.lotus.id, p.merlion.id)[i % 2], company=f"C {i:05d}",
                                             company_key=f"c {i:05d}", country="VN", value_amount=Decimal(1000),
                                             value_currency="VND", status=("submitted", "approved")[i % 2],
                                             conflicts=[]) for i in range(start, start + n)])
            db.session.commit()

    def measure():
        counts = []
        for url, htmx in pages:
            client.get(url, htmx=htmx)
            with queries() as statements:
                assert client.get(url, htmx=htmx).status_code == 200
            counts.append(len(statements))
        return counts

    bulk(10, 0)
    small = measure()
    bulk(4990, 10)
    assert dh.count_rows(app, world.acme, Registration) == 5000
    big = measure()
    assert small == big
    print("staff registration list queries (10 and 5,000):", big)
    assert max(big) <= 10, big


# --- products, tier prices and orders, the staff side -------------------------------------------------------


def test_an_admin_adds_a_product_read_in_their_locale_and_a_bad_one_is_422(app, client, world):
    client.sign_in("admin@acme.example")
    ok = client.post("/t/acme/distributors/products", {"code": "COF-1", "name_en": "Arabica coffee", "name_vi": "Cà phê",
                                                       "unit": "bag", "base_price": "1,250.50", "active": "yes"})
    assert ok.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        product = db.session.scalar(select(Product))
        assert (product.base_price, product.base_currency, product.names["vi"]) == (Decimal("1250.50"), "EUR", "Cà phê")
    taken = client.post("/t/acme/distributors/products", {"code": "COF-1", "name_en": "Again", "unit": "bag",
                                                          "base_price": "5", "active": "yes"})
    assert taken.status_code == 422 and "Another product has this code." in taken.get_data(as_text=True)
    bad = client.post("/t/acme/distributors/products", {"code": "TEA-1", "name_en": "Tea", "unit": "box",
                                                        "base_price": "-3", "active": "yes"})
    assert bad.status_code == 422 and "Enter an amount above 0." in bad.get_data(as_text=True)
    assert 'value="TEA-1"' in bad.get_data(as_text=True)
    assert dh.count_rows(app, world.acme, Product) == 1


def test_a_tier_gets_an_explicit_price_and_back_to_its_discount(app, client, world):
    gold = dh.tier(app, world.acme)
    coffee = dh.product(app, world.acme)
    client.sign_in("admin@acme.example")
    page = client.get(f"/t/acme/distributors/tiers/{gold.id}/prices").get_data(as_text=True)
    assert "€17.00" in page  # 20.00 less 15 %
    assert client.post(f"/t/acme/distributors/tiers/{gold.id}/prices", {"product_id": str(coffee.id),
                                                                        "price": "-1"}).status_code == 422
    assert client.post(f"/t/acme/distributors/tiers/{gold.id}/prices", {"product_id": "99999",
                                                                        "price": "1"}).status_code == 422
    assert client.post(f"/t/acme/distributors/tiers/{gold.id}/prices", {"product_id": str(coffee.id),
                                                                        "price": "15.50"}).status_code == 303
    assert "€15.50" in client.get(f"/t/acme/distributors/tiers/{gold.id}/prices").get_data(as_text=True)
    assert client.post(f"/t/acme/distributors/tiers/{gold.id}/prices/{coffee.id}/delete").status_code == 303
    assert client.post(f"/t/acme/distributors/tiers/{gold.id}/prices/{coffee.id}/delete").status_code == 404


def _placed(app, world, p, coffee, qty=2):
    from sqlalchemy.orm import joinedload

    from tenants.models import Tenant
    from tenants.scoping import partner_context
    from web.distributors import orders

    with app.test_request_context(), tenant_context(world.acme.id), partner_context(p.lotus.id):
        tenant = db.session.get(Tenant, world.acme.id)
        lotus = db.session.scalar(select(Distributor).options(joinedload(Distributor.tier)))
        return orders.place(lotus, tenant, {coffee.id: qty}, notes=None, actor_id=None).id


def test_staff_confirm_ship_deliver_and_invoice_and_both_sides_hear_in_their_language(app, client, world, smtp):
    from web import tick
    from web.distributors.models import Order

    p = dh.partners(app, world)
    dh.vnd_rate(app, world.acme)
    coffee = dh.product(app, world.acme)
    order_id = _placed(app, world, p, coffee)
    client.sign_in("admin@acme.example")  # the partner's coordinator (Italian) is told, not the one acting

    def version():
        with app.app_context(), tenant_context(world.acme.id):
            return str(db.session.get(Order, order_id).version)

    base = f"/t/acme/distributors/orders/{order_id}"
    assert client.post(f"{base}/ship", {"carrier": "DHL", "incoterm": "DAP", "version": version()}).status_code == 409
    assert client.post(f"{base}/confirm", {"version": version()}).status_code == 303
    missing = client.post(f"{base}/ship", {"carrier": "", "incoterm": "XYZ", "tracking": "JD01", "version": version()})
    assert missing.status_code == 422 and 'value="JD01"' in missing.get_data(as_text=True)
    assert client.post(f"{base}/ship", {"carrier": "DHL Express", "tracking": "JD014600", "incoterm": "DAP",
                                        "export_papers": "EX-A 26IT000123", "version": version()}).status_code == 303
    assert client.post(f"{base}/deliver", {"version": version()}).status_code == 303
    assert client.post(f"{base}/invoice", {"invoice_number": "", "version": version()}).status_code == 422
    assert client.post(f"{base}/invoice", {"invoice_number": "2026/0042", "version": version()}).status_code == 303
    tick.run(app)
    partner_mail = smtp.to("minh@lotus.example")
    staff_mail = smtp.to("coord@acme.example")
    assert len(partner_mail) == 4 and len(staff_mail) == 5  # the coordinator also hears of the order itself
    shipped = [m for m in partner_mail if "JD014600" in m.get_body(("plain",)).get_content()][0]
    assert f.translated("Shipped", "vi") in shipped["Subject"]
    assert any("Consegnato" in m["Subject"] for m in staff_mail), [m["Subject"] for m in staff_mail]  # an order: masculine
    page = client.get(base).get_data(as_text=True)
    assert "DHL Express" in page and "EX-A 26IT000123" in page and "2026/0042" in page


def test_a_step_posted_after_the_order_moved_on_is_a_409_showing_the_current_step(app, client, world):
    """Found by the form fuzzer: confirming an order already confirmed, with a spoiled form, rendered the confirm form
    in the ship step's place (a 500)."""
    p = dh.partners(app, world)
    dh.vnd_rate(app, world.acme)
    coffee = dh.product(app, world.acme)
    order_id = _placed(app, world, p, coffee)
    from web.distributors.models import Order

    client.sign_in("admin@acme.example")
    base = f"/t/acme/distributors/orders/{order_id}"
    with app.app_context(), tenant_context(world.acme.id):
        version = str(db.session.get(Order, order_id).version)
    assert client.post(f"{base}/confirm", {"version": version}).status_code == 303
    for data in ({"version": "x"}, {"version": version}, {}):
        again = client.post(f"{base}/confirm", data)
        page = again.get_data(as_text=True)
        assert again.status_code == 409, (data, again.status_code)
        assert f.shows(page, "This order changed meanwhile: its current state is shown.")
        assert 'name="carrier"' in page and "Mark as shipped" in page  # the step it is at now, ready to use


def test_a_rep_sees_orders_but_cannot_move_them(app, client, world):
    p = dh.partners(app, world)
    dh.vnd_rate(app, world.acme)
    coffee = dh.product(app, world.acme)
    order_id = _placed(app, world, p, coffee)
    client.sign_in("rep@acme.example")
    assert client.get(f"/t/acme/distributors/orders/{order_id}").status_code == 200
    assert client.post(f"/t/acme/distributors/orders/{order_id}/confirm", {}).status_code == 403


# --- partner results ---------------------------------------------------------------------------------------


def test_partner_results_by_tier_and_country_in_the_base_currency(app, client, world, cf, queries):
    from datetime import date

    from web.contracts.models import Contract
    from web.leads.models import Lead

    p = dh.partners(app, world)
    dh.vnd_rate(app, world.acme)
    coffee = dh.product(app, world.acme)
    client.sign_in("coord@acme.example")
    empty = client.get("/t/acme/distributors/results")
    assert empty.status_code == 200 and "Nothing ordered yet." in empty.get_data(as_text=True)
    won_id = _registration(app, world, p)
    lost_id = _registration(app, world, p, company="Lost Customer", website="lost.example", email="a@lost.example")
    _registration(app, world, p, company="Open Customer", website="open.example", email="a@open.example",
                  country="KH")
    for reg_id, decision in ((won_id, "approve"), (lost_id, "reject")):
        with app.app_context(), tenant_context(world.acme.id):
            version = db.session.get(Registration, reg_id).version
        data = {"exclusivity_days": "90"} if decision == "approve" else {"reason": "Already ours"}
        assert client.post(f"/t/acme/distributors/registrations/{reg_id}/{decision}",
                           {**data, "version": str(version)}).status_code == 303
    account_id = cf.account(world.acme, name="Cà Phê Núi Xanh", currency="EUR")
    contract_id = cf.contract(world.acme, account_id, world.rep, value="5000", currency="EUR",
                              signed_on=date.today())
    with app.app_context(), tenant_context(world.acme.id):
        lead_id = db.session.get(Registration, won_id).lead_id
        db.session.get(Lead, lead_id).contract_id = contract_id
        db.session.get(Contract, contract_id).distributor_id = p.lotus.id  # as its conversion credits it
        db.session.commit()
        assert db.session.get(Contract, contract_id).base_amount == Decimal("5000.00")
    _placed(app, world, p, coffee, qty=10)  # 10 x 17.00 EUR
    with queries() as statements:
        page = client.get("/t/acme/distributors/results")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "€170.00" in html and "€5,000.00" in html and "50%" in html
    assert "Vietnam" in html and "Cambodia" in html
    assert len(statements) <= 14, len(statements)


def test_an_approved_registration_converts_to_a_contract_credited_to_the_partner(app, client, make_client, world):
    from datetime import date

    from tenants.models import Tenant
    from web.contracts import service as contracts
    from web.contracts.models import Contract
    from web.distributors import results as partner_results

    from .lead_helpers import CONVERSION

    p = dh.partners(app, world)
    reg_id = _registration(app, world, p, country="KH")
    client.sign_in("coord@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        version = db.session.get(Registration, reg_id).version
    assert client.post(f"/t/acme/distributors/registrations/{reg_id}/approve",
                       {"exclusivity_days": "90", "version": str(version)}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        lead_id = db.session.get(Registration, reg_id).lead_id
    # Converting stays the leads' rule: a coordinator hands it on; a manager or admin converts it here at once.
    page = client.get(f"/t/acme/distributors/registrations/{reg_id}").get_data(as_text=True)
    assert "Convert to a contract" not in page and "converts it into a contract" in page
    client.sign_in("admin@acme.example")
    page = client.get(f"/t/acme/distributors/registrations/{reg_id}").get_data(as_text=True)
    assert f'href="/t/acme/leads/{lead_id}/convert"' in page and "Convert to a contract" in page
    done = client.post(f"/t/acme/leads/{lead_id}/convert", {**CONVERSION, "currency": "EUR", "value": "8000"})
    assert done.status_code == 303
    contract_id = int(done.headers["Location"].rsplit("/", 1)[1])
    shown = client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True)
    assert "Credited to Lotus Trading." in shown
    assert f'href="/t/acme/distributors/registrations/{reg_id}"' in shown
    after = client.get(f"/t/acme/distributors/registrations/{reg_id}").get_data(as_text=True)
    assert "Convert to a contract" not in after and f'href="/t/acme/contracts/{contract_id}"' in after
    with app.test_request_context(), tenant_context(world.acme.id):
        contract = db.session.get(Contract, contract_id)
        assert contract.distributor_id == p.lotus.id
        tenant = db.session.get(Tenant, world.acme.id)
        before = partner_results.results(tenant)
        assert before.by_tier[0].won.parts == []  # a draft is not won yet
        contracts.sign(contract, tenant, date.today(), actor_id=None)
        db.session.commit()
        res = partner_results.results(tenant)
        gold = next(line for line in res.by_tier if line.key == p.gold.id)
        kh = next(line for line in res.by_country if line.key == "KH")
        assert gold.won.amount.amount == kh.won.amount.amount == Decimal("8000.00")
    results = client.get("/t/acme/distributors/results").get_data(as_text=True)
    assert results.count("€8,000.00") == 2
    for locale in ("it", "vi"):
        with app.app_context():
            f.person(world.acme, f"manager-{locale}@acme.example", "manager", locale=locale)
        reader = make_client()
        reader.login(f"manager-{locale}@acme.example")
        shown = reader.get(f"/t/acme/contracts/{contract_id}")
        assert f.shows(shown, f.translated("Credited to %(partner)s.", locale, partner="Lotus Trading"))
        assert f.shows(shown, f.translated("Open the partner", locale))
    # The partner never reaches the contract; staff of another tenant get 404 (the contracts sweep).
    partner = make_client()
    partner.login("minh@lotus.example")
    assert partner.get(f"/t/acme/contracts/{contract_id}").status_code == 404
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.get(Contract, contract_id).distributor_id == p.lotus.id


def test_results_by_country_count_orders_where_they_ship_converted_before_adding(app, client, world):
    from collections import defaultdict
    from datetime import date

    from tenants.models import Tenant
    from web.distributors import results as partner_results
    from web.distributors.models import Order
    from web.rates.models import CorporateRate

    p = dh.partners(app, world)
    dh.vnd_rate(app, world.acme)
    coffee = dh.product(app, world.acme)
    _registration(app, world, p, company="Open Customer", website="open.example", email="a@open.example",
                  country="KH")
    _placed(app, world, p, coffee, qty=10)  # ships to Lotus's first territory country, VN: 170.00 EUR
    client.login("minh@lotus.example")
    assert client.post("/t/acme/portal/orders", {f"qty-{coffee.id}": "3", "country": "KH"}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        # Orders booked while acme reported in USD: converted at acme's own rate (1 EUR = 1.25 USD) before adding.
        db.session.add(CorporateRate(currency="USD", base_currency="EUR", day=date(2026, 1, 1), rate=Decimal("1.25")))
        for distributor_id, country, base_total in ((p.lotus.id, "VN", "100.00"), (p.merlion.id, "SG", "12.50"),
                                                    (p.merlion.id, "MY", "7.30")):
            db.session.add(Order(distributor_id=distributor_id, country=country, currency="USD",
                                 total_amount=Decimal(base_total), base_currency="USD", base_total=Decimal(base_total),
                                 fx_rate=Decimal(1), fx_rate_date=date(2026, 1, 1), fx_source="corporate"))
        db.session.commit()
    with app.test_request_context(), tenant_context(world.acme.id):
        expected_count, expected_sum = defaultdict(int), defaultdict(Decimal)
        for order in db.session.scalars(select(Order)):
            expected_count[order.country] += 1
            expected_sum[order.country] += (order.base_total if order.base_currency == "EUR"
                                            else order.base_total / Decimal("1.25"))
        res = partner_results.results(db.session.get(Tenant, world.acme.id))
        got = {line.key: (line.orders, line.ordered.amount.amount) for line in res.by_country if line.orders}
    assert got == {c: (expected_count[c], expected_sum[c].quantize(Decimal("0.01"))) for c in expected_count}
    assert got == {"VN": (2, Decimal("250.00")), "KH": (1, Decimal("51.00")), "SG": (1, Decimal("10.00")),
                   "MY": (1, Decimal("5.84"))}
    client.sign_in("coord@acme.example")
    html = client.get("/t/acme/distributors/results").get_data(as_text=True)
    country_table = html[html.index('id="country-h"'):]
    assert "Cambodia" in country_table and "€51.00" in country_table and "€250.00" in country_table
    assert "Malaysia" in country_table and "€5.84" in country_table


def test_the_order_lists_run_as_many_queries_for_10_as_for_3000_orders(app, make_client, world, queries):
    from datetime import date

    from web.distributors.models import Order

    p = dh.partners(app, world)
    staff, partner = make_client(), make_client()
    staff.sign_in("coord@acme.example")
    partner.login("minh@lotus.example")
    pages = [(staff, "/t/acme/distributors/orders"), (staff, "/t/acme/distributors/orders?status=shipped"),
             (partner, "/t/acme/portal/orders")]

    def bulk(n, start):
        with app.app_context(), tenant_context(world.acme.id):
            db.session.add_all([Order(distributor_id=(p.lotus.id, p.merlion.id)[i % 2], country="VN", currency="VND",
                                      total_amount=Decimal(1000000), base_currency="EUR", base_total=Decimal(36),
                                      fx_rate=Decimal(27450), fx_rate_date=date(2026, 1, 1), fx_source="corporate",
                                      status=("submitted", "shipped")[i % 2]) for i in range(start, start + n)])
            db.session.commit()

    def measure():
        counts = []
        for client, url in pages:
            client.get(url)
            with queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    bulk(10, 0)
    small = measure()
    bulk(2990, 10)
    assert measure() == small
    assert max(small) <= 10, small
