"""Leads: create and find them, duplicates, the board, hand-off, conversion, the export, who sees what,
constant queries on big lists, every page in Italian and Vietnamese, and the demo."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from tenants.audit import AuditEvent
from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import outbox_access, tenant_context
from web.accounts.models import Account, Contact
from web.activities.models import Activity
from web.bonuses.models import BonusEntry
from web.contracts.models import Contract
from web.leads.models import STATUSES, Handoff, Lead, LeadTag
from web.mail.models import OutboxMessage
from web.questionnaire.models import Answer

from .. import factories as f
from .. import lead_factories as lf
from .lead_helpers import (
    CONVERSION,
    GOOD,
    accepted,
    count_rows,
    enable_webform,
    id_from,
    lead_row,
    qualified,
    set_locale,
    text_of,
)


def test_a_coordinator_adds_a_lead_and_finds_it_by_typing(app, client, world):
    client.login("coord@acme.example")
    created = client.post("/t/acme/leads", {**GOOD, "value": "12.000,50"})  # Giulia writes Italian numbers
    assert created.status_code == 303
    lead = lead_row(app, world.acme, id_from(created))
    assert (lead.company, lead.country, lead.value_amount, lead.value_currency) == (
        "Bottega Verdi S.r.l.", "IT", Decimal("12000.50"), "EUR")
    assert lead.company_key == "bottega verdi" and lead.domain == "bottegaverdi.example"
    assert lead.phone_key == "212345678" and lead.status == "new" and lead.created_by_id == world.coordinator.id
    with app.app_context(), tenant_context(world.acme.id):
        assert sorted(db.session.scalars(select(LeadTag.name))) == ["fair 2026", "vip"]
    lf.Bound(app).lead(world.acme, company="Zanzara Trasporti")

    search = client.get("/t/acme/leads", query_string={"q": "bottega"}, htmx=True)
    assert search.status_code == 200 and "Vary" in search.headers
    page = text_of(search)
    assert page.startswith('<section class="card" id="leads-list"')  # only the fragment swaps
    assert "Bottega Verdi" in page and "Zanzara" not in page
    assert "Bottega Verdi" in text_of(client.get("/t/acme/leads", query_string={"q": "5678"}, htmx=True))
    assert "Bottega Verdi" not in text_of(client.get("/t/acme/leads", query_string={"status": "qualified"}, htmx=True))
    assert "Bottega Verdi" in text_of(client.get("/t/acme/leads", query_string={"tag": "vip"}, htmx=True))
    full = client.get("/t/acme/leads", query_string={"q": "bottega"})  # the pushed URL loads as a full page
    assert "<!doctype html>" in text_of(full) and 'value="bottega"' in text_of(full)


def test_bad_input_is_refused_with_a_clear_message_and_every_value_kept(app, client, world):
    client.login("admin@acme.example")
    response = client.post("/t/acme/leads", {**GOOD, "email": "anna(at)bottega", "country": "XX",
                                             "currency": "XYZ", "value": "dodici", "notes": "Met at the fair"})
    assert response.status_code == 422
    page = text_of(response)
    for message in ("Enter a valid email address, like name@example.com.", "Choose a country from the list.",
                    "Choose a currency from the list (an ISO 4217 code such as EUR).",
                    "“dodici” is not an amount Coordina can read. Type it like 1,234.56."):
        assert f.shows(page, message), message
    assert 'value="anna(at)bottega"' in page and 'value="dodici"' in page and "Met at the fair" in page
    assert 'value="Bottega Verdi S.r.l."' in page
    assert count_rows(app, world.acme, Lead) == 0
    negative = client.post("/t/acme/leads", {**GOOD, "value": "-5"})
    assert negative.status_code == 422 and f.shows(negative, "Enter an amount of 0 or more.")
    no_company = client.post("/t/acme/leads", {**GOOD, "company": ""})
    assert no_company.status_code == 422 and f.shows(no_company, "This field is required.")


def test_a_possible_duplicate_is_flagged_before_saving_with_save_anyway_merge_or_link(app, client, world):
    existing = lf.Bound(app).lead(world.acme, company="Bottega Verdi", email="info@bottegaverdi.example")
    account = lf.Bound(app).account(world.acme, name="Verdi Holding", phone="02 1234 5678")
    client.login("manager@acme.example")
    flagged = client.post("/t/acme/leads", GOOD)
    assert flagged.status_code == 409
    page = text_of(flagged)
    assert f"/t/acme/leads/{existing.id}" in page and "Verdi Holding" in page
    assert f.shows(page, "same company name") and f.shows(page, "same phone")
    assert count_rows(app, world.acme, Lead) == 1  # nothing saved yet

    merged = client.post("/t/acme/leads", {**GOOD, "confirmed": "1", "merge_into": str(existing.id)})
    assert merged.status_code == 303 and merged.headers["Location"].endswith(f"/leads/{existing.id}")
    after = lead_row(app, world.acme, existing.id)
    assert after.email == "info@bottegaverdi.example"  # filled fields are never overwritten
    assert after.contact_name == "Anna Neri" and after.phone == "+39 02 1234 5678" and after.value_amount == 12000
    assert count_rows(app, world.acme, Lead) == 1

    linked = client.post("/t/acme/leads", {**GOOD, "confirmed": "1", "account_id": str(account.id)})
    assert linked.status_code == 303
    assert lead_row(app, world.acme, id_from(linked)).account_id == account.id
    anyway = client.post("/t/acme/leads", {**GOOD, "confirmed": "1"})
    assert anyway.status_code == 303
    assert count_rows(app, world.acme, Lead) == 3


def test_possible_duplicates_show_as_the_form_is_filled_in(app, client, world):
    lf.Bound(app).lead(world.acme, company="Officine Rossi S.p.A.")
    lf.Bound(app).lead(world.rival, company="Officine Rossi")  # another tenant's lead is never a match
    client.login("coord@acme.example")
    hint = client.get("/t/acme/leads/duplicates", query_string={"company": "OFFICINE ROSSI"}, htmx=True)
    assert hint.status_code == 200 and "Officine Rossi S.p.A." in text_of(hint)
    assert text_of(hint).count("/t/acme/leads/") == 1
    gmail = client.get("/t/acme/leads/duplicates", query_string={"email": "x@gmail.com"}, htmx=True)
    assert "Officine" not in text_of(gmail)  # free-mail domains say nothing about the company


def test_two_people_editing_the_same_lead_do_not_overwrite_each_other(app, client, world):
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    client.login("admin@acme.example")
    form = {**GOOD, "version": str(lead.version)}
    assert client.post(f"/t/acme/leads/{lead.id}", {**form, "notes": "First"}).status_code == 303
    late = client.post(f"/t/acme/leads/{lead.id}", {**form, "notes": "Second, on the old version"})
    assert late.status_code == 409
    assert f.shows(late, "Someone else saved this lead while you were editing.") and "Second, on the old version" in text_of(late)
    assert lead_row(app, world.acme, lead.id).notes == "First"


def test_a_card_moves_on_the_board_with_one_click(app, client, world):
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi", value="5000")
    client.login("manager@acme.example")
    board = text_of(client.get("/t/acme/leads/board"))
    assert 'id="board"' in board and f'hx-post="/t/acme/leads/{lead.id}/move"' in board
    moved = client.post(f"/t/acme/leads/{lead.id}/move", {"status": "researching"}, htmx=True)
    assert moved.status_code == 200 and text_of(moved).startswith('<section id="board"')
    assert lead_row(app, world.acme, lead.id).status == "researching"
    plain = client.post(f"/t/acme/leads/{lead.id}/move", {"status": "qualified"})  # without JavaScript
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/leads/board")
    refused = client.post(f"/t/acme/leads/{lead.id}/move", {"status": "converted"}, htmx=True)
    assert refused.status_code == 422 and f.shows(refused, "cannot be moved there")
    assert lead_row(app, world.acme, lead.id).status == "qualified"
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "lead.status_changed")) == 2


def test_disqualifying_needs_a_reason_and_a_disqualified_lead_can_be_reopened(app, client, world):
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    client.login("admin@acme.example")
    missing = client.post(f"/t/acme/leads/{lead.id}/disqualify", {"reason": ""})
    assert missing.status_code == 422 and f.shows(missing, "This field is required.")
    assert client.post(f"/t/acme/leads/{lead.id}/disqualify", {"reason": "No budget until 2028"}).status_code == 303
    after = lead_row(app, world.acme, lead.id)
    assert (after.status, after.disqualify_reason) == ("disqualified", "No budget until 2028")
    assert client.post(f"/t/acme/leads/{lead.id}/move", {"status": "new"}).status_code == 303
    assert lead_row(app, world.acme, lead.id).disqualify_reason is None


def test_the_disqualify_form_is_asked_for_when_opened_and_works_without_script(app, client, world):
    """The lead's page leaves the form out (issue 15): opening "Disqualify…" fetches it in place; without
    JavaScript the link opens the lead's page with the form open; a finished lead has none."""
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    client.login("admin@acme.example")
    page = client.get(f"/t/acme/leads/{lead.id}").get_data(as_text=True)
    opener = f'hx-get="/t/acme/leads/{lead.id}/disqualify"'
    assert opener in page and 'name="reason"' not in page
    part = client.get(f"/t/acme/leads/{lead.id}/disqualify", htmx=True)
    assert part.status_code == 200
    html = part.get_data(as_text=True)
    assert 'name="reason"' in html and 'name="csrf_token"' in html and "<html" not in html
    full = client.get(f"/t/acme/leads/{lead.id}/disqualify").get_data(as_text=True)
    assert "<html" in full and 'name="reason"' in full and '<details class="add-form" open' in full
    assert client.post(f"/t/acme/leads/{lead.id}/disqualify", {"reason": "Wrong market"}).status_code == 303
    gone = client.get(f"/t/acme/leads/{lead.id}/disqualify", htmx=True)  # nothing left to disqualify: to its page
    assert gone.headers["HX-Redirect"] == f"/t/acme/leads/{lead.id}"
    assert opener not in client.get(f"/t/acme/leads/{lead.id}").get_data(as_text=True)


