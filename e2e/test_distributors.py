"""A partner in Vietnam: lands on the portal in Vietnamese with prices in VND, registers a deal that conflicts
with a lead, is approved for 90 days by the coordinator, then orders two products and follows the order to
delivered, while both sides are told by email over SMTP."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

from babel.dates import format_date
from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready
from tenants.db import db
from tenants.models import Membership, Role
from tenants.scoping import tenant_context
from tests import factories as f
from tests import lead_factories as lf


def _seed(live_app, tag):
    from web.distributors.models import Distributor, Product, Tier
    from web.rates.models import CorporateRate

    with live_app.app_context():
        tenant = f.tenant(f"delta-{tag}", name=f"Delta Fairs {tag}", base_currency="EUR")
        coordinator = f.person(tenant, f"giulia-{tag}@delta.example", Role.coordinator, name="Giulia Rossi",
                               locale="en")
        lf.lead(tenant, company="Cà Phê Núi Xanh", country="VN", email="nam@nuixanh.example")
        partner_user = f.user(f"minh-{tag}@lotus.example", name="Trần Văn Minh", locale="vi")
        with tenant_context(tenant.id):
            gold = Tier(name="Gold", rank=1, discount_percent=Decimal(15), exclusivity_days=90, lead_sla_hours=24)
            db.session.add(gold)
            db.session.flush()
            lotus = Distributor(name="Lotus Trading", name_key="lotus trading", countries=["VN"], language="vi",
                                currency="VND", tier_id=gold.id, coordinator_id=coordinator.id)
            db.session.add(lotus)
            db.session.flush()
            db.session.add(Membership(tenant_id=tenant.id, user_id=partner_user.id, role=Role.distributor.value,
                                      distributor_id=lotus.id))
            db.session.add_all([
                Product(code="COF-1", names={"en": "Arabica coffee, 1 kg", "vi": "Cà phê Arabica, 1 kg"}, unit="bag",
                        base_price=Decimal("20.00"), base_currency="EUR"),
                Product(code="TEA-1", names={"en": "Green tea, 500 g", "vi": "Trà xanh, 500 g"}, unit="box",
                        base_price=Decimal("8.50"), base_currency="EUR"),
                CorporateRate(currency="VND", base_currency="EUR", day=date(2026, 1, 1), rate=Decimal("27450")),
            ])
            db.session.commit()
        return tenant.slug


def _login(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def vi(message: str, **params) -> str:
    return f.translated(message, "vi", **params)


def test_a_partner_registers_a_conflicting_deal_is_approved_and_orders_to_delivered(page: Page, new_context,
                                                                                     live_app, inbox, run_tick):
    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    partner_email, coordinator_email = f"minh-{tag}@lotus.example", f"giulia-{tag}@delta.example"

    # The partner signs in and lands on the portal, in Vietnamese, prices in VND.
    _login(page, partner_email)
    expect(page).to_have_url(re.compile(rf"/t/{slug}/portal$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text(vi("Welcome, %(name)s", name="Lotus Trading"))
    portal_nav = page.get_by_role("navigation", name=vi("Partner portal"))
    portal_nav.get_by_role("link", name=vi("Price list")).click()
    # 20.00 EUR less 15 % = 17.00 EUR at 27,450 VND: 466.650 ₫ the Vietnamese way.
    expect(page.get_by_role("main")).to_contain_text("466.650")
    expect(page.get_by_role("main")).to_contain_text("₫")

    # They register a deal that the company already has as a lead.
    portal_nav.get_by_role("link", name=vi("Deal registrations")).click()
    page.get_by_role("main").get_by_role("link", name=vi("Register a deal")).first.click()
    page.locator("#company").fill("Cà Phê Núi Xanh JSC")
    page.locator("#country").select_option("VN")
    page.locator("#website").fill("nuixanh.example")
    page.locator("#contact_name").fill("Lê Văn Nam")
    page.locator("#contact_email").fill("nam@nuixanh.example")
    page.locator("#value").fill("420.000.000")
    page.get_by_role("button", name=vi("Register the deal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cà Phê Núi Xanh JSC")
    expect(page.get_by_role("main")).to_contain_text(vi("Awaiting review"))
    registration_url = page.url

    # The coordinator sees the conflict and approves with 90 days' exclusivity.
    staff = new_context().new_page()
    _login(staff, coordinator_email)
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Distributors").click()
    staff.get_by_role("navigation", name="Distributors").get_by_role("link", name="Deal registrations").click()
    staff.get_by_role("link", name="Cà Phê Núi Xanh JSC").click()
    expect(staff.get_by_role("main")).to_contain_text("1 possible conflict")
    conflict = staff.get_by_role("group", name="Conflict check")
    expect(conflict.get_by_role("link", name="Cà Phê Núi Xanh")).to_be_visible()
    expect(conflict).to_contain_text("similar name")
    staff.get_by_label("Exclusive for (days)").fill("90")
    staff.get_by_role("button", name="Approve the registration").click()
    expect(staff.locator(".flash.success")).to_contain_text("exclusive to Lotus Trading")

    # The partner sees it approved, in Vietnamese.
    page.goto(registration_url)
    expect(page.get_by_role("main")).to_contain_text(vi("Approved"))
    until = format_date(date.today() + timedelta(days=90), "medium", locale="vi")
    expect(page.get_by_role("main")).to_contain_text(vi("Approved: the deal is yours alone until %(date)s.",
                                                        date=until))

    # They order two products from their price list.
    portal_nav = page.get_by_role("navigation", name=vi("Partner portal"))
    portal_nav.get_by_role("link", name=vi("Price list")).click()
    page.get_by_role("main").get_by_role("link", name=vi("Place an order")).click()
    page.get_by_label("Cà phê Arabica, 1 kg").fill("10")
    page.get_by_label("Trà xanh, 500 g").fill("4")
    page.get_by_role("button", name=vi("Place the order")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PO-")
    expect(page.get_by_role("main")).to_contain_text(vi("Ordered"))
    order_url = page.url

    # The coordinator confirms, ships and delivers it.
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Distributors").click()
    staff.get_by_role("navigation", name="Distributors").get_by_role("link", name="Orders").click()
    staff.get_by_role("link", name=re.compile(r"^PO-")).first.click()
    staff.get_by_role("button", name="Confirm the order").click()
    expect(staff.locator(".flash.success")).to_contain_text("Confirmed")
    staff.get_by_label("Carrier").fill("DHL Express")
    staff.get_by_label("Tracking number").fill("JD014600")
    staff.get_by_label("Incoterm").select_option("DAP")
    staff.get_by_label("Export papers (numbers)").fill("EX-A 26IT000123")
    staff.get_by_role("button", name="Mark as shipped").click()
    expect(staff.locator(".flash.success")).to_contain_text("Shipped")
    staff.get_by_role("button", name="Mark as delivered").click()
    expect(staff.locator(".flash.success")).to_contain_text("Delivered")
    scripts_ready(staff)

    # The partner follows it to delivered.
    page.goto(order_url)
    expect(page.locator(".page-head .badge")).to_have_text(vi("Delivered"))
    expect(page.get_by_role("main")).to_contain_text("DHL Express")

    # Both sides were told by email, over SMTP, each in their language.
    run_tick()
    partner_subjects = [m["Subject"] for m in inbox.to(partner_email)]
    staff_subjects = [m["Subject"] for m in inbox.to(coordinator_email)]
    assert vi("Approved: %(company)s is yours until %(date)s", company="Cà Phê Núi Xanh JSC", date=until) \
        in partner_subjects, partner_subjects
    assert any(vi("Delivered") in s for s in partner_subjects), partner_subjects
    assert any("Delivered" in s for s in staff_subjects), staff_subjects
