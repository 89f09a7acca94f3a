"""Cases in a browser: a coordinator opens a case (choosing the account fills its contacts in place), writes a
note, mails the Italian contact (the mail arrives in Italian with the case number), and puts the case on hold:
the SLA clock stops. The public case form sends a confirmation mail."""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready, settled
from tenants.db import db
from tenants.models import Role
from tenants.scoping import tenant_context
from tests import contract_factories as cf
from tests import factories as f
from web.accounts import service as accounts
from web.accounts.models import Account


def _seed(live_app, tag):
    with live_app.app_context():
        tenant = f.tenant(f"help-{tag}", name=f"Help {tag}")
        f.person(tenant, f"giulia-{tag}@help.example", Role.coordinator, name="Giulia Rossi", locale="en")
        rep = f.person(tenant, f"marco-{tag}@help.example", Role.rep, name="Marco Bianchi")
        account_id = cf.account(tenant, name="Pasticceria Dolce", country="IT", currency="EUR")
        cf.account(tenant, name="Harbor Lane Outfitters")
        cf.contract(tenant, account_id, rep, currency="EUR")
        with tenant_context(tenant.id):
            accounts.add_contact(db.session.get(Account, account_id), accounts.ContactData(
                name="Lucia Bianchi", email=f"lucia-{tag}@dolce.example", language="it"), actor_id=None)
            db.session.commit()
        return tenant.slug


def test_a_coordinator_opens_answers_and_holds_a_case(page: Page, live_app, run_tick, inbox):
    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    page.goto("/login")
    page.get_by_label("Email").fill(f"giulia-{tag}@help.example")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    page.get_by_role("link", name="New case").first.click()
    expect(page.get_by_role("heading", name="New case", level=1)).to_be_visible()
    scripts_ready(page)
    page.get_by_label("Subject").fill("The banner links to a dead page")
    page.get_by_label("Account").select_option(label="Pasticceria Dolce")
    # The form comes back with the account's contacts, and what was typed stays.
    expect(page.get_by_label("Contact").locator("option", has_text="Lucia Bianchi")).to_have_count(1)
    settled(page.locator("#case-form"))
    expect(page.get_by_label("Subject")).to_have_value("The banner links to a dead page")
    page.get_by_label("Contact").select_option(label="Lucia Bianchi")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator(".flash.success")).to_contain_text(re.compile(r"Case #\d+ is open\."))
    case_id = int(re.search(r"/cases/(\d+)", page.url).group(1))
    expect(page.get_by_text("First answer due in")).to_be_visible()

    page.get_by_label("Note").fill("Checked: their landing page is gone.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".flash.success")).to_contain_text("The note is added.")
    page.get_by_label("Message").fill("Ci scusiamo, stiamo correggendo il collegamento.")
    page.get_by_role("button", name="Send the email").click()
    expect(page.locator(".flash.success")).to_contain_text(f"lucia-{tag}@dolce.example")
    thread = page.get_by_role("region", name="Thread")
    expect(thread).to_contain_text("Status: New → Open")
    run_tick()
    mail = next(m for m in inbox.messages if m["To"] == f"lucia-{tag}@dolce.example")
    assert mail["Subject"] == f"[Caso #{case_id}] The banner links to a dead page"

    page.get_by_label("Status", exact=True).select_option(label="Waiting on client")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash.success")).to_contain_text(f"Case #{case_id} is saved.")
    expect(page.get_by_text("Waiting on the client: the clock is stopped").first).to_be_visible()
    expect(thread).to_contain_text("Status: Open → Waiting on client")


def test_a_client_writes_in_through_the_public_form_and_gets_the_case_number(page: Page, live_app, run_tick, inbox):
    from web.cases import service

    tag = uuid.uuid4().hex[:6]
    slug = _seed(live_app, tag)
    with live_app.app_context():
        tenant_id = db.session.scalar(db.text("SELECT id FROM tenants WHERE slug = :s"), {"s": slug})
        with tenant_context(tenant_id):
            service.settings().webform_enabled = True
            db.session.commit()
    page.goto(f"/t/{slug}/cases/write")
    page.get_by_label("Your name").fill("Lucia Bianchi")
    page.get_by_label("Email").fill(f"lucia-{tag}@dolce.example")
    page.get_by_label("Subject").fill("Il banner non funziona")
    page.get_by_label("Message").fill("Il link porta a una pagina 404.")
    page.get_by_label("Language for our answer").select_option("it")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    run_tick()
    mail = next(m for m in inbox.messages if m["To"] == f"lucia-{tag}@dolce.example")
    assert mail["Subject"].startswith("[Caso #") and "Abbiamo ricevuto il tuo messaggio" in mail["Subject"]
