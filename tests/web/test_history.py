"""History and the audit trail in the reader's words (issue 9): labels, enum values, people by name, money,
dates and rates for people, in every shipped language, with a constant number of queries."""
from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tenants import audit
from tenants.db import db
from tenants.scoping import tenant_context

from .. import factories as f


def _visible(page: str) -> str:
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def _events(app, world, cf, copies=1):
    account_id = cf.account(world.acme, name="Bottega Verdi S.r.l.")
    with app.app_context(), tenant_context(world.acme.id):
        for _ in range(copies):
            audit.record("team.role_changed", actor_id=world.owner.id, subject_type="user", subject_id=world.rep.id,
                         details={"email": "rep@acme.example", "role": ["rep", "manager"]})
            audit.record("settings.updated", actor_id=world.owner.id, subject_type="tenant", subject_id=world.acme.id,
                         details={"base_currency": ["EUR", "USD"], "fx_use_live": [False, True]})
            audit.record("lead.status_changed", actor_id=world.coordinator.id, subject_type="lead", subject_id=1,
                         details={"status": ["new", "qualified"]})
            audit.record("contract.updated", actor_id=world.manager.id, subject_type="contract", subject_id=1,
                         details={"owner_id": [world.rep.id, world.rep2.id], "account_id": [None, account_id],
                                  "value": ["24500.0000 USD", "25000.0000 USD"], "ends_on": ["2027-10-31", "2027-12-31"]})
            audit.record("contract.signed", actor_id=world.manager.id, subject_type="contract", subject_id=1,
                         details={"signed_on": "2026-10-30", "base": "21929.8200 EUR",
                                  "rate": "0.89509488005728607232", "rate_date": "2026-10-30", "source": "ecb"})
            audit.record("deliverable.updated", actor_id=world.coordinator.id, subject_type="contract", subject_id=1,
                         details={"deliverable": 7, "status": ["planned", "delivered"]})
        db.session.commit()


def test_the_audit_trail_reads_in_vietnamese_with_names_labels_and_formats(app, client, world, cf):
    _events(app, world, cf)
    client.login("owner@acme.example")
    client.post("/language", {"locale": "vi", "next": "/"})
    page = _visible(client.get("/t/acme/audit").get_data(as_text=True))
    for shown in (f.translated("Rep", "vi") + " → " + f.translated("Manager", "vi"),
                  "→ Bottega Verdi S.r.l.", f"{world.rep.name} → {world.rep2.name}",
                  "0,895095", "ECB", f.translated("yes", "vi"),  # the ECB is "ECB" in Vietnamese too
                  f.translated("Qualified", "vi"), f.translated("Delivered", "vi")):
        assert shown in page, shown
    assert "24.500,00" in page and "31 thg 12, 2027" in page
    for internal in ("None", "ecb", "planned", "qualified", "0.8950948", "24500.0000", "2027-12-31", "True",
                     "deliverable: 7", "base_currency", "fx_use_live", "account_id", "owner_id"):
        assert internal not in page, internal


def test_the_audit_page_costs_the_same_queries_for_6_or_60_events(app, client, world, cf, queries):
    _events(app, world, cf, copies=1)
    client.login("owner@acme.example")
    client.get("/t/acme/audit")
    with queries() as few:
        assert client.get("/t/acme/audit").status_code == 200
    _events(app, world, cf, copies=9)
    with queries() as many:
        page = client.get("/t/acme/audit")
    assert page.status_code == 200 and page.get_data(as_text=True).count("Bottega Verdi S.r.l.") >= 8  # 50 a page
    assert len(many) == len(few), (len(few), len(many))


def test_an_in_place_action_confirms_itself_and_updates_the_history_with_it(app, client, world, cf):
    """Adding a billing entry in place said nothing, and the history showed it only after a reload (issue 9)."""
    from web.billing.models import BillingEntry

    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=date(2026, 10, 30))
    client.login("coord@acme.example")
    client.post("/language", {"locale": "it", "next": "/"})
    added = client.post(f"/t/acme/contracts/{contract_id}/billing", {
        "amount": "13.750,00", "currency": "USD", "due_on": "2026-12-15", "note": "prima metà"}, htmx=True)
    assert added.status_code == 200
    page = added.get_data(as_text=True)
    live = re.search(r'<template><div hx-swap-oob="innerHTML:#live">(.*?)</div></template>', page)
    assert live and html.unescape(live.group(1)) == "13.750,00\xa0USD da fatturare entro il 15 dic 2026 è aggiunto."
    history = re.search(r'<template><section class="card" id="history"[^>]*hx-swap-oob="true">(.*?)</section>',
                        page, re.S)
    assert history and "Voce di fatturazione aggiunta" in _visible(history.group(1))
    with app.app_context(), tenant_context(world.acme.id):
        entry = db.session.scalar(select(BillingEntry))
        assert entry.amount == Decimal("13750.00")
    refused = client.post(f"/t/acme/contracts/{contract_id}/billing", {"amount": "0", "currency": "USD",
                                                                       "due_on": "2026-12-15"}, htmx=True)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "#live" not in body and 'id="history"' not in body
    full = client.post(f"/t/acme/contracts/{contract_id}/billing/{entry.id}/invoice", {"invoice_ref": "INV-88"})
    assert full.status_code == 303  # without htmx: the page reloads with the same confirmation as a flash
    assert "Segnata come fatturata: INV-88." in client.get(full.headers["Location"]).get_data(as_text=True)


def test_a_records_history_kept_as_html_shows_names_as_they_are_now_and_in_each_readers_language(app, client, world,
                                                                                                  cf):
    """A contract's history is kept as HTML per event (web.row_cache): renaming the person who acted, or the account an
    event names, shows at once; a reader in Italian gets Italian words, not the HTML kept for the English one."""
    from tenants.models import User
    from web.accounts.models import Account

    account_id = cf.account(world.acme, name="Bottega Verdi S.r.l.")
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=date(2026, 10, 30))
    with app.app_context(), tenant_context(world.acme.id):
        audit.record("contract.updated", actor_id=world.manager.id, subject_type="contract", subject_id=contract_id,
                     details={"account_id": [None, account_id]})
        audit.record("deliverable.updated", actor_id=world.coordinator.id, subject_type="contract",
                     subject_id=contract_id, details={"status": ["planned", "delivered"]})
        db.session.commit()
    client.login("coord@acme.example")
    client.post("/language", {"locale": "en", "next": "/"})
    first = _visible(client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True))
    assert world.manager.name in first and "→ Bottega Verdi S.r.l." in first and "Planned → Delivered" in first
    with app.app_context(), tenant_context(world.acme.id):
        db.session.get(User, world.manager.id).name = "Ilaria Conti"
        db.session.get(Account, account_id).name = "Bottega Rossi S.p.A."
        db.session.commit()
    again = _visible(client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True))
    assert "Ilaria Conti" in again and "→ Bottega Rossi S.p.A." in again and "Bottega Verdi" not in again
    client.post("/language", {"locale": "it", "next": "/"})
    italian = _visible(client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True))
    assert f"{f.translated('Planned', 'it')} → {f.translated('Delivered', 'it')}" in italian
    assert "Ilaria Conti" in italian and "Planned" not in italian
