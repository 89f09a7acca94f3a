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