def test_a_coordinator_hands_a_qualified_lead_to_a_rep_who_is_told_by_email_and_at_home(app, client, make_client,
                                                                                          world):
    lead = qualified(app, world, contact_title="Titolare")
    set_locale(app, world.rep, "it")
    client.login("coord@acme.example")
    form = client.get(f"/t/acme/leads/{lead.id}/handoff")
    assert form.status_code == 200 and "Is there a budget this year?" not in text_of(form)  # Giulia reads Italian
    assert f.shows(form, "C'è un budget quest'anno?")
    no_note = client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep.id), "note": ""})
    assert no_note.status_code == 422
    not_a_rep = client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.manager.id), "note": "x"})
    assert not_a_rep.status_code == 422
    sent = client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep.id),
                                                            "note": "Call Anna after 3pm, she decides"})
    assert sent.status_code == 303
    after = lead_row(app, world.acme, lead.id)
    assert (after.status, after.handed_to_id, after.teed_up_by_id) == ("handed_off", world.rep.id, world.coordinator.id)
    with app.app_context(), outbox_access():
        mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "rep@acme.example")).one()
    assert mail.locale == "it"  # the rep's language, answers included
    assert "Call Anna after 3pm" in mail.body_text and "C'è un budget quest'anno?" in mail.body_text
    # Each detail on a line of its own (the title's closing tag once swallowed the line's end).
    assert "Persona di contatto: Anna Neri (Titolare)\nTelefono: +39 02 1234 5678\n" in mail.body_text
    assert f"http://localhost/t/acme/leads/{lead.id}" in mail.body_text

    rep = make_client()
    rep.login("rep@acme.example")
    home = text_of(rep.get("/t/acme/"))
    assert "Bottega Verdi" in home and "Call Anna after 3pm" in home
    page = text_of(rep.get(f"/t/acme/leads/{lead.id}"))
    assert f.shows(page, "Call Anna after 3pm, she decides") and f.shows(page, "C'è un budget quest'anno?")
    # Who handed it, in the rep's words: above the answer buttons and in the hand-offs.
    assert f.shows(page, f.translated("%(name)s handed this lead to you", "it", name="Giulia Coordinator"))
    assert f.shows(page, f.translated("%(from)s to %(to)s", "it", **{"from": "Giulia Coordinator", "to": "Marco Rep"}))
    again = client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep2.id), "note": "again"})
    assert again.status_code == 422  # handed off already


