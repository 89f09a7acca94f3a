"""The manager reads the team report in Italian with its chart and downloads the PDF, whose text holds the
totals; a rep marks themself away, an urgent request from the web form comes in for them, and the coordinator
who covers sees it on the home page."""
from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.conftest import scripts_ready
from i18n.money import Money, format_money
from tenants.db import db
from tenants.models import Role
from tenants.scoping import tenant_context
from tests import contract_factories as cf
from tests import factories as f
from web.contracts.models import Contract
from web.leads.models import LeadSettings
from web.rates.models import CorporateRate
from web.reports.models import Support


def _sign_in(page: Page, email: str, slug: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(f.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))


def _seed_sales(live_app, tag):
    """Two reps' contracts signed this quarter in EUR, USD, JPY and VND (a corporate rate); the team total."""
    today = date.today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    with live_app.app_context():
        tenant = f.tenant(f"atlas-{tag}", name=f"Atlas {tag}", base_currency="EUR")
        f.person(tenant, f"capo-{tag}@atlas.example", Role.manager, name="Chiara Capo", locale="it")
        marco = f.person(tenant, f"marco-{tag}@atlas.example", Role.rep, name="Marco Bianchi", locale="it")
        rosa = f.person(tenant, f"rosa-{tag}@atlas.example", Role.rep, name="Rosa Verdi", locale="it")
        with tenant_context(tenant.id):
            db.session.add(CorporateRate(currency="VND", base_currency="EUR", day=quarter_start - timedelta(days=30),
                                         rate=Decimal("27450")))
            db.session.commit()
        account = cf.account(tenant, name="Harbor Lane Outfitters Inc.")
        for rep, value, currency in ((marco, "12500.50", "EUR"), (marco, "8000", "USD"), (rosa, "1500000", "JPY"),
                                     (rosa, "385000000", "VND")):
            cf.contract(tenant, account, rep, value=value, currency=currency, signed_on=quarter_start,
                        starts=quarter_start, ends=quarter_start + timedelta(days=364))
        with tenant_context(tenant.id):
            total = sum(db.session.scalars(db.select(Contract.base_amount)).all())
        return tenant.slug, Money(total, "EUR")


def test_the_manager_reads_the_team_report_in_italian_and_downloads_the_pdf(new_context, live_app):
    tag = uuid.uuid4().hex[:6]
    slug, total = _seed_sales(live_app, tag)
    page = new_context(accept_downloads=True).new_page()
    _sign_in(page, f"capo-{tag}@atlas.example", slug)
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name="Report del team", level=1)).to_be_visible()
    chart = page.get_by_role("img", name="Valore firmato per commerciale rispetto all'obiettivo, in EUR")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("Marco Bianchi")
    table = page.get_by_role("group", name="Commerciali rispetto all'obiettivo")
    expect(table.get_by_role("row", name=re.compile("Il team"))).to_contain_text(format_money(total, "it"))

    page.get_by_role("link", name="Report riepilogativo").click()
    expect(page.get_by_role("heading", name="Report riepilogativo", level=1)).to_be_visible()
    scripts_ready(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Scarica PDF").click()
    with open(info.value.path(), "rb") as downloaded:
        data = downloaded.read()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert format_money(total, "it") in text and "Rosa Verdi" in text and "Rinnovi a rischio" in text


def test_an_urgent_lead_for_a_rep_away_reaches_the_coordinator_on_the_home_page(new_context, live_app):
    tag = uuid.uuid4().hex[:6]
    with live_app.app_context():
        tenant = f.tenant(f"cover-{tag}", name=f"Cover {tag}")
        giulia = f.person(tenant, f"giulia-{tag}@cover.example", Role.coordinator, name="Giulia Rossi", locale="en")
        marco = f.person(tenant, f"marco-{tag}@cover.example", Role.rep, name="Marco Bianchi", locale="en")
        with tenant_context(tenant.id):
            db.session.add(Support(rep_id=marco.id, coordinator_id=giulia.id))
            db.session.add(LeadSettings(bonus_rule="none", webform_enabled=True, webform_owner_id=marco.id))
            db.session.commit()
        slug = tenant.slug
    rep = new_context().new_page()
    _sign_in(rep, f"marco-{tag}@cover.example", slug)
    rep.get_by_role("link", name="Away and cover").click()
    today = date.today()
    rep.get_by_label("Away from").fill(today.isoformat())
    rep.get_by_label("Back after").fill((today + timedelta(days=7)).isoformat())
    rep.get_by_role("button", name="Save").click()
    expect(rep.locator(".flashes")).to_contain_text("Giulia Rossi covers")

    visitor = new_context().new_page()
    visitor.goto(f"/t/{slug}/webform")
    visitor.get_by_label("Your name").fill("Laura Neri")
    visitor.get_by_label("Company").fill("Urgent: Fiera Milano booth")
    visitor.get_by_label("Email").fill("laura@fiera.example")
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_role("heading", level=1)).to_be_visible()
    expect(visitor).to_have_url(re.compile(r"/webform/thanks"))

    coordinator = new_context().new_page()
    _sign_in(coordinator, f"giulia-{tag}@cover.example", slug)
    cover = coordinator.locator("#cover")
    expect(cover).to_contain_text("You cover for Marco Bianchi")
    expect(cover.get_by_role("link", name="Urgent: Fiera Milano booth")).to_be_visible()
    expect(cover).to_contain_text("New lead for Marco Bianchi:")
