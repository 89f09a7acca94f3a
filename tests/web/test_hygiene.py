"""Data hygiene: an SMTP 550 puts the contact in the "needs fixing" queue after one tick; coordinators report
bad addresses; the fix stores phones in international form and goes to the record's history."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tenants import audit
from tenants.db import db
from tenants.scoping import tenant_context
from web.accounts import service as accounts
from web.hygiene.models import Problem
from web.leads.models import Lead
from web.mail.models import OutboxMessage

from .. import factories as f
from .lead_helpers import count_rows, text_of


def _contact(app, world, cf, email="anna@dead-box.example", name="Anna Bounce"):
    account_id = cf.account(world.acme, name="Bounce Holding", country="IT")
    with app.app_context(), tenant_context(world.acme.id):
        account = accounts.get_account(account_id)
        contact = accounts.add_contact(account, accounts.ContactData(name=name, email=email), actor_id=None)
        db.session.commit()
        return account_id, contact.id


def _lead(app, world, **fields):
    with app.app_context(), tenant_context(world.acme.id):
        lead = Lead(company="Phone Lead", source="referral", status="new", country="IT", **fields)
        db.session.add(lead)
        db.session.commit()
        return lead.id


def test_an_smtp_550_puts_the_contact_in_the_queue_after_one_tick(app, client, world, cf, smtp):
    from web import tick

    account_id, contact_id = _contact(app, world, cf)
    _contact(app, world, cf, email="bob@live-box.example", name="Bob Fine")
    smtp.refuse = {"anna@dead-box.example"}
    with app.app_context(), tenant_context(world.acme.id):
        for address in ("anna@dead-box.example", "bob@live-box.example"):  # queued as send_email does
            db.session.add(OutboxMessage(tenant_id=world.acme.id, to_address=address, subject="Your order",
                                         body_text="Hello", body_html=None, locale="en"))
        db.session.commit()
    results = tick.run(app)
    assert results["outbox"]["failed"] == 1 and results["outbox"]["sent"] == 1
    with app.app_context(), tenant_context(world.acme.id):
        problem = db.session.scalars(select(Problem)).one()
        assert (problem.contact_id, problem.kind, problem.address) == (contact_id, "email_bounced", "anna@dead-box.example")
        assert problem.detail.startswith("550")
    client.sign_in("coord@acme.example")
    queue = text_of(client.get("/t/acme/hygiene"))
    assert "Anna Bounce" in queue and "Bob Fine" not in queue and "Email bounced" in queue
    assert "Email bounced" in text_of(client.get(f"/t/acme/accounts/{account_id}"))  # the account's panel says so
    client.sign_in("admin@acme.example")
    trail = text_of(client.get("/t/acme/audit"))
    assert "Address reported as not working" in trail and "anna@dead-box.example" in trail
    assert tick.run(app)["outbox"]["failed"] == 0 and count_rows(app, world.acme, Problem) == 1  # once


def test_a_coordinator_reports_a_dead_phone_and_fixes_it_in_international_form(app, client, world):
    lead_id = _lead(app, world, phone="02 0000 0000")
    client.sign_in("coord@acme.example")
    assert client.post(f"/t/acme/hygiene/leads/{lead_id}", {"kind": "broken"}).status_code == 422
    assert client.post(f"/t/acme/hygiene/leads/{lead_id}", {"kind": "phone_dead", "detail": "No tone"}).status_code == 303
    assert client.post(f"/t/acme/hygiene/leads/{lead_id}", {"kind": "phone_dead"}).status_code == 303  # not twice
    assert count_rows(app, world.acme, Problem) == 1
    with app.app_context(), tenant_context(world.acme.id):
        problem_id = db.session.scalar(select(Problem.id))
    url = f"/t/acme/hygiene/{problem_id}"
    refused = client.post(url, {"phone": "12", "country": "IT", "email": ""})
    assert refused.status_code == 422 and 'value="12"' in refused.get_data(as_text=True)
    assert client.post(url, {"phone": "02 5550 1201", "country": "IT", "email": "Info@Phone-Lead.example"}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        lead = db.session.get(Lead, lead_id)
        assert (lead.phone, lead.email) == ("+39 02 5550 1201", "info@phone-lead.example")
        assert lead.phone_key.endswith("255501201")  # duplicate checks compare the last nine digits
        assert db.session.get(Problem, problem_id).fixed_at is not None
        fixed = db.session.scalars(select(audit.AuditEvent).where(audit.AuditEvent.action == "hygiene.fixed")).one()
        assert fixed.details["phone"] == ["02 0000 0000", "+39 02 5550 1201"]
    assert client.get(url).status_code == 404  # fixed: off the queue
    assert "Nothing to fix" in text_of(client.get("/t/acme/hygiene"))
    history = text_of(client.get(f"/t/acme/leads/{lead_id}"))
    assert "Address fixed" in history and "+39 02 5550 1201" in history


def test_the_report_form_on_a_lead_is_asked_for_when_opened_and_works_without_script(app, client, world):
    """The lead's page leaves the report form out (issue 15): opening it fetches the form in place; without
    JavaScript the link opens the lead's page with the form open; a report with errors comes back open with them."""
    lead_id = _lead(app, world, phone="02 0000 0000")
    client.sign_in("coord@acme.example")
    page = client.get(f"/t/acme/leads/{lead_id}").get_data(as_text=True)
    assert f'hx-get="/t/acme/hygiene/leads/{lead_id}"' in page and 'name="kind"' not in page
    part = client.get(f"/t/acme/hygiene/leads/{lead_id}", htmx=True)
    html = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in html
    assert 'name="kind"' in html and 'name="csrf_token"' in html and "Phone number dead" in html
    full = client.get(f"/t/acme/hygiene/leads/{lead_id}").get_data(as_text=True)
    assert "<html" in full and '<details class="add-form" open' in full and 'name="kind"' in full
    refused = client.post(f"/t/acme/hygiene/leads/{lead_id}", {"kind": "broken", "detail": "Kept note"})
    kept = refused.get_data(as_text=True)
    assert refused.status_code == 422 and '<details class="add-form" open' in kept and "Kept note" in kept
    client.sign_in("rep@acme.example")  # reps do not report addresses
    assert client.get(f"/t/acme/hygiene/leads/{lead_id}", htmx=True).status_code in (403, 404)


