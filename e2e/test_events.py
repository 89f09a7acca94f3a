"""A coordinator runs a show abroad end to end: creates it, ships the booth by DHL and 500 brochures, mails three
contacts who each read it in their own language (one unsubscribes and is never mailed again), captures a lead on a
phone at the booth, records what came back, and sees the stock corrected and the cost per lead in EUR."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready
from tenants.models import Role
from tests import factories as f

PHONE = {"width": 390, "height": 844}
CONTACTS = (("Cantina Colli Berici", "IT", "Elena Marchetti", "it"), ("Cà Phê Núi Xanh", "VN", "Lê Văn Nam", "vi"),
            ("Northwind Outdoor Ltd", "GB", "Amelia Clarke", "en"))


def _seed(live_app, tag: str) -> str:
    from tenants.db import db
    from tenants.scoping import tenant_context
    from web.accounts import service as accounts
    from web.collateral import service as collateral

    with live_app.app_context():
        tenant = f.tenant(f"expo-{tag}", name=f"Expo {tag}", base_currency="EUR")
        f.person(tenant, f"giulia-{tag}@expo.example", Role.coordinator, name="Giulia Rossi", locale="en")
        with tenant_context(tenant.id):
            for company, country, name, language in CONTACTS:
                account = accounts.create_account(accounts.AccountData(name=company, country=country,
                                                                       currency="EUR", language=language),
                                                  actor_id=None)
                accounts.add_contact(account, accounts.ContactData(
                    name=name, email=f"{language}-{tag}@guests.example", language=language), actor_id=None)
            office = collateral.add_location("Head office", "office", actor_id=None)
            brochure = collateral.create_item(collateral.ItemData(
                name="Brochure 2027", kind="brochure", language="en", version="2027", reorder_level=300,
                lead_time_days=21), actor_id=None)
            collateral.receive(brochure, office, 2000, actor_id=None)
            db.session.commit()
        return tenant.slug


def _login(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/t/[^/]+/$"))  # the home page, whatever the width


def _mail(page: Page, event_url: str, kind: str) -> None:
    page.goto(event_url)
    page.get_by_role("link", name="New mailing").click()
    page.get_by_label("Kind").select_option(kind)
    for code, subject, body in (("English", "Meet us at Vietnam Expo", "Dear friends, we are in hall A, booth A-118."),
                                ("Italian", "Vieni a trovarci al Vietnam Expo", "Cari amici, siamo al padiglione A."),
                                ("Vietnamese", "Hẹn gặp tại Vietnam Expo", "Các bạn thân mến, hẹn gặp tại sảnh A.")):
        page.get_by_label(f"Subject in {code}").fill(subject)
        page.get_by_label(f"Text in {code}").fill(body)
    page.get_by_label("Contacts of accounts").check()
    page.get_by_role("button", name="Save the mailing").click()
    expect(page.locator(".flash.success")).to_contain_text("The mailing is ready")


def test_a_show_abroad_from_booth_to_cost_per_lead(page: Page, new_context, live_app, run_tick, inbox):
    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    _login(page, f"giulia-{tag}@expo.example")

    # The show, in Ho Chi Minh City.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    page.get_by_role("link", name="New event").first.click()
    opens = date.today() + timedelta(days=60)
    page.get_by_label("Name").fill("Vietnam Expo")
    page.get_by_label("City").fill("Thành phố Hồ Chí Minh")
    page.get_by_label("Country").select_option("VN")
    page.get_by_label("Timezone").select_option("Asia/Ho_Chi_Minh")
    page.get_by_label("Set-up").fill((opens - timedelta(days=1)).isoformat())
    page.get_by_label("Opens").fill(opens.isoformat())
    page.get_by_label("Closes").fill((opens + timedelta(days=2)).isoformat())
    page.get_by_label("Tear-down").fill((opens + timedelta(days=3)).isoformat())
    page.get_by_label("Booth number").fill("A-118")
    page.get_by_role("button", name="Add the event").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vietnam Expo")
    event_url = page.url
    scripts_ready(page)

    # The booth fee, paid in dollars, is kept in euros beside it.
    budget = page.locator("#budget")
    budget.get_by_label("What for").select_option("booth_fee")
    budget.get_by_label("Amount").fill("4,200.00")
    budget.get_by_label("Currency").select_option("USD")
    budget.get_by_role("button", name="Add the cost").click()
    expect(page.locator("#budget")).to_contain_text("$4,200.00")
    expect(page.locator("#budget")).to_contain_text("1 USD = ")

    # The booth goes by DHL: a number that is not DHL's is refused, with what was typed kept.
    page.get_by_role("link", name="New shipment").click()
    page.get_by_label("Carrier", exact=True).select_option("dhl")
    page.get_by_label("Tracking number").fill("ABC-1")
    page.get_by_label("Transit time in days").fill("30")
    page.get_by_role("button", name="Add the shipment").click()
    expect(page.get_by_text("This is not a DHL tracking number.")).to_be_visible()
    expect(page.get_by_label("Transit time in days")).to_have_value("30")
    page.get_by_label("Tracking number").fill("1234567890")
    page.get_by_role("button", name="Add the shipment").click()
    expect(page.locator(".flash.success")).to_contain_text("it must leave by")
    expect(page.get_by_role("link", name="1234567890")).to_have_attribute("href", re.compile(r"dhl\.com.*1234567890"))
    scripts_ready(page)
    page.get_by_label("Description").fill("Booth A-118: walls, counter, lights")
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Pack it").click()
    expect(page.locator("#shipment-items")).to_contain_text("Booth A-118")
    shipment_url = page.url

    # 500 brochures leave the head office for the show.
    page.goto(event_url)
    scripts_ready(page)
    collateral = page.locator("#collateral")
    collateral.get_by_label("Item").select_option(label="Brochure 2027 · EN · 2027")
    collateral.get_by_label("From").select_option(label="Head office")
    collateral.get_by_label("How many").fill("500")
    collateral.get_by_label("In the shipment").select_option(label="DHL 1234567890")
    collateral.get_by_role("button", name="Send it").click()
    expect(page.locator("#collateral tbody")).to_contain_text("500")
    page.goto(shipment_url)
    expect(page.locator("#shipment-items")).to_contain_text("Brochure 2027 (EN, 2027)")
    expect(page.locator("#shipment-items")).to_contain_text("501 pieces")

    # The pre-show mailing: three contacts, each in their own language, over SMTP.
    _mail(page, event_url, "pre_show")
    page.get_by_role("button", name="Send it to 3 people").click()
    expect(page.get_by_role("heading", name="Sent", exact=True)).to_be_visible()
    run_tick()
    subjects = {language: [m["Subject"] for m in inbox.to(f"{language}-{tag}@guests.example")]
                for _c, _n, _name, language in CONTACTS}
    assert subjects == {"it": ["Vieni a trovarci al Vietnam Expo"], "vi": ["Hẹn gặp tại Vietnam Expo"],
                        "en": ["Meet us at Vietnam Expo"]}

    # Nam unsubscribes from the link in his mail (in Vietnamese), and the next mailing leaves him out.
    body = inbox.to(f"vi-{tag}@guests.example")[0].get_body(("plain",)).get_content()
    link = re.search(r"(http://127\.0\.0\.1:\d+/t/[^/]+/events/unsubscribe/\S+)", body).group(1)
    guest = new_context().new_page()
    guest.goto(link)
    expect(guest.locator("html")).to_have_attribute("lang", "vi")
    guest.get_by_role("button", name=f.translated("Unsubscribe", "vi")).click()
    expect(guest.get_by_role("status")).to_contain_text(f"vi-{tag}@guests.example")
    _mail(page, event_url, "post_show")
    page.get_by_role("button", name="Send it to 2 people").click()
    expect(page.get_by_role("heading", name="Sent", exact=True)).to_be_visible()
    run_tick()
    assert len(inbox.to(f"vi-{tag}@guests.example")) == 1
    assert len(inbox.to(f"it-{tag}@guests.example")) == 2

    # At the booth, on a phone: a lead captured in seconds lands in the leads inbox.
    phone = new_context(viewport=PHONE).new_page()
    _login(phone, f"giulia-{tag}@expo.example")
    phone.goto(f"{event_url}/capture")
    phone.get_by_label("Name").fill("Trần Thị Hoa")
    phone.get_by_label("Company").fill("Công ty TNHH Sao Mai")
    phone.get_by_label("Email").fill("hoa@saomai.example")
    phone.get_by_label("Interest").select_option("hot")
    phone.get_by_role("button", name="Save the lead").click()
    expect(phone.locator(".flash.success")).to_contain_text("is in the leads inbox")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"/t/{slug}/leads")
    expect(phone.get_by_role("link", name="Công ty TNHH Sao Mai")).to_be_visible()

    # After the show: more back than shipped is refused; then 300 given away, 150 back, 50 lost.
    page.goto(event_url)
    scripts_ready(page)
    row = page.locator("#collateral tbody tr", has_text="Brochure 2027")
    row.get_by_label("Given away").fill("300")
    row.get_by_label("Returned").fill("450")
    row.get_by_role("button", name="Record what came back").click()
    expect(page.locator("#collateral")).to_contain_text("Only 500 were shipped")
    row = page.locator("#collateral tbody tr", has_text="Brochure 2027")
    expect(row.get_by_label("Returned")).to_have_value("450")
    row.get_by_label("Returned").fill("150")
    row.get_by_role("button", name="Record what came back").click()
    expect(page.locator("#live")).to_contain_text("Counted: 50 lost or damaged; 150 back in stock.")
    page.get_by_role("link", name="Brochure 2027").first.click()
    expect(page.locator(".stat").first).to_have_text("1,650")

    # The show's cost per lead, in euros: the booth fee converted, for one lead.
    page.goto(event_url)
    expect(page.locator("#cost-per-lead")).to_have_text(re.compile(r"^€[\d,]+\.\d\d$"))
    expect(page.locator("#results")).to_contain_text("Leads captured")