def test_the_rep_accepts_the_lead_and_it_becomes_theirs(app, client, make_client, world):
    lead = qualified(app, world)
    client.login("coord@acme.example")
    client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep.id), "note": "Hot"})
    other = make_client()
    other.login("rep2@acme.example")
    assert other.post(f"/t/acme/leads/{lead.id}/accept").status_code == 404  # not handed to them: not visible
    rep = make_client()
    rep.login("rep@acme.example")
    assert rep.post(f"/t/acme/leads/{lead.id}/accept").status_code == 303
    after = lead_row(app, world.acme, lead.id)
    assert after.owner_id == world.rep.id and after.accepted_at is not None and after.teed_up_by_id == world.coordinator.id
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalars(select(Handoff.status)).one() == "accepted"
    rep.get("/t/acme/")  # the flash message
    assert "Bottega Verdi" not in text_of(rep.get("/t/acme/"))  # no longer waiting


def test_the_rep_returns_a_lead_with_a_reason_and_the_coordinator_is_told(app, client, make_client, world):
    lead = qualified(app, world)
    client.login("coord@acme.example")
    client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep.id), "note": "Hot"})
    rep = make_client()
    rep.login("rep@acme.example")
    silent = rep.post(f"/t/acme/leads/{lead.id}/return", {"reason": ""})
    assert silent.status_code == 422 and f.shows(silent, "This field is required.")
    assert rep.post(f"/t/acme/leads/{lead.id}/return", {"reason": "Already a customer of our Milan office"}).status_code == 303
    after = lead_row(app, world.acme, lead.id)
    assert (after.status, after.handed_to_id) == ("qualified", None)
    assert rep.get(f"/t/acme/leads/{lead.id}").status_code == 404  # no longer theirs to see
    with app.app_context(), outbox_access():
        mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "coord@acme.example")).one()
    assert mail.locale == "it" and "Already a customer of our Milan office" in mail.body_text
    page = text_of(client.get(f"/t/acme/leads/{lead.id}"))
    assert "Already a customer of our Milan office" in page


