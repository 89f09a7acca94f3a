"""Billing: entries added, invoiced, and exported as CSV that no spreadsheet runs as a formula."""
from __future__ import annotations

from sqlalchemy import select

from tenants.db import db
from tenants.scoping import tenant_context
from web.billing.models import BillingEntry

from .. import factories as f
from .contract_helpers import SIGNED


def test_billing_entries_are_added_invoiced_and_exported_as_csv(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    client.sign_in("coord@acme.example")
    assert client.post(f"/t/acme/contracts/{contract_id}/billing", {"amount": "13750", "currency": "USD",
                                                                     "due_on": "2026-12-15", "note": "first half"}).status_code == 303
    assert client.post(f"/t/acme/contracts/{contract_id}/billing", {"amount": "13750", "currency": "USD",
                                                                     "due_on": "2027-06-15"}).status_code == 303
    bad = client.post(f"/t/acme/contracts/{contract_id}/billing", {"amount": "0", "currency": "USD", "due_on": "x",
                                                                    "note": "keep"}, htmx=True)
    assert bad.status_code == 422 and "Enter an amount above 0." in bad.get_data(as_text=True)
    with app.app_context(), tenant_context(world.acme.id):
        first = db.session.scalar(select(BillingEntry.id).where(BillingEntry.note == "first half"))
    assert client.post(f"/t/acme/contracts/{contract_id}/billing/{first}/invoice", {"invoice_ref": "INV-2026-88"}).status_code == 303
    csv_response = client.get("/t/acme/billing/export.csv", query_string={"invoiced": "yes"})
    assert csv_response.mimetype == "text/csv"
    text = csv_response.get_data(as_text=True).lstrip("\ufeff")
    lines = text.strip().splitlines()
    assert lines[0] == "contract_number,account,due_on,amount,currency,invoiced,invoice_ref,invoiced_on,note,entry_id"
    assert len(lines) == 2 and "INV-2026-88" in lines[1] and ",13750.0000,USD,yes," in lines[1]
    everything = client.get("/t/acme/billing/export.csv").get_data(as_text=True)
    assert len(everything.strip().splitlines()) == 3


def test_an_empty_list_says_whether_there_is_nothing_yet_or_nothing_matching(app, client, world, cf):
    client.sign_in(world.coordinator.email)
    empty = client.get("/t/acme/billing").get_data(as_text=True)
    assert f.shows(empty, "Nothing to invoice yet. Billing entries are added on a contract's page, under Billing.")
    assert '<a class="btn small" href="/t/acme/contracts">Open the contracts</a>' in empty
    contract_id = cf.contract(world.acme, cf.account(world.acme), world.rep, signed_on=SIGNED)
    assert client.post(f"/t/acme/contracts/{contract_id}/billing", {"amount": "1000", "currency": "USD",
                                                                    "due_on": "2026-12-01", "note": ""}).status_code == 303
    page = client.get("/t/acme/billing?due_from=&due_to=&invoiced=yes", htmx=True)
    assert f.shows(page, "No billing entry matches these filters.") and not f.shows(page, "Nothing to invoice yet.")
    assert '<a class="btn small" href="/t/acme/billing">Clear the filters</a>' in page.get_data(as_text=True)
    assert not f.shows(client.get("/t/acme/billing?due_from=&due_to=&invoiced="), "matches these filters")


def test_the_lists_statement_built_once_answers_each_reader_and_filter_anew(app, make_client, world, cf):
    """The list's first page runs a statement built once per shape of filters (billing.service.BOUND) with each
    request's values: one rep after another sees their own contracts' entries; invoiced "yes" after "no"."""
    account_id = cf.account(world.acme)
    marcos = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    rosas = cf.contract(world.acme, account_id, world.rep2, signed_on=SIGNED)
    giulia = make_client()
    giulia.sign_in("coord@acme.example")
    for contract_id, note in ((marcos, "Marco's half"), (rosas, "Rosa's half")):
        assert giulia.post(f"/t/acme/contracts/{contract_id}/billing", {
            "amount": "1000", "currency": "USD", "due_on": "2026-12-15", "note": note}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        rosas_entry = db.session.scalar(select(BillingEntry.id).where(BillingEntry.note == "Rosa's half"))
    assert giulia.post(f"/t/acme/contracts/{rosas}/billing/{rosas_entry}/invoice",
                       {"invoice_ref": "INV-9"}).status_code == 303
    marco, rosa = make_client(), make_client()
    marco.sign_in("rep@acme.example")
    rosa.sign_in("rep2@acme.example")
    for _ in range(2):
        for reader, own, other in ((marco, "Marco's half", "Rosa's half"), (rosa, "Rosa's half", "Marco's half")):
            page = reader.get("/t/acme/billing")
            assert f.shows(page, own) and not f.shows(page, other)
        for invoiced, shown, hidden in (("yes", "Rosa's half", "Marco's half"), ("no", "Marco's half", "Rosa's half")):
            page = giulia.get("/t/acme/billing", query_string={"invoiced": invoiced})
            assert f.shows(page, shown) and not f.shows(page, hidden)
