"""Money typed as people write it (issue 9): a value typed the Italian way once became 24,50 USD with no warning,
because a number input dropped what the browser could not read. The server reads it now, in the reader's locale."""
from __future__ import annotations

import re
import uuid
from decimal import Decimal

from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready
from tenants.models import Role
from tests import contract_factories as cf
from tests import factories as f


def _seed(live_app, tag, locale):
    with live_app.app_context():
        tenant = f.tenant(f"lira-{tag}", name=f"Lira {tag}", base_currency="EUR")
        f.person(tenant, f"giulia-{tag}@lira.example", Role.coordinator, name="Giulia Rossi", locale=locale,
                 timezone="Europe/Rome")
        f.person(tenant, f"marco-{tag}@lira.example", Role.rep, name="Marco Bianchi", locale="it")
        return tenant.slug, cf.account(tenant, "Bottega Verdi S.r.l.", country="IT", currency="USD")


def _new_contract(page: Page, live_app, locale: str, typed: str):
    tag = uuid.uuid4().hex[:6]
    slug, account_id = _seed(live_app, tag, locale)
    page.goto("/login")
    page.locator("#email").fill(f"giulia-{tag}@lira.example")
    page.locator("#password").fill(f.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))
    page.goto(f"/t/{slug}/contracts/new?account_id={account_id}")
    scripts_ready(page)
    page.locator("#title").fill("Fiera di Milano")
    page.locator("#owner_id").select_option(label="Marco Bianchi")
    page.locator("#value_amount").fill(typed)
    page.locator("#value_currency").select_option("USD")
    page.locator("#starts_on").fill("2026-11-01")
    page.locator("#ends_on").fill("2027-10-31")
    page.locator("form button[type=submit]").last.click()
    return slug


def _stored_value(live_app, slug):
    from sqlalchemy import select

    from tenants.db import db
    from tenants.models import Tenant
    from tenants.scoping import tenant_context
    from web.contracts.models import Contract

    with live_app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_context(tenant.id):
            return db.session.scalar(select(Contract.value_amount))


def test_an_italian_coordinator_types_24_500_comma_00_and_the_contract_is_worth_24500(page: Page, live_app):
    slug = _new_contract(page, live_app, "it", "24.500,00")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiera di Milano")
    assert _stored_value(live_app, slug) == Decimal("24500.00")
    expect(page.get_by_text("24.500,00\u00a0USD").first).to_be_visible()
    page.get_by_role("link", name=f.translated("Edit", "it"), exact=True).click()
    expect(page.locator("#value_amount")).to_have_value("24.500,00")  # echoed back the Italian way


def test_an_english_reader_types_24_comma_500_point_00_the_same(page: Page, live_app):
    slug = _new_contract(page, live_app, "en", "24,500.00")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiera di Milano")
    assert _stored_value(live_app, slug) == Decimal("24500.00")
    expect(page.get_by_text("$24,500.00").first).to_be_visible()


def test_24_point_500_to_an_english_reader_is_refused_not_guessed(page: Page, live_app):
    slug = _new_contract(page, live_app, "en", "24.500")
    field = page.locator("#value_amount")
    expect(page.locator("#value_amount-error")).to_have_text(
        "“24.500” can be read as 24,500.00 or as 24.50. Type one of those so there is no doubt.")
    expect(field).to_have_value("24.500")  # what was typed is kept
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title")).to_have_value("Fiera di Milano")
    assert _stored_value(live_app, slug) is None  # nothing was stored