def test_a_rep_sees_only_the_leads_they_own_or_were_handed(app, client, make_client, world):
    own = lf.Bound(app).lead(world.acme, company="Rep Own Lead", owner=world.rep)
    handed = lf.Bound(app).lead(world.acme, company="Handed Lead", status="handed_off", handed_to_id=world.rep.id)
    others = lf.Bound(app).lead(world.acme, company="Someone Elses Lead", owner=world.rep2)
    unowned = lf.Bound(app).lead(world.acme, company="Unowned Lead")
    client.login("rep@acme.example")
    for url in ("/t/acme/leads", "/t/acme/leads/board", "/t/acme/leads/export.csv"):
        page = text_of(client.get(url))
        assert "Rep Own Lead" in page and "Handed Lead" in page, url
        assert "Someone Elses Lead" not in page and "Unowned Lead" not in page, url
    for lead in (others, unowned):
        assert client.get(f"/t/acme/leads/{lead.id}").status_code == 404
        assert client.post(f"/t/acme/leads/{lead.id}/move", {"status": "researching"}).status_code == 404
        assert client.post(f"/t/acme/activities/leads/{lead.id}", {"kind": "call", "subject": "x"}).status_code == 404
    assert client.get(f"/t/acme/leads/{own.id}").status_code == 200
    assert client.get(f"/t/acme/leads/{handed.id}").status_code == 200
    assert client.get("/t/acme/leads/imports").status_code == 403
    assert client.get("/t/acme/leads/bonuses").status_code == 403
    coordinator = make_client()
    coordinator.login("coord@acme.example")
    assert "Unowned Lead" in text_of(coordinator.get("/t/acme/leads"))


def test_a_leads_page_read_by_statements_built_once_answers_each_reader_anew(app, make_client, world):
    """A lead's page reads it, its hand-offs, answers, follow-ups and partners' offers with statements built once,
    run with each request's reader and lead: one rep after another opens their own lead and gets a 404 for the
    other's, whoever opened a page first."""
    bound = lf.Bound(app)
    marcos = bound.lead(world.acme, company="Marco Spa", owner=world.rep).id
    rosas = bound.lead(world.acme, company="Rosa Srl", owner=world.rep2).id
    f.reps_take_turns(make_client, "/t/acme/leads/{}", (marcos, "Marco Spa"), (rosas, "Rosa Srl"))


def test_the_lists_kept_statements_answer_each_reader_and_filter_anew(app, make_client, world):
    """The list's first page, its count, its pipeline and the board run statements kept per kind of reader and set of
    filters (leads.service.BOUND, tenants.shapes) with each request's values: one rep after another, one status after
    another."""
    bound = lf.Bound(app)
    bound.lead(world.acme, company="Marco New", owner=world.rep, value="1000")
    bound.lead(world.acme, company="Marco Qualified", owner=world.rep, status="qualified", value="2000")
    bound.lead(world.acme, company="Rosa New", owner=world.rep2, value="4000")
    marco, rosa = make_client(), make_client()
    marco.sign_in("rep@acme.example")
    rosa.sign_in("rep2@acme.example")
    for _ in range(2):
        page = text_of(marco.get("/t/acme/leads"))
        assert "Marco New" in page and "Marco Qualified" in page and "Rosa New" not in page and "2 leads" in page
        assert "3,000" in page  # Marco's pipeline
        page = text_of(rosa.get("/t/acme/leads"))
        assert "Rosa New" in page and "Marco New" not in page and "1 lead" in page and "4,000" in page
        page = text_of(marco.get("/t/acme/leads", query_string={"status": "qualified"}))
        assert "Marco Qualified" in page and "Marco New" not in page and "1 lead" in page
        page = text_of(marco.get("/t/acme/leads", query_string={"status": "new"}))
        assert "Marco New" in page and "Marco Qualified" not in page and "1 lead" in page
        assert "0 leads" in text_of(rosa.get("/t/acme/leads", query_string={"status": "qualified"}))
        board = text_of(marco.get("/t/acme/leads/board"))
        assert "Marco New" in board and "Marco Qualified" in board and "Rosa New" not in board
        board = text_of(rosa.get("/t/acme/leads/board"))
        assert "Rosa New" in board and "Marco New" not in board and "Marco Qualified" not in board


