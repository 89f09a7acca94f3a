"""The partner portal: a distributor's users see their own partner's records only, fail closed, and no staff page."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text

from tenants.db import db
from tenants.resolve import MEMBER, route_access
from tenants.scoping import TenancyError, partner_context, tenant_context
from web.accounts.models import Account
from web.distributors.models import Distributor, LeadOffer, Order, Product, Registration

from .. import factories as f
from .. import lead_factories as lf
from . import distributor_helpers as dh
from . import sweep_cases
from .sweep_distributors import PARTNER_MAKERS


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
    reg_id = _registered(app, world, client, value="5000")
    checks = {
        "/t/acme/portal": ["Your terms", "Territory", "Your coordinator", "Partner portal", "Your deal registrations"],
        "/t/acme/portal/registrations": ["The deals you registered and what became of them.", "End customer"],
        "/t/acme/portal/registrations/new": ["Register the deal", "Expected close", "Contact's email"],
        f"/t/acme/portal/registrations/{reg_id}": ["Where it stands", "The deal"],
        "/t/acme/portal/leads": ["Leads for you", "Answer due"],
        "/t/acme/portal/prices": ["Price list", "Download as PDF"],
        "/t/acme/portal/orders": ["Your orders and where each one is."],
        "/t/acme/portal/orders/new": ["Place the order"],
    }
    for url, messages in checks.items():
        page = client.get(url)
        assert page.status_code == 200, url
        for message in messages:
            assert f.shows(page, f.translated(message, locale)), (url, message)


# --- deal registration, the partner's side ----------------------------------------------------------------


REG = {"company": "Cà Phê Núi Xanh JSC", "country": "VN", "website": "nuixanh.example", "contact_name": "Lê Văn Nam",
       "contact_email": "nam@nuixanh.example", "value": "420.000.000", "expected_close": "2027-03-31",
       "products": "Booth at the spring fair"}


def _registered(app, world, client, **overrides):
    response = client.post("/t/acme/portal/registrations", {**REG, **overrides})
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_partner_registers_a_deal_in_their_currency_and_language(app, client, world):
    p = dh.partners(app, world)
    client.login("minh@lotus.example")  # Vietnamese: 420.000.000 is four hundred twenty million
    reg_id = _registered(app, world, client)
    with app.app_context(), tenant_context(world.acme.id):
        reg = db.session.get(Registration, reg_id)
        assert (reg.distributor_id, reg.value_amount, reg.value_currency, reg.status) == (
            p.lotus.id, Decimal(420000000), "VND", "submitted")
        assert (reg.company_key, reg.domain, reg.email_domain) == ("ca phe nui xanh", "nuixanh.example",
                                                                 "nuixanh.example")
    page = client.get(f"/t/acme/portal/registrations/{reg_id}").get_data(as_text=True)
    assert "420.000.000" in page and f.shows(page, f.translated("Your coordinator is reviewing it. You will hear by "
                                                                "email.", "vi"))
    listed = client.get("/t/acme/portal/registrations").get_data(as_text=True)
    assert "Cà Phê Núi Xanh JSC" in listed


@pytest.mark.parametrize("value, message", [
    ("-5", "Enter an amount above 0."),
    ("420000000,5", "VND amounts have no decimals: “420000000,5” cannot be kept as it is."),
    ("€5,000", "Type the amount in VND, the currency of your agreement."),
    ("lots", "is not an amount Coordina can read"),
])
def test_a_bad_registration_is_422_in_the_partners_language_and_nothing_is_lost(app, client, world, value, message):
    dh.partners(app, world)
    client.sign_in("minh@lotus.example")  # VND, read in English here
    response = client.post("/t/acme/portal/registrations", {**REG, "value": value, "currency": "EUR"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f.shows(html, message) or message in html, html[-3000:]
    assert f.shows(html, 'value="Cà Phê Núi Xanh JSC"') and f.shows(html, f'value="{value}"')
    assert dh.count_rows(app, world.acme, Registration) == 0


def test_an_unknown_country_is_422_too(app, client, world):
    dh.partners(app, world)
    client.login("wei@merlion.example")
    client.post("/language", {"locale": "en", "next": "/"})
    response = client.post("/t/acme/portal/registrations", {**REG, "value": "5000", "country": "QQ"})
    assert response.status_code == 422 and "Choose a country from the list." in response.get_data(as_text=True)


def test_every_portal_route_with_another_partners_ids_is_404(app, client, world):
    p = dh.partners(app, world)
    with app.app_context(), tenant_context(world.acme.id):
        theirs = {name: maker(p.merlion.id) for name, maker in PARTNER_MAKERS.items()}
        mine = {name: maker(p.lotus.id) for name, maker in PARTNER_MAKERS.items()}
    client.login("minh@lotus.example")
    checked = 0
    with app.test_request_context():
        from flask import url_for

        rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("portal.")]
        with_args = [rule for rule in rules if set(rule.arguments) - {"tenant"}]
        missing = [a for rule in with_args for a in rule.arguments - {"tenant"} if a not in PARTNER_MAKERS]
        assert not missing, f"add a maker to PARTNER_MAKERS in sweep_distributors.py for {missing}"
        urls = [(rule, url_for(rule.endpoint, tenant="acme", **{k: v for k, v in theirs.items() if k in rule.arguments}),
                 url_for(rule.endpoint, tenant="acme", **{k: v for k, v in mine.items() if k in rule.arguments}))
                for rule in with_args]
    for rule, url, own in urls:
        for method in sorted(rule.methods & {"GET", "POST"}):
            if method == "GET":
                assert client.get(own).status_code == 200, own  # the same page with one's own id opens
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 1
    merlion_list = client.get("/t/acme/portal/registrations").get_data(as_text=True)
    assert merlion_list.count("Sweep Customer") == 1  # their own, not the other partner's


def _bulk_registrations(app, world, distributor_id, n, start=0):
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add_all([Registration(distributor_id=distributor_id, company=f"Customer {i:05d}",
                                         company_key=f"customer {i:05d}", country="VN", value_amount=Decimal(1000000),
                                         value_currency="VND", status=("submitted", "approved", "rejected")[i % 3],
                                         conflicts=[]) for i in range(start, start + n)])
        db.session.commit()


def test_the_portal_runs_as_many_queries_for_10_as_for_5000_registrations(app, make_client, world, queries):
    p = dh.partners(app, world)
    client = make_client()
    client.login("minh@lotus.example")
    pages = ["/t/acme/portal", "/t/acme/portal/registrations", "/t/acme/portal/registrations?status=approved"]

    def measure():
        counts = []
        for url in pages:
            client.get(url)
            with queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    _bulk_registrations(app, world, p.lotus.id, 10)
    _bulk_registrations(app, world, p.merlion.id, 10, start=10)
    small = measure()
    _bulk_registrations(app, world, p.lotus.id, 4990, start=20)
    _bulk_registrations(app, world, p.merlion.id, 100, start=5010)
    assert dh.count_rows(app, world.acme, Registration) == 5110
    big = measure()
    assert small == big, list(zip(pages, small, big))
    print("portal queries per page (10 and 5,000 registrations):", list(zip(pages, big)))
    assert max(big) <= 10, big


# --- the price list and orders, the partner's side ---------------------------------------------------------


def _catalogue(app, world):
    p = dh.partners(app, world)  # Gold: 15 % off
    dh.vnd_rate(app, world.acme)
    coffee = dh.product(app, world.acme)
    tea = dh.product(app, world.acme, code="TEA-1", en="Green tea, 500 g", vi="Trà xanh, 500 g", price="8.50")
    return p, coffee, tea


def test_the_price_list_is_in_the_partners_currency_with_the_rate_its_date_and_source(app, client, world):
    _p, coffee, _tea = _catalogue(app, world)
    client.login("minh@lotus.example")
    html = client.get("/t/acme/portal/prices").get_data(as_text=True)
    # 20.00 EUR less 15 % = 17.00 EUR, at 27,450 VND: 466,650 VND, written the Vietnamese way.
    assert "466.650" in html and "Cà phê Arabica, 1 kg" in html
    assert f.shows(html, f.translated("corporate rate", "vi")) and "27.450" in html
    csv = client.get("/t/acme/portal/prices.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text_ = csv.get_data(as_text=True)
    assert f.translated("Price", "vi") in text_ and "466650" in text_ and "Trà xanh, 500 g" in text_
    pdf = client.get("/t/acme/portal/prices.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_a_missing_rate_is_said_and_an_order_then_is_422_never_priced_at_1(app, client, world):
    dh.partners(app, world)
    dh.product(app, world.acme)
    dubai = dh.distributor(app, world.acme, "Falcon Trading", countries=("AE",), language="en", currency="AED")
    dh.portal_user(app, world.acme, dubai, "omar@falcon.example")
    client.login("omar@falcon.example")
    html = client.get("/t/acme/portal/prices").get_data(as_text=True)
    assert "There is no exchange rate from EUR to AED yet" in html and "€20.00" in html
    with app.app_context(), tenant_context(world.acme.id):
        product_id = db.session.scalar(select(Product.id))
    response = client.post("/t/acme/portal/orders", {f"qty-{product_id}": "3", "country": "AE"})
    assert response.status_code == 422
    assert "There is no exchange rate to AED today" in response.get_data(as_text=True)
    assert 'value="3"' in response.get_data(as_text=True)
    assert dh.count_rows(app, world.acme, Order) == 0


def test_a_partner_orders_at_todays_prices_and_rate(app, client, world):
    _p, coffee, tea = _catalogue(app, world)
    client.login("minh@lotus.example")
    form = client.get("/t/acme/portal/orders/new").get_data(as_text=True)
    assert '<option selected value="VN">' in form  # ships to their first territory country unless they say
    placed = client.post("/t/acme/portal/orders", {f"qty-{coffee.id}": "10", f"qty-{tea.id}": "4", "notes": "Giao gấp",
                                                   "country": "KH"})
    assert placed.status_code == 303, placed.get_data(as_text=True)[-3000:]
    order_id = int(placed.headers["Location"].rsplit("/", 1)[1])
    with app.app_context(), tenant_context(world.acme.id):
        order = db.session.get(Order, order_id)
        # 10 x 466,650 + 4 x (8.50 less 15 % = 7.23 EUR -> 198,464 VND) = 4,666,500 + 793,856
        assert (order.currency, order.fx_rate, order.fx_source, order.status) == ("VND", Decimal(27450), "corporate",
                                                                                  "submitted")
        assert order.total_amount == Decimal(4666500 + 4 * 198464)
        assert order.base_total == Decimal("170.00") + Decimal("28.92")
        assert order.country == "KH"
    page = client.get(f"/t/acme/portal/orders/{order_id}").get_data(as_text=True)
    assert "5.460.356" in page and f.shows(page, f.translated("Ordered", "vi"))
    assert f.shows(page, f.translated("Ships to", "vi")) and "Campuchia" in page
    client.sign_in("coord@acme.example")
    staff = client.get(f"/t/acme/distributors/orders/{order_id}").get_data(as_text=True)
    assert "Ships to: Cambodia" in staff


@pytest.mark.parametrize("typed, message", [
    ({"qty-COFFEE": "-2"}, "Quantities are whole numbers from 1"),
    ({"qty-COFFEE": "two"}, "Quantities are whole numbers from 1"),
    ({"qty-COFFEE": "", "qty-TEA": ""}, "Type a quantity for at least one product."),
    ({"qty-COFFEE": "1", "qty-99999": "5"}, "One of the products is not on your price list any more."),
    ({"qty-COFFEE": "3", "country": "XX"}, "Choose a country from the list."),
    ({"qty-COFFEE": "3", "country": ""}, "This field is required."),
])
def test_a_bad_order_is_422_with_what_was_typed_kept(app, client, world, typed, message):
    _p, coffee, tea = _catalogue(app, world)
    client.sign_in("minh@lotus.example")
    data = {"country": "VN", **{key.replace("COFFEE", str(coffee.id)).replace("TEA", str(tea.id)): v
                                for key, v in typed.items()}}
    response = client.post("/t/acme/portal/orders", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    for key, value in data.items():
        if value and key.startswith("qty-") and "99999" not in key:
            assert f'name="{key}" id="{key}" value="{value}"' in html
    assert dh.count_rows(app, world.acme, Order) == 0


# --- leads passed to a partner ---------------------------------------------------------------------------


def _offered(app, world, client, p):
    with app.app_context():
        lead = lf.lead(world.acme, company="Khách sạn Hoa Sen", country="VN", email="lan@hoasen.example")
    client.sign_in("coord@acme.example")
    done = client.post(f"/t/acme/distributors/leads/{lead.id}/offer", {"distributor_id": str(p.lotus.id),
                                                                       "note": "Gọi trước 10 giờ sáng."})
    assert done.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        return lead, db.session.scalar(select(LeadOffer))


def test_the_form_to_pass_a_lead_is_asked_for_when_opened_and_works_without_script(app, client, world):
    """The lead's page leaves the partners' list out (issue 15): opening "Pass to a partner" fetches the form in
    place; without JavaScript the link opens the lead's page with the form open; a rep cannot ask for it."""
    p = dh.partners(app, world)
    with app.app_context():
        lead = lf.lead(world.acme, company="Khách sạn Hoa Sen", country="VN")
    client.sign_in("coord@acme.example")
    url = f"/t/acme/distributors/leads/{lead.id}/offer"
    page = client.get(f"/t/acme/leads/{lead.id}").get_data(as_text=True)
    assert f'hx-get="{url}"' in page and 'name="distributor_id"' not in page
    part = client.get(url, htmx=True)
    html = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in html and 'name="csrf_token"' in html
    assert f'<option value="{p.lotus.id}">Lotus Trading</option>' in html
    full = client.get(url).get_data(as_text=True)
    assert "<html" in full and '<details class="add-form" open' in full and "Lotus Trading" in full
    client.sign_in("rep@acme.example")
    assert client.get(url, htmx=True).status_code in (403, 404)


