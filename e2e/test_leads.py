"""A coordinator researches a lead, records the qualifying answers and hands it to a rep; the rep accepts and
converts it; the contract is signed and the coordinator's bonus appears once in the ledger, in EUR."""
from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal

from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready
from tenants.models import Role
from tests import factories as f
from tests import lead_factories as lf


def _seed(live_app, tag):
    with live_app.app_context():
        tenant = f.tenant(f"orbit-{tag}", name=f"Orbit {tag}", base_currency="EUR")
        coordinator = f.person(tenant, f"giulia-{tag}@orbit.example", Role.coordinator, name="Giulia Rossi", locale="en")
        f.person(tenant, f"marco-{tag}@orbit.example", Role.rep, name="Marco Bianchi", locale="en")
        admin = f.person(tenant, f"admin-{tag}@orbit.example", Role.admin, name="Ada Admin", locale="en")
        lf.question(tenant, "yes_no", "Do they have a budget this year?", points_yes=40)
        lf.question(tenant, "number", "How many fairs do they attend a year?", points_threshold=30,
                    threshold=Decimal(2))
        from tenants.scoping import tenant_context
        from web.bonuses import service as bonuses

        with tenant_context(tenant.id):
            bonuses.set_rule(tenant, "fixed", amount=Decimal("250"), percent=None, actor_id=admin.id)
        del coordinator
        return tenant.slug


def _login(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def test_lead_to_signed_contract_credits_the_coordinator_once(page: Page, new_context, live_app):
    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    _login(page, f"giulia-{tag}@orbit.example")

    # The coordinator creates the lead.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Leads").click()
    page.get_by_role("link", name="New lead").click()
    page.get_by_label("Company").fill("Bottega Verdi S.r.l.")
    page.get_by_label("Contact person").fill("Sara Verdi")
    page.get_by_label("Email").fill("sara@bottegaverdi.it")
    page.get_by_label("Country").select_option("IT")
    page.get_by_label("Source").select_option("event")
    page.get_by_label("Estimated value").fill("12000")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_role("button", name="Add the lead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bottega Verdi S.r.l.")
    lead_url = page.url
    scripts_ready(page)  # the answers are saved in place (htmx)

    # The qualifying answers, recorded during the call; the score follows.
    answers = page.locator("#answers")
    answers.get_by_label("Yes").check()
    answers.get_by_label("How many fairs do they attend a year?").fill("4")
    answers.get_by_role("button", name="Save the answers").click()
    expect(page.locator("#answers")).to_contain_text("Score 70")
    page.reload()
    page.get_by_role("button", name="Mark as qualified").click()
    expect(page.locator(".flash.success")).to_contain_text("is now qualified")

    # Hand-off to the rep, with a note.
    page.get_by_role("link", name="Hand off to a rep").click()
    page.get_by_label("Rep", exact=True).select_option(label="Marco Bianchi")
    page.get_by_label("Note for the rep").fill("Sara decides; call her Tuesday morning.")
    page.get_by_role("button", name="Hand off the lead").click()
    expect(page.locator(".flash.success")).to_be_visible()

    # The rep, in another browser, accepts and converts.
    rep_context = new_context()
    rep = rep_context.new_page()
    _login(rep, f"marco-{tag}@orbit.example")
    expect(rep.get_by_role("main")).to_contain_text("Bottega Verdi S.r.l.")  # waiting on his home page
    rep.goto(lead_url)
    expect(rep.get_by_text("Sara decides; call her Tuesday morning.").first).to_be_visible()
    expect(rep.get_by_text("Do they have a budget this year?").first).to_be_visible()  # the answers travel with it
    rep.get_by_role("button", name="Accept the lead").click()
    expect(rep.locator(".flash.success")).to_contain_text("is yours now")
    rep.get_by_role("link", name="Convert").click()
    rep.get_by_role("button", name="Convert the lead").click()
    expect(rep.locator(".flash.success")).to_contain_text("is converted")  # the form's own heading names the lead too
    expect(rep.get_by_role("heading", level=1)).to_contain_text("Bottega Verdi")
    expect(rep.get_by_text("$12,000.00").first).to_be_visible()  # the value kept its currency

    # The contract is signed: the bonus is credited to the coordinator who teed the lead up.
    rep.get_by_label("Signed on").fill(date.today().isoformat())
    rep.get_by_role("button", name="Sign the contract").click()
    expect(rep.locator(".flash.success")).to_contain_text("is signed and active")
    # Editing the signed contract again does not credit a second bonus.
    rep.get_by_role("link", name="Edit").click()
    rep.get_by_label("Value").fill("13000")
    rep.get_by_role("button", name="Save the contract").click()
    expect(rep.locator(".flash.success")).to_be_visible()
    rep_context.close()

    page.goto(f"/t/{slug}/leads/bonuses?period={date.today():%Y-%m}")
    ledger = page.locator("#ledger")
    expect(ledger).to_contain_text("Giulia Rossi")
    expect(ledger).to_contain_text("€250.00")
    expect(ledger.locator("tbody tr", has_text="Bottega Verdi")).to_have_count(1)
    assert re.search(r"€250\.00", ledger.inner_text())