def test_the_rep_converts_a_lead_into_an_account_contact_and_draft_contract(app, client, make_client, world):
    lead, rep = accepted(app, client, make_client, world, country="IT", language="it", email="anna@bottegaverdi.example")
    with app.app_context():
        lf.Bound(app).activity(world.acme, lead, subject="Send the brochure")
    form = rep.get(f"/t/acme/leads/{lead.id}/convert")
    assert form.status_code == 200 and 'value="Bottega Verdi"' in text_of(form) and 'value="12,000.00"' in text_of(form)
    bad = rep.post(f"/t/acme/leads/{lead.id}/convert", {**CONVERSION, "ends_on": "2026-01-01", "currency": "XYZ"})
    assert bad.status_code == 422 and f.shows(bad, "The end comes after the start.")
    assert count_rows(app, world.acme, Account) == 0
    done = rep.post(f"/t/acme/leads/{lead.id}/convert", CONVERSION)
    assert done.status_code == 303
    after = lead_row(app, world.acme, lead.id)
    assert after.status == "converted" and after.account_id and after.contract_id
    with app.app_context(), tenant_context(world.acme.id):
        account = db.session.get(Account, after.account_id)
        contract = db.session.get(Contract, after.contract_id)
        contact = db.session.scalars(select(Contact)).one()
        activity = db.session.scalars(select(Activity)).one()
        assert (account.name, account.country, account.language, account.currency) == ("Bottega Verdi S.r.l.", "IT", "it", "USD")
        assert (contact.name, contact.email) == ("Anna Neri", "anna@bottegaverdi.example")
        assert (contract.status, contract.value_amount, contract.value_currency) == ("draft", Decimal("12000"), "USD")
        assert (contract.owner_id, contract.coordinator_id) == (world.rep.id, world.coordinator.id)
        assert activity.account_id == account.id  # the lead's history shows on the customer too
    assert rep.post(f"/t/acme/leads/{lead.id}/convert", CONVERSION).status_code == 403  # once


def test_a_coordinator_may_not_convert_and_a_pending_hand_off_is_answered_first(app, client, make_client, world):
    lead = qualified(app, world)
    client.login("coord@acme.example")
    assert client.get(f"/t/acme/leads/{lead.id}/convert").status_code == 403
    client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep.id), "note": "Hot"})
    rep = make_client()
    rep.login("rep@acme.example")
    assert rep.get(f"/t/acme/leads/{lead.id}/convert").status_code == 403


def test_the_filtered_list_exports_as_csv_safe_for_spreadsheets(app, client, world):
    lf.Bound(app).lead(world.acme, company="Bottega Verdi", country="IT", value="1500.5", email="anna@bottegaverdi.example",
            tags=["vip"], owner=world.coordinator)
    lf.Bound(app).lead(world.acme, company="=HYPERLINK(\"http://evil\")", country="IT")
    lf.Bound(app).lead(world.acme, company="Saigon Prints", country="VN", value="30000000", currency="VND")
    client.login("coord@acme.example")
    response = client.get("/t/acme/leads/export.csv", query_string={"country": "IT"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text_of(response).lstrip("\ufeff"))))
    assert len(rows) == 3 and "Saigon Prints" not in text_of(response)
    by_company = {r[1]: r for r in rows[1:]}
    assert by_company["Bottega Verdi"][12:14] == ["1500.5", "EUR"] and by_company["Bottega Verdi"][18] == "vip"
    assert "'=HYPERLINK(\"http://evil\")" in by_company  # never run as a formula


def test_another_tenants_member_gets_404_on_leads_questions_imports_and_activities(app, client, world):
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    with app.app_context():
        question = lf.Bound(app).question(world.acme, "yes_no")
        job = lf.Bound(app).import_job(world.acme)
        activity = lf.Bound(app).activity(world.acme, lead)
    client.login("owner@rival.example")
    for url in (f"/t/acme/leads/{lead.id}", "/t/acme/leads", "/t/acme/leads/board", "/t/acme/leads/export.csv",
                f"/t/rival/leads/{lead.id}", f"/t/rival/leads/{lead.id}/edit",
                f"/t/rival/leads/questionnaire/{question.id}/edit", f"/t/rival/leads/imports/{job.id}",
                f"/t/rival/leads/imports/{job.id}/errors.csv"):
        assert client.get(url).status_code == 404, url
    for url in (f"/t/rival/leads/{lead.id}/move", f"/t/rival/leads/{lead.id}/answers",
                f"/t/rival/activities/{activity.id}/done", f"/t/rival/leads/imports/{job.id}/step",
                f"/t/rival/leads/questionnaire/{question.id}/delete", f"/t/rival/activities/leads/{lead.id}"):
        assert client.post(url, {"status": "qualified", "kind": "call", "subject": "x"}).status_code == 404, url
    assert lead_row(app, world.acme, lead.id).status == "new"
    rival_list = text_of(client.get("/t/rival/leads"))
    assert "Bottega Verdi" not in rival_list


def _bulk(app, world, n, start=0):
    now = datetime.now(timezone.utc)
    with app.app_context(), tenant_context(world.acme.id):
        rows = [{"tenant_id": world.acme.id, "company": f"Company {i}", "company_key": f"company {i}",
                 "contact_name": f"Person {i}", "source": "cold_research", "status": STATUSES[i % len(STATUSES)],
                 "owner_id": (world.coordinator.id, world.rep.id)[i % 2], "handed_to_id": world.rep2.id,
                 "value_amount": Decimal(1000 + i), "value_currency": ("EUR", "USD")[i % 2], "score": i % 40,
                 "created_at": now, "updated_at": now, "version": 1} for i in range(start, start + n)]
        ids = list(db.session.scalars(insert(Lead).returning(Lead.id, sort_by_parameter_order=True), rows))
        db.session.execute(insert(LeadTag), [{"tenant_id": world.acme.id, "lead_id": i, "name": "bulk"} for i in ids])
        db.session.commit()