def test_a_coordinator_passes_a_lead_and_the_partner_accepts_then_wins_it(app, client, make_client, world, smtp):
    from web import tick

    p = dh.partners(app, world)
    lead, offer = _offered(app, world, client, p)
    assert (offer.distributor_id, offer.company, offer.status) == (p.lotus.id, "Khách sạn Hoa Sen", "offered")
    lead_page = client.get(f"/t/acme/leads/{lead.id}").get_data(as_text=True)
    panel = lead_page[lead_page.index('id="lead-partners"'):]
    panel = panel[:panel.index("</section>")]
    # The partner, the offer's state and when its answer is due; no second offer while this one is open.
    assert "Lotus Trading" in panel and "Waiting for an answer" in panel and "answer due" in panel
    assert "Pass to a partner" not in panel and "Pass to the partner" not in panel
    again = client.post(f"/t/acme/distributors/leads/{lead.id}/offer", {"distributor_id": str(p.merlion.id)})
    assert again.status_code == 303 and count_offers(app, world) == 1  # one partner at a time
    partner = make_client()
    partner.login("minh@lotus.example")
    page = partner.get(f"/t/acme/portal/leads/{offer.id}").get_data(as_text=True)
    assert "Gọi trước 10 giờ sáng." in page and f.shows(page, f.translated("Accept the lead", "vi"))
    assert partner.post(f"/t/acme/portal/leads/{offer.id}/answer", {"answer": "maybe",
                                                                     "version": str(offer.version)}).status_code == 422
    assert partner.post(f"/t/acme/portal/leads/{offer.id}/answer", {"answer": "accept",
                                                                     "version": str(offer.version)}).status_code == 303
    assert partner.post(f"/t/acme/portal/leads/{offer.id}/answer", {"answer": "won", "note": "Ký hợp đồng 12 tháng",
                                                                     "version": str(offer.version + 1)}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.get(LeadOffer, offer.id).status == "won"
    tick.run(app)
    assert smtp.to("minh@lotus.example")[0]["Subject"] == f.translated("A lead for you: %(company)s", "vi",
                                                                        company="Khách sạn Hoa Sen")
    assert len(smtp.to("coord@acme.example")) == 2  # accepted, then won


def test_an_unanswered_lead_comes_back_with_a_notice_to_both_and_cannot_be_answered_late(app, client, make_client,
                                                                                           world, smtp):
    from datetime import timedelta

    from tenants.db import utcnow
    from web import tick
    from web.distributors import offers

    p = dh.partners(app, world)
    _lead, offer = _offered(app, world, client, p)
    with app.app_context(), tenant_context(world.acme.id):
        row = db.session.get(LeadOffer, offer.id)
        row.due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    partner = make_client()
    partner.login("minh@lotus.example")
    late = partner.post(f"/t/acme/portal/leads/{offer.id}/answer", {"answer": "accept", "version": str(offer.version)})
    assert late.status_code == 409
    with app.app_context(), app.test_request_context():
        assert offers.run(app) == {"returned": 1}
        assert offers.run(app) == {"returned": 0}
    tick.run(app)
    coordinator_mail = [m["Subject"] for m in smtp.to("coord@acme.example")]
    assert any("Khách sạn Hoa Sen" in s for s in coordinator_mail), coordinator_mail
    assert len(smtp.to("minh@lotus.example")) == 2  # the offer, then the notice that it went back


def count_offers(app, world) -> int:
    return dh.count_rows(app, world.acme, LeadOffer)


def test_an_orders_states_agree_with_the_order_in_italian(app):
    """"Ordine" is masculine: a delivered, invoiced order is "Consegnato", "Fatturato" (a delivery stays feminine)."""
    from flask_babel import force_locale

    from web.deliverables.models import DELIVERABLE_STATUS_LABELS
    from web.distributors.models import ORDER_STATUS_LABELS

    with app.test_request_context("/"), force_locale("it"):
        states = [str(ORDER_STATUS_LABELS[s]) for s in ("submitted", "shipped", "delivered", "invoiced")]
        assert states == ["Ordinato", "Spedito", "Consegnato", "Fatturato"]
        assert str(DELIVERABLE_STATUS_LABELS["delivered"]) == "Consegnata"  # a deliverable: "la consegna"
