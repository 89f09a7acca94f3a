"""A coordinator reads the renewals page on a phone: the next 12 months by default, a contract ending in 13
months one tap away (swapped in place), the chart and its table both showing it, nothing wider than the
screen, and no accessibility violation (axe-core) on a phone or a laptop."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready, settled
from tenants.models import Role
from tests import contract_factories as cf
from tests import factories as f
from web.contracts.service import add_months


def _seed(live_app, tag):
    today = date.today()
    with live_app.app_context():
        tenant = f.tenant(f"orbit-{tag}", name=f"Orbit {tag}", base_currency="EUR")
        f.person(tenant, f"giulia-{tag}@orbit.example", Role.coordinator, name="Giulia Rossi", locale="en")
        rep = f.person(tenant, f"marco-{tag}@orbit.example", Role.rep, name="Marco Bianchi", locale="it")
        harbor = cf.account(tenant, name="Harbor Lane Outfitters Inc.")
        sakura = cf.account(tenant, name="Sakura Kitchenware K.K.", country="JP", currency="JPY")
        signed = today - timedelta(days=30)
        soon = today + timedelta(days=45)
        cf.contract(tenant, harbor, rep, ends=soon, starts=soon - timedelta(days=364), signed_on=signed, notice_days=60)
        later = add_months(today, 13)
        cf.contract(tenant, sakura, rep, ends=later, starts=later - timedelta(days=364), signed_on=signed,
                    value="4800000", currency="JPY", title="Japan market launch campaign")
        return tenant.slug


def _no_axe_violations(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


def test_on_a_phone_everything_ahead_shows_a_contract_ending_in_13_months(new_context, live_app):
    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(f"giulia-{tag}@orbit.example")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))

    page.goto(f"/t/{slug}/renewals")
    table = page.get_by_role("group", name="Contracts by period")
    expect(table.get_by_role("row", name=re.compile("Harbor Lane Outfitters Inc."))).to_be_visible()
    expect(table).not_to_contain_text("Sakura")  # 13 months away: after the next 12
    expect(page.get_by_role("img", name="Contracts ending and their notice deadlines")).not_to_contain_text("Sakura")
    expect(page.get_by_role("link", name="The next 12 months")).to_have_attribute("aria-current", "page")
    scripts_ready(page)
    _fits_the_screen(page)
    _no_axe_violations(page)

    page.get_by_role("link", name="All upcoming").click()  # swapped in place (htmx), the address kept
    chosen = page.get_by_role("link", name="All upcoming")
    expect(chosen).to_have_attribute("aria-current", "page")
    settled(page.locator("#renewals"))
    expect(page).to_have_url(re.compile(r"[?&]window=all\b"))
    row = table.get_by_role("row", name=re.compile("Sakura Kitchenware K.K."))
    expect(row).to_be_visible()
    expect(row).to_contain_text("Japan market launch campaign")
    expect(page.get_by_role("img", name="Contracts ending and their notice deadlines")).to_contain_text("Sakura")
    _fits_the_screen(page)
    _no_axe_violations(page)

    page.reload()  # the address alone brings the same view back (bookmarks, no JavaScript needed)
    expect(page.get_by_role("link", name="All upcoming")).to_have_attribute("aria-current", "page")
    expect(table.get_by_role("row", name=re.compile("Sakura Kitchenware K.K."))).to_be_visible()

    page.set_viewport_size({"width": 1366, "height": 900})
    expect(table.get_by_role("columnheader", name="Notice deadline")).to_be_visible()
    _fits_the_screen(page)
    _no_axe_violations(page)