PAGES = [("coord@acme.example", "/t/acme/leads", False), ("coord@acme.example", "/t/acme/leads?q=company", True),
         ("coord@acme.example", "/t/acme/leads/board", False), ("coord@acme.example", "/t/acme/leads/board?q=comp", True),
         ("rep@acme.example", "/t/acme/leads", False), ("rep@acme.example", "/t/acme/leads/board", False)]


def _measure(app, make_client, queries) -> list[int]:
    counts = []
    clients = {}
    for email, url, htmx in PAGES:
        client = clients.get(email)
        if client is None:
            client = clients[email] = make_client()
            client.login(email)
        client.get(url, htmx=htmx)  # rates and sessions warm
        with queries() as statements:
            response = client.get(url, htmx=htmx)
        assert response.status_code == 200
        counts.append(len(statements))
    return counts


def test_the_list_and_the_board_run_as_many_queries_for_10_as_for_10000_leads(app, make_client, world, queries):
    _bulk(app, world, 10)
    small = _measure(app, make_client, queries)
    _bulk(app, world, 9990, start=10)
    assert count_rows(app, world.acme, Lead) == 10000
    big = _measure(app, make_client, queries)
    assert small == big, list(zip(PAGES, small, big))
    print("queries per page (10 and 10,000 leads):", list(zip([url for _e, url, _h in PAGES], big)))
    # Sign-in, membership, the page's own few, the layout's; PostgreSQL adds its RLS setting per transaction.
    assert max(big) <= 12


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_every_leads_page_reads_in_italian_and_vietnamese(app, client, world, locale):
    lead = qualified(app, world)
    job = lf.Bound(app).import_job(world.acme)
    mapping = lf.Bound(app).import_job(world.acme, "Azienda;Nome e cognome\nCantina Rossi;Anna\n", run=False)
    enable_webform(app, world)
    set_locale(app, world.admin, locale)
    client.login("admin@acme.example")
    checks = {
        "/t/acme/leads": ["Leads", "New lead", "Open pipeline"],
        "/t/acme/leads/board": ["Each column is a status; a card moves on with one click.", "Qualified"],
        "/t/acme/leads/new": ["New lead", "Add the lead", "Estimated value"],
        f"/t/acme/leads/{lead.id}": ["Qualifying answers", "Save the answers", "Log an activity", "Hand off to a rep"],
        f"/t/acme/leads/{lead.id}/handoff": ["What travels with it", "Hand off the lead"],
        f"/t/acme/leads/{lead.id}/convert": ["Convert the lead", "Draft contract"],
        "/t/acme/leads/questionnaire": ["Qualifying questionnaire", "Add a question"],
        "/t/acme/leads/imports": ["Import leads", "Read the file"],
        f"/t/acme/leads/imports/{job.id}": ["Import finished", "Refused rows"],
        f"/t/acme/leads/imports/{mapping.id}/mapping": ["Which column is which?", "Preview the import"],
        "/t/acme/leads/bonuses": ["Coordinator bonuses", "The bonus rule"],
        "/t/acme/leads/webform": ["Web-to-lead form", "Put it on your site"],
        "/t/acme/activities": ["My follow-ups"],
        "/t/acme/webform": ["Tell us about your company", "Leave this field empty"],
    }
    pages = {url: client.get(url) for url in checks}
    for url, page in pages.items():  # every page renders in the language, translated or not
        assert page.status_code == 200, url
        assert f'<html lang="{locale}"' in text_of(page), url
    for url, messages in checks.items():
        for message in messages:
            assert f.shows(pages[url], f.translated(message, locale)), (url, message)


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_the_hand_off_email_is_written_in_the_reps_language(app, client, world, locale):
    lead = qualified(app, world)
    set_locale(app, world.rep, locale)
    client.login("coord@acme.example")
    client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep.id), "note": "Hot"})
    with app.app_context(), outbox_access():
        mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.locale == locale
    assert f.translated("Open the lead", locale) in mail.body_html
    assert f.translated("Accept it or return it with a reason:", locale) in mail.body_text
    assert f"? {f.translated('Yes', locale)}" in mail.body_text  # the answers read in the rep's words too


