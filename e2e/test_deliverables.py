"""On a phone at a trade show (390 x 844): a coordinator finds what is due, opens its contract, marks it delivered
from its card, adds the proof link, and the card says so; neither page ever scrolls sideways."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready, settled
from tenants.models import Role
from tests import contract_factories as cf
from tests import factories as f

PHONE = {"width": 390, "height": 844}


def _seed(live_app, tag):
    """A coordinator's signed contract with three deliverables, one of them overdue."""
    today = date.today()
    with live_app.app_context():
        tenant = f.tenant(f"fair-{tag}", name=f"Fair {tag}", base_currency="EUR")
        giulia = f.person(tenant, f"giulia-{tag}@fair.example", Role.coordinator, name="Giulia Rossi", locale="en",
                          timezone="Europe/Rome")
        marco = f.person(tenant, f"marco-{tag}@fair.example", Role.rep, name="Marco Bianchi")
        account_id = cf.account(tenant, name="Harbor Lane Outfitters International Inc.")
        contract_id = cf.contract(tenant, account_id, marco, coordinator=giulia, signed_on=today - timedelta(days=30))
        for details, due in (("Full page advertorial in the spring trade fair catalogue, issue 3", today - timedelta(days=4)),
                             ("Homepage banner, April", today + timedelta(days=9)),
                             ("Booth 12 at the trade fair", today + timedelta(days=60))):
            cf.deliverable(tenant, contract_id, details=details, due_on=due, responsible=giulia)
        return tenant.slug


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]


def test_a_deliverable_is_delivered_and_proven_from_its_card_on_a_phone(new_context, live_app):
    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    page = new_context(viewport=PHONE).new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(f"giulia-{tag}@fair.example")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))
    scripts_ready(page)

    # What is due: the overdue one first and marked, the one in two months not in the coming 4 weeks.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Deliverables").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deliverables")
    rows = page.locator("table.deliverables tbody tr[id]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Full page advertorial")
    expect(rows.first).to_contain_text("overdue")
    _no_sideways_scroll(page)

    # Planning ahead, in place (htmx) with the address following: the next 30 days leave the overdue one out and
    # say so; a later end date typed in reaches the booth in two months.
    page.get_by_role("link", name="Next 30 days").click()
    expect(page.get_by_text("1 overdue deliverable is not in this range.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"period=30days"))
    expect(rows).to_have_count(1)
    settled(page.locator("#deliverables-list"))
    later = (date.today() + timedelta(days=90)).isoformat()
    page.get_by_label("Due until").fill(later)
    expect(rows.last).to_contain_text("Booth 12 at the trade fair")
    expect(page).to_have_url(re.compile(rf"due_to={later}"))
    expect(rows).to_have_count(2)
    settled(page.locator("#deliverables-list"))
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Show what is overdue").click()
    expect(page).to_have_url(re.compile(r"period=overdue"))
    expect(rows).to_have_count(1)
    overdue = rows.first
    expect(overdue).to_contain_text("Full page advertorial")

    # Its contract, from the card.
    overdue.get_by_role("link", name=re.compile(r"^C-")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trade show package")
    scripts_ready(page)
    _no_sideways_scroll(page)

    card = page.locator("#deliverables tbody tr", has_text="Full page advertorial")
    status = card.get_by_label("Status of Full page advertorial in the spring trade fair catalogue, issue 3")
    box = status.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # on the card, not off the screen
    status.select_option("delivered")
    expect(status).to_have_class(re.compile(r"\bstatus-delivered\b"))  # the row as the server saved it
    settled(card)
    expect(page.locator("#live")).to_contain_text("saved: Delivered")
    expect(card).not_to_contain_text("overdue")
    _no_sideways_scroll(page)

    card.get_by_text("Add proof").click()
    card.get_by_label("Proof (link)").fill("https://catalogue.example.com/spring/issue-3.pdf")
    _no_sideways_scroll(page)
    card.get_by_role("button", name="Save the proof").click()
    expect(card.get_by_role("link", name="link")).to_have_attribute(
        "href", "https://catalogue.example.com/spring/issue-3.pdf")
    expect(page.locator("#live")).to_contain_text("The proof of “Full page advertorial")
    expect(card.get_by_text("Replace")).to_be_visible()
    _no_sideways_scroll(page)

    # It stays so: after a reload the card shows it delivered, with its proof.
    page.reload()
    card = page.locator("#deliverables tbody tr", has_text="Full page advertorial")
    expect(card.get_by_label(re.compile("^Status of Full page advertorial"))).to_have_value("delivered")
    expect(card.get_by_role("link", name="link")).to_be_visible()
    _no_sideways_scroll(page)