def test_reporting_a_contact_asks_which_one(app, client, world, cf):
    account_id, contact_id = _contact(app, world, cf)
    client.sign_in("manager@acme.example")
    assert client.post(f"/t/acme/hygiene/accounts/{account_id}", {"kind": "mail_returned"}).status_code == 422
    assert client.post(f"/t/acme/hygiene/accounts/{account_id}",
                       {"kind": "mail_returned", "contact": str(contact_id), "detail": "Moved away"}).status_code == 303
    page = text_of(client.get(f"/t/acme/accounts/{account_id}"))
    assert "Mail returned undelivered" in page


def test_reps_and_other_tenants_do_not_see_the_queue(app, client, make_client, world):
    lead_id = _lead(app, world, phone="+39 02 5550 1201")
    client.sign_in("coord@acme.example")
    client.post(f"/t/acme/hygiene/leads/{lead_id}", {"kind": "phone_dead"})
    rep = make_client()
    rep.sign_in("rep@acme.example")
    assert rep.get("/t/acme/hygiene").status_code == 404
    rival = make_client()
    rival.sign_in("owner@rival.example")
    assert rival.get("/t/acme/hygiene").status_code == 404


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_the_queue_in_italian_and_vietnamese(app, client, world, locale):
    lead_id = _lead(app, world, phone="+39 02 5550 1201")
    with app.app_context():
        f.person(world.acme, f"hy-{locale}@acme.example", "coordinator", locale=locale)
    client.login(f"hy-{locale}@acme.example")
    client.post(f"/t/acme/hygiene/leads/{lead_id}", {"kind": "phone_dead"})
    page = text_of(client.get("/t/acme/hygiene"))
    assert f.translated("Phone number dead", locale) in page and f.translated("Needs fixing", locale) in page


def test_the_queue_runs_the_same_queries_with_10_and_500_problems(app, client, world, queries):
    def add(count):
        with app.app_context(), tenant_context(world.acme.id):
            leads = [Lead(company=f"Lead {i}", source="referral", status="new", phone="+39 02 5550 1201")
                     for i in range(count)]
            db.session.add_all(leads)
            db.session.flush()
            db.session.add_all([Problem(lead_id=lead.id, kind="phone_dead") for lead in leads])
            db.session.commit()

    def measure():
        with queries() as statements:
            assert client.get("/t/acme/hygiene").status_code == 200
        return len(statements)

    client.sign_in("coord@acme.example")
    add(10)
    client.get("/t/acme/hygiene")
    small = measure()
    add(490)
    assert measure() == small and small <= 15, small