def test_the_demo_has_leads_in_every_status_with_answers_a_hand_off_a_conversion_and_a_bonus(app):
    from web import demo

    with app.test_request_context():
        demo.seed()
        demo.seed()  # a second run adds nothing
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        with tenant_context(tenant.id):
            statuses = set(db.session.scalars(select(Lead.status)))
            count = db.session.scalar(select(func.count()).select_from(Lead))
            countries = set(db.session.scalars(select(Lead.country)))
            languages = set(db.session.scalars(select(Lead.language)))
            assert statuses == set(STATUSES)
            assert len(countries - {None}) >= 5 and {"it", "vi", "en"} <= languages
            assert db.session.scalar(select(func.count()).select_from(Answer)) > 10
            assert db.session.scalar(select(func.count()).select_from(Handoff)) >= 2
            entry = db.session.scalars(select(BonusEntry)).one()
            assert entry.currency == "EUR"
        rival = db.session.scalar(select(Tenant).where(Tenant.slug == "rival"))
        with tenant_context(rival.id):
            assert db.session.scalar(select(func.count()).select_from(Lead)) == 0
    with app.test_request_context(), tenant_context(tenant.id):
        assert db.session.scalar(select(func.count()).select_from(Lead)) == count


def test_a_rep_is_not_shown_a_colleagues_lead_as_a_duplicate(app, client, world):
    lf.Bound(app).lead(world.acme, company="Officine Rossi S.p.A.", owner=world.rep2)
    client.login("rep@acme.example")
    hint = client.get("/t/acme/leads/duplicates", query_string={"company": "Officine Rossi"}, htmx=True)
    assert "Officine Rossi" not in text_of(hint)  # a lead they could not open: no title, no link
    coordinator = client.__class__(app)
    coordinator.login("coord@acme.example")
    assert "Officine Rossi S.p.A." in text_of(coordinator.get("/t/acme/leads/duplicates",
                                                              query_string={"company": "Officine Rossi"}, htmx=True))



def test_an_empty_list_says_whether_there_is_nothing_yet_or_nothing_matching(app, client, make_client, world):
    client.sign_in(world.admin.email)
    empty = client.get("/t/acme/leads").get_data(as_text=True)
    assert f.shows(empty, "No leads yet. Add one, import a CSV, or turn on the web form.")
    for link in ('href="/t/acme/leads/new">Add your first lead', 'href="/t/acme/leads/imports">Import a CSV file',
                 'href="/t/acme/leads/webform">Turn on the web form'):
        assert link in empty
    rep = make_client()
    rep.sign_in(world.rep.email)
    # Reps add their own leads; importing and the web form are not theirs to reach.
    mine = rep.get("/t/acme/leads").get_data(as_text=True)
    assert 'href="/t/acme/leads/new">Add your first lead' in mine
    assert "Import a CSV file" not in mine and "Turn on the web form" not in mine

    lf.Bound(app).lead(world.acme, company="Zanzara Trasporti")
    page = client.get("/t/acme/leads?q=zeppelin", htmx=True)
    assert f.shows(page, "No lead matches these filters.") and not f.shows(page, "No leads yet.")
    assert '<a class="btn small" href="/t/acme/leads">Clear the filters</a>' in page.get_data(as_text=True)


def test_a_leads_phone_is_stored_in_international_form_read_in_its_own_country(app, client, world):
    client.login("coord@acme.example")
    vietnamese = client.post("/t/acme/leads", {**GOOD, "company": "Sao Mai JSC", "email": "lan@saomai.example",
                                               "website": "", "country": "VN", "phone": "090 123 4567"})
    assert vietnamese.status_code == 303
    lead = lead_row(app, world.acme, id_from(vietnamese))
    assert (lead.phone, lead.phone_key) == ("+84 901 234 567", "901234567")  # the key: the same last nine digits
    italian = client.post("/t/acme/leads", {**GOOD, "phone": "02 1234 5678"})
    assert lead_row(app, world.acme, id_from(italian)).phone == "+39 02 1234 5678"
    foreign = client.post("/t/acme/leads", {**GOOD, "company": "Kaffeehaus Wien", "email": "info@kaffeehaus.example",
                                            "website": "", "phone": "+43 1 5320000", "confirmed": "1"})
    assert lead_row(app, world.acme, id_from(foreign)).phone == "+43 1 5320000"  # its + keeps its country, not IT's


def test_a_number_typed_nationally_finds_the_same_number_stored_internationally(app, client, world):
    existing = lf.Bound(app).lead(world.acme, company="Sao Mai JSC", country="VN", phone="+84 90 123 4567")
    client.login("manager@acme.example")
    flagged = client.post("/t/acme/leads", {**GOOD, "company": "Công ty Sao Mai", "email": "", "website": "",
                                            "country": "VN", "phone": "090 123 4567"})
    assert flagged.status_code == 409
    assert f"/t/acme/leads/{existing.id}" in text_of(flagged) and f.shows(flagged, "same phone")
    hint = client.get("/t/acme/leads/duplicates", query_string={"phone": "0901234567"}, htmx=True)
    assert f"/t/acme/leads/{existing.id}" in text_of(hint)


