"""A coordinator records a sale: the account, a contract in USD with three deliverables, one delivered with a
proof link; the contract shows on the renewals calendar in its quarter in EUR; the rep gets the reminder."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready, settled
from tenants.models import Role
from tests import factories as f


def _seed(live_app, tag):
    with live_app.app_context():
        tenant = f.tenant(f"atlas-{tag}", name=f"Atlas {tag}", base_currency="EUR")
        f.person(tenant, f"giulia-{tag}@atlas.example", Role.coordinator, name="Giulia Rossi", locale="en",
                 timezone="Europe/Rome")
        f.person(tenant, f"marco-{tag}@atlas.example", Role.rep, name="Marco Bianchi", locale="it")
        return tenant.slug


def _login(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def test_a_contract_is_delivered_shown_on_the_calendar_and_reminded(page: Page, live_app, run_tick, inbox):
    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    _login(page, f"giulia-{tag}@atlas.example")
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))

    # The account.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name="New account").click()
    page.get_by_label("Company name").fill("Harbor Lane Outfitters Inc.")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Lane Outfitters Inc.")

    # The contract in USD: it ends in 80 days, with 60 days' notice, so the reminder is due now.
    ends = date.today() + timedelta(days=80)
    page.get_by_role("link", name="New contract").click()
    page.get_by_label("Title").fill("US trade show package")
    page.get_by_label("Sales rep").select_option(label="Marco Bianchi")
    page.get_by_label("Coordinator").select_option(label="Giulia Rossi")
    page.get_by_label("Value").fill("27500")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label("Starts").fill((ends - timedelta(days=364)).isoformat())
    page.get_by_label("Ends").fill(ends.isoformat())
    page.get_by_label("Notice period (days)").fill("60")
    page.get_by_label("Signed on").fill("2026-10-30")
    page.get_by_role("button", name="Create the contract").click()
    expect(page.locator(".flash.success")).to_contain_text("is created")
    expect(page.locator("#facts").get_by_text("€24,615.11")).to_be_visible()  # 27,500 USD at the ECB's 1.1172 of the signing day
    scripts_ready(page)

    # Three deliverables, added in place (htmx).
    for kind, details in (("Ad placement", "Full page, issue 3"), ("Web banner", "Homepage banner, April"),
                          ("Discount", "15% off the spring booth")):
        page.get_by_text("Add a deliverable").click()
        section = page.locator("#deliverables")
        section.get_by_label("What").select_option(label=kind)
        section.get_by_label("Details").fill(details)
        section.get_by_label("Due").fill((date.today() + timedelta(days=10)).isoformat())
        section.get_by_role("button", name="Add the deliverable").click()
        expect(page.locator("#deliverables tbody tr", has_text=details)).to_be_visible()
        settled(page.locator("#deliverables"))  # the next form and the rows' controls are in what was swapped
    expect(page.locator("#deliverables tbody tr")).to_have_count(3)

    # One is delivered, with a proof link.
    row = page.locator("#deliverables tbody tr", has_text="Full page, issue 3")
    status = row.get_by_label("Status of Full page, issue 3")
    status.select_option("delivered")
    expect(status).to_have_class(re.compile(r"\bstatus-delivered\b"))  # the row as the server saved it
    settled(row)
    expect(status).to_have_value("delivered")
    row.get_by_text("Add proof").click()
    row.get_by_label("Proof (link)").fill("https://magazine.example.com/issue-3.pdf")
    row.get_by_role("button", name="Save the proof").click()
    expect(page.locator("#deliverables tbody tr", has_text="Full page, issue 3").get_by_role("link", name="link")).to_have_attribute(
        "href", "https://magazine.example.com/issue-3.pdf")
    page.reload()
    expect(page.locator("#deliverables tbody tr", has_text="Full page, issue 3").get_by_label(
        "Status of Full page, issue 3")).to_have_value("delivered")

    # On the renewals calendar, in its quarter, in EUR.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Renewals").click()
    quarter = page.locator("table.renewals-table tbody", has=page.get_by_role("heading", name=f"Q{(ends.month - 1) // 3 + 1} {ends.year}"))
    expect(quarter).to_contain_text("Harbor Lane Outfitters Inc.")
    expect(quarter).to_contain_text("€24,615.11")
    expect(page.locator("svg.timeline")).to_contain_text("Harbor Lane")

    # tick, twice: the rep gets one reminder, in Italian, over SMTP.
    run_tick()
    run_tick()
    to_rep = inbox.to(f"marco-{tag}@atlas.example")
    assert len(to_rep) == 1
    assert to_rep[0]["Content-Language"] == "it"
    assert "20" in to_rep[0]["Subject"] and "Harbor Lane Outfitters Inc." in to_rep[0]["Subject"]