def test_an_unreadable_lead_phone_is_refused_with_422_and_everything_kept(app, client, world):
    client.login("admin@acme.example")
    message = "This phone number cannot be read; write it with its country code, e.g. +39 02 1234 5678."
    refused = client.post("/t/acme/leads", {**GOOD, "phone": "ask for Anna", "notes": "Met at the fair"})
    assert refused.status_code == 422 and f.shows(refused, message)
    page = text_of(refused)
    assert 'value="ask for Anna"' in page and 'value="Bottega Verdi S.r.l."' in page and "Met at the fair" in page
    no_country = client.post("/t/acme/leads", {**GOOD, "country": "", "phone": "02 1234 5678"})
    assert no_country.status_code == 422 and f.shows(no_country, message)
    assert count_rows(app, world.acme, Lead) == 0
    set_locale(app, world.admin, "it")
    italian = client.post("/t/acme/leads", {**GOOD, "phone": "12"})
    assert italian.status_code == 422 and f.shows(italian, f.translated(message, "it"))


def test_the_counts_and_pipeline_read_from_rollups_agree_with_the_leads_after_every_kind_of_write(app, world,
                                                                                                monkeypatch):
    """lead_rollups is kept by triggers: whatever writes leads (the ORM, a bulk UPDATE, a user's removal setting
    owners to NULL, a delete), the list's count, the board's columns and the pipeline read from the rollups equal
    what counting the leads themselves gives."""
    from datetime import date

    from sqlalchemy import delete, update

    from tenants.models import Membership, Role, User
    from web.leads import service
    from web.leads.models import Lead

    from .. import lead_factories as lf

    with app.app_context():
        for n, (status, value, currency, owner) in enumerate([
                ("new", "1000", "EUR", world.rep), ("researching", "250.50", "USD", world.rep),
                ("qualified", None, "EUR", world.rep2), ("converted", "9000", "EUR", world.rep),
                ("handed_off", "700", "JPY", None), ("disqualified", "5", "EUR", world.rep2)]):
            lf.lead(world.acme, company=f"Rollup {n}", status=status, value=value, currency=currency, owner=owner)
        lf.lead(world.rival, company="Elsewhere", value="123", currency="EUR")
    readers = ((world.coordinator, Role.coordinator), (world.rep, Role.rep), (world.rep2, Role.rep))
    views = (service.Filters(), service.Filters(status="new"), service.Filters(owner_id=world.rep.id))

    def figures():
        with app.app_context(), tenant_context(world.acme.id):
            return [(service.count(user, role, filters),
                     service.pipeline_total(user, role, filters, "EUR", date(2026, 11, 2)).amount,
                     {status: column["count"] for status, column in service.board(user, role, filters).items()},
                     service.count_and_pipeline(user, role, filters, "EUR", date(2026, 11, 2)))
                    for user, role in readers for filters in views]

    def check(expected_total):
        rolled = figures()
        with monkeypatch.context() as m:
            # What counting every lead gives (the statements read from the rollups are built once and kept: asking
            # whether the rollups answer is what turns them off).
            m.setattr(service, "_rollups_answer", lambda filters: False)
            counted = figures()
        assert rolled == counted
        assert rolled[0][0] == expected_total  # the coordinator's whole list

    check(6)
    with app.app_context(), tenant_context(world.acme.id):
        lead = db.session.scalar(select(Lead).where(Lead.company == "Rollup 0"))
        lead.status, lead.value_amount, lead.handed_to_id = "qualified", Decimal("1500"), world.rep2.id
        db.session.commit()
        db.session.execute(update(Lead).where(Lead.value_currency == "USD").values(value_currency="EUR", owner_id=None))
        db.session.execute(delete(Lead).where(Lead.company == "Rollup 5"))
        db.session.commit()
    check(5)
    with app.app_context():
        # Rosa leaves the company: her leads stay, owned by nobody.
        db.session.execute(delete(Membership).where(Membership.user_id == world.rep2.id))
        db.session.execute(delete(User).where(User.id == world.rep2.id))
        db.session.commit()
    check(5)


def test_a_board_column_shows_its_newest_cards_and_links_to_the_rest(app, client, world):
    from web.leads.service import BOARD_CARDS

    _bulk(app, world, len(STATUSES) * (BOARD_CARDS + 2))  # every status gets BOARD_CARDS + 2 leads
    client.sign_in("coord@acme.example")
    page = client.get("/t/acme/leads/board").get_data(as_text=True)
    column = re.search(r'<section class="board-column status-new".*?</section>', page, re.S).group(0)
    cards = re.findall(r'<a class="card-title" href="[^"]+">([^<]+)</a>', column)
    newest = [f"Company {i}" for i in range(len(STATUSES) * (BOARD_CARDS + 2)) if STATUSES[i % len(STATUSES)] == "new"]
    assert cards == list(reversed(newest))[:BOARD_CARDS]  # the newest first
    assert f">{BOARD_CARDS + 2}</span>" in column  # the column's count is every lead in it
    more = re.search(r'<a class="more" href="([^"]+)">All (\d+) in the list</a>', column)
    assert more and more.group(2) == str(BOARD_CARDS + 2) and "status=new" in more.group(1)
    listed = client.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert all(name in listed for name in newest)
