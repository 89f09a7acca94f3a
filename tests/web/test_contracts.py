"""Accounts and contracts: create, sign at a locked rate, deliver with proof, bill, edit without overwriting."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tenants.db import db
from tenants.scoping import tenant_context
from web.accounts.models import Account
from web.contracts.models import BillingEntry, Contract, Deliverable

from .. import contract_factories
from .. import factories as f

SIGNED = date(2026, 10, 30)


@pytest.fixture
def cf(app):
    return contract_factories.Maker(app)  # the bundled ECB file's last day: USD 1.1172 per EUR


def _as(client, email):
    """Sign in and read English, whatever the person's own language (the messages below are English)."""
    client.login(email)
    client.post("/language", {"locale": "en", "next": "/"})


def _get(app, tenant, model, row_id):
    with app.app_context(), tenant_context(tenant.id):
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row


# --- accounts ------------------------------------------------------------------------------------------


def test_a_coordinator_creates_an_account_with_a_contact(app, client, world):
    _as(client, "coord@acme.example")
    response = client.post("/t/acme/accounts", {"name": "Harbor Lane Outfitters Inc.", "country": "US",
                                                 "language": "en", "currency": "USD", "website": "www.harborlane.com"})
    assert response.status_code == 303
    account_id = int(response.headers["Location"].rsplit("/", 1)[1])
    contact = client.post(f"/t/acme/accounts/{account_id}/contacts", {"name": "Emily Carter", "job_title": "Media buyer",
                                                                       "email": "emily@harborlane.com", "phone": "'+1 617 555 0140"})
    assert contact.status_code == 303
    page = client.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert "Emily Carter" in page and "+1 617 555 0140" in page and "'+1" not in page
    with app.app_context(), tenant_context(world.acme.id):
        account = db.session.get(Account, account_id)
        assert (account.name_key, account.domain) == ("harbor lane outfitters", "harborlane.com")


def test_bad_account_input_is_refused_with_422_and_kept(client, world):
    _as(client, "coord@acme.example")
    response = client.post("/t/acme/accounts", {"name": "Nordwind Reisen", "country": "XX", "currency": "EURO",
                                                 "website": "not a site", "notes": "met at ITB"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a country from the list" in page and "Choose a currency" in page and "Enter a web address" in page
    assert 'value="Nordwind Reisen"' in page and "met at ITB" in page
    client.post("/language", {"locale": "it", "next": "/"})
    assert f.shows(client.post("/t/acme/accounts", {"name": ""}), f.translated("This field is required.", "it"))


def test_accounts_search_as_you_type_and_page_by_keyset(app, client, world):
    with app.app_context(), tenant_context(world.acme.id):
        from web.accounts import service as accounts

        for i in range(30):
            accounts.create_account(accounts.AccountData(name=f"Alpine Tours {i:02d}"), actor_id=None)
        accounts.create_account(accounts.AccountData(name="Sakura Kitchenware K.K."), actor_id=None)
        db.session.commit()
    client.login("rep@acme.example")
    found = client.get("/t/acme/accounts", query_string={"q": "sakura"}, htmx=True)
    html = found.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="card" id="accounts-table"')
    assert "Sakura Kitchenware" in html and "Alpine" not in html
    first = client.get("/t/acme/accounts", query_string={"q": "alpine"}).get_data(as_text=True)
    assert "Alpine Tours 00" in first and "Alpine Tours 29" not in first
    next_link = re.search(r'href="(/t/acme/accounts\?[^"]*after_key[^"]*)"', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "Alpine Tours 29" in second and "Alpine Tours 00" not in second


def test_two_people_editing_an_account_do_not_overwrite_each_other(app, client, make_client, world, cf):
    account_id = cf.account(world.acme)
    _as(client, "coord@acme.example")
    other = make_client()
    other.login("manager@acme.example")
    form_a = client.get(f"/t/acme/accounts/{account_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form_a).group(1)
    assert other.post(f"/t/acme/accounts/{account_id}", {"name": "Harbor Lane (Mia)", "version": version}).status_code == 303
    late = client.post(f"/t/acme/accounts/{account_id}", {"name": "Harbor Lane (Giulia)", "notes": "my notes",
                                                           "version": version})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "changed by someone else" in page and "Harbor Lane (Giulia)" in page and "my notes" in page
    assert _get(app, world.acme, Account, account_id).name == "Harbor Lane (Mia)"


# --- contracts -------------------------------------------------------------------------------------------


def _new_contract(client, account, **overrides):
    data = {"account_id": account, "title": "US trade show package", "owner_id": "", "coordinator_id": "",
            "starts_on": "2026-11-01", "ends_on": "2027-10-31", "value_amount": "27,500.00", "value_currency": "USD",
            "notice_days": "60", "signed_on": ""}
    data.update(overrides)
    return client.post("/t/acme/contracts", data)


def test_a_contract_signed_in_usd_is_locked_in_eur_at_the_signing_rate(app, client, world, cf):
    account_id = cf.account(world.acme)
    client.login("coord@acme.example")
    client.post("/language", {"locale": "en", "next": "/"})
    response = _new_contract(client, account_id, owner_id=str(world.rep.id), coordinator_id=str(world.coordinator.id),
                             signed_on=SIGNED.isoformat())
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    contract_id = int(response.headers["Location"].rsplit("/", 1)[1])
    contract = _get(app, world.acme, Contract, contract_id)
    assert contract.status == "active" and contract.number == "C-2026-0001"
    assert contract.base_amount == Decimal("24615.11") and contract.base_currency == "EUR"  # 27,500 / 1.1172
    assert (contract.fx_rate_date, contract.fx_source) == (SIGNED, "ecb")
    page = client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True)
    assert "$27,500.00" in page and "€24,615.11" in page and "locked at signing" in page


def test_editing_a_signed_value_keeps_the_locked_rate(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    before = _get(app, world.acme, Contract, contract_id)
    client.login("manager@acme.example")
    response = client.post(f"/t/acme/contracts/{contract_id}", {
        "account_id": account_id, "title": before.title, "owner_id": str(world.rep.id), "coordinator_id": "",
        "starts_on": before.starts_on.isoformat(), "ends_on": before.ends_on.isoformat(), "value_amount": "55000",
        "value_currency": "USD", "notice_days": "30", "version": str(before.version)})
    assert response.status_code == 303
    after = _get(app, world.acme, Contract, contract_id)
    assert after.fx_rate == before.fx_rate and after.fx_rate_date == before.fx_rate_date
    assert after.base_amount == (Decimal("55000") * before.fx_rate).quantize(Decimal("0.01"))


@pytest.mark.parametrize("overrides, message", [
    ({"ends_on": "2026-10-01"}, "The end date must be after the start date."),
    ({"value_currency": "XYZ"}, "Choose a currency from the list"),
    ({"value_amount": "-10"}, "Enter an amount of 0 or more."),
    ({"value_amount": "ten"}, "Enter a number, like 1234.56."),
    ({"account_id": ""}, "Choose the account this contract is with."),
    ({"signed_on": "2099-01-01"}, "A contract cannot be signed in the future."),
])
def test_bad_contract_input_gets_422_with_the_message_and_nothing_lost(app, client, world, overrides, message, cf):
    account_id = cf.account(world.acme)
    client.login("coord@acme.example")
    client.post("/language", {"locale": "en", "next": "/"})
    response = _new_contract(client, overrides.pop("account_id", account_id), owner_id=str(world.rep.id),
                             title="Keep this title", **overrides)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Keep this title"' in page and 'value="2026-11-01"' in page
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(Contract)) == 0


def test_a_vnd_contract_needs_a_corporate_rate_to_be_signed(app, client, world, cf):
    account_id = cf.account(world.acme, currency="VND")
    _as(client, "coord@acme.example")
    refused = _new_contract(client, account_id, owner_id=str(world.rep.id), value_currency="VND",
                            value_amount="385000000", signed_on="2026-10-01")
    assert refused.status_code == 422 and "No exchange rate for VND" in refused.get_data(as_text=True)
    draft = _new_contract(client, account_id, owner_id=str(world.rep.id), value_currency="VND", value_amount="385000000")
    assert draft.status_code == 303


def test_signing_a_draft_locks_the_rate_of_that_day(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, value="11172", currency="USD")
    client.login("rep@acme.example")
    assert client.post(f"/t/acme/contracts/{contract_id}/sign", {"signed_on": "2026-10-31"}).status_code == 303
    contract = _get(app, world.acme, Contract, contract_id)
    assert contract.status == "active" and contract.base_amount == Decimal("10000.00")
    assert contract.fx_rate_date == SIGNED  # Saturday: Friday's rate, and it says so
    again = client.post(f"/t/acme/contracts/{contract_id}/sign", {"signed_on": "2026-10-31"})
    assert again.status_code == 422


def test_reps_see_and_edit_only_their_own_contracts(app, client, world, cf):
    account_id = cf.account(world.acme)
    mine = cf.contract(world.acme, account_id, world.rep, title="Marco's deal")
    theirs = cf.contract(world.acme, account_id, world.rep2, title="Rosa's deal")
    client.login("rep@acme.example")
    page = client.get("/t/acme/contracts").get_data(as_text=True)
    assert "Marco&#39;s deal" in page and "Rosa&#39;s deal" not in page
    assert client.get(f"/t/acme/contracts/{theirs}").status_code == 404
    assert client.get(f"/t/acme/contracts/{theirs}/edit").status_code == 404
    assert client.post(f"/t/acme/contracts/{theirs}/cancel").status_code == 404
    assert client.get(f"/t/acme/contracts/{mine}").status_code == 200
    for_rosa = _new_contract(client, account_id, owner_id=str(world.rep2.id))
    assert for_rosa.status_code == 422 and "Sales reps make contracts of their own" in for_rosa.get_data(as_text=True)
    client2 = client.__class__(app)
    _as(client2, "coord@acme.example")
    assert client2.get(f"/t/acme/contracts/{theirs}").status_code == 200


def test_two_people_editing_a_contract_get_a_conflict_not_an_overwrite(app, client, make_client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep)
    c = _get(app, world.acme, Contract, contract_id)
    base = {"account_id": account_id, "owner_id": str(world.rep.id), "coordinator_id": "",
            "starts_on": c.starts_on.isoformat(), "ends_on": c.ends_on.isoformat(), "value_amount": "27500",
            "value_currency": "USD", "notice_days": "30", "version": str(c.version)}
    first, second = make_client(), make_client()
    _as(first, "coord@acme.example")
    second.login("manager@acme.example")
    assert first.post(f"/t/acme/contracts/{contract_id}", {**base, "title": "Giulia's title"}).status_code == 303
    late = second.post(f"/t/acme/contracts/{contract_id}", {**base, "title": "Mia's title", "notes": "Mia's notes"})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "changed by someone else" in page and "Mia&#39;s title" in page and "Mia&#39;s notes" in page
    assert _get(app, world.acme, Contract, contract_id).title == "Giulia's title"


def test_the_history_shows_who_changed_what(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    deliverable_id = cf.deliverable(world.acme, contract_id)
    client.login("coord@acme.example")
    client.post("/language", {"locale": "en", "next": "/"})
    client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status", {"status": "delivered"})
    page = client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True)
    history = page[page.index('id="history"'):]
    assert "Deliverable changed" in history and "Giulia Coordinator" in history
    assert "planned → delivered" in history
    assert "Contract signed" in history


# --- deliverables ------------------------------------------------------------------------------------------


def test_three_deliverables_one_delivered_inline_with_a_proof_link(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    _as(client, "coord@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        from web.contracts import service

        kinds = {k.key: k.id for k in service.kinds()}
        db.session.commit()
    for kind, details in (("ad_placement", "Full page, issue 3"), ("web_banner", "Homepage banner, April"),
                          ("discount", "15% off the spring booth")):
        row = client.post(f"/t/acme/contracts/{contract_id}/deliverables", {
            "kind_id": kinds[kind], "details": details, "due_on": "2026-12-01", "responsible_id": str(world.coordinator.id),
            "status": "planned"}, htmx=True)
        assert row.status_code == 200 and details.replace("%", "%") in row.get_data(as_text=True)
    with app.app_context(), tenant_context(world.acme.id):
        deliverable_id = db.session.scalar(select(Deliverable.id).where(Deliverable.details == "Full page, issue 3"))
        version = db.session.get(Deliverable, deliverable_id).version
    row = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status",
                      {"status": "delivered", "version": version}, htmx=True)
    assert row.status_code == 200
    assert row.get_data(as_text=True).lstrip().startswith(f'<tr id="deliverable-{deliverable_id}"')
    proof = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/proof",
                        {"proof_url": "https://magazine.example.com/issue3.pdf"}, htmx=True)
    assert proof.status_code == 200 and "https://magazine.example.com/issue3.pdf" in proof.get_data(as_text=True)
    with app.app_context(), tenant_context(world.acme.id):
        d = db.session.get(Deliverable, deliverable_id)
        assert (d.status, d.delivered_on, d.proof_url) == ("delivered", date.today(), "https://magazine.example.com/issue3.pdf")


def test_a_stale_inline_status_change_is_a_conflict(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep)
    deliverable_id = cf.deliverable(world.acme, contract_id)
    _as(client, "coord@acme.example")
    client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status", {"status": "in_progress", "version": "1"})
    stale = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status",
                        {"status": "missed", "version": "1"}, htmx=True)
    assert stale.status_code == 409 and "Someone changed this deliverable" in stale.get_data(as_text=True)
    assert _get(app, world.acme, Deliverable, deliverable_id).status == "in_progress"


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_proof_file_is_checked_for_size_and_type(app, client, world, tmp_path, cf):
    app.config.update(UPLOAD_FOLDER=str(tmp_path), UPLOAD_MAX_BYTES=1024)
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep)
    deliverable_id = cf.deliverable(world.acme, contract_id)
    _as(client, "coord@acme.example")
    url = f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/proof"

    def upload(name, data, **extra):
        return client.post(url, {"proof_file": (io.BytesIO(data), name), **extra}, htmx=True,
                           content_type="multipart/form-data")

    too_big = upload("proof.pdf", PDF + b"x" * 2000, proof_url="https://keep.example.com/me")
    assert too_big.status_code == 422 and "larger than" in too_big.get_data(as_text=True)
    assert "https://keep.example.com/me" in too_big.get_data(as_text=True)  # what was typed stays
    script = upload("proof.exe", b"MZ\x90\x00")
    assert script.status_code == 422 and "Files of this type are not accepted" in script.get_data(as_text=True)
    disguised = upload("proof.pdf", b"<html><script>alert(1)</script>")
    assert disguised.status_code == 422 and "does not match its name" in disguised.get_data(as_text=True)
    assert list(tmp_path.rglob("*")) == []  # nothing refused was kept
    ok = upload("Proof of issue 3.pdf", PDF)
    assert ok.status_code == 200
    download = client.get(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/proof-file")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_week_view_puts_overdue_first(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator)
    today = date.today()
    cf.deliverable(world.acme, contract_id, details="Late banner", due_on=today - timedelta(days=10),
                   responsible=world.coordinator)
    cf.deliverable(world.acme, contract_id, details="Due page", due_on=today, responsible=world.coordinator)
    cf.deliverable(world.acme, contract_id, details="Next month", due_on=today + timedelta(days=40),
                   responsible=world.coordinator)
    cf.deliverable(world.acme, contract_id, details="Already done", due_on=today - timedelta(days=3),
                   responsible=world.coordinator, status="delivered")
    _as(client, "coord@acme.example")
    page = client.get("/t/acme/deliverables", query_string={"scope": "mine"}).get_data(as_text=True)
    assert page.index("Late banner") < page.index("Due page")
    assert "Next month" not in page and "Already done" not in page
    home = client.get("/t/acme/").get_data(as_text=True)
    assert "Late banner" in home and "Due page" in home


# --- billing ------------------------------------------------------------------------------------------------


def test_billing_entries_are_added_invoiced_and_exported_as_csv(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    _as(client, "coord@acme.example")
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


# --- renewing ----------------------------------------------------------------------------------------------


def test_one_click_renewal_drafts_the_next_term_with_the_deliverables(app, client, world, cf):
    account_id = cf.account(world.acme)
    starts = date(2026, 1, 1)
    contract_id = cf.contract(world.acme, account_id, world.rep, starts=starts, ends=date(2026, 12, 31), signed_on=SIGNED)
    cf.deliverable(world.acme, contract_id, details="Full page, issue 3", due_on=date(2026, 3, 15), status="delivered")
    _as(client, "coord@acme.example")
    response = client.post(f"/t/acme/contracts/{contract_id}/renew")
    assert response.status_code == 303
    renewal_id = int(response.headers["Location"].rsplit("/", 1)[1])
    renewal = _get(app, world.acme, Contract, renewal_id)
    assert (renewal.status, renewal.renewal_of_id, renewal.starts_on, renewal.ends_on) == (
        "draft", contract_id, date(2027, 1, 1), date(2027, 12, 31))
    with app.app_context(), tenant_context(world.acme.id):
        copied = db.session.scalars(select(Deliverable).where(Deliverable.contract_id == renewal_id)).all()
        assert [(d.details, d.due_on, d.status) for d in copied] == [("Full page, issue 3", date(2027, 3, 15), "planned")]
    assert client.post(f"/t/acme/contracts/{contract_id}/renew").headers["Location"].endswith(f"/{renewal_id}")
    client.post(f"/t/acme/contracts/{renewal_id}/sign", {"signed_on": SIGNED.isoformat()})
    assert _get(app, world.acme, Contract, contract_id).status == "renewed"


# --- admin settings ------------------------------------------------------------------------------------------


def test_admins_set_the_numbering_and_the_kinds(app, client, world, cf):
    client.login("admin@acme.example")
    bad = client.post("/t/acme/contracts/settings", {"number_prefix": "ACME-", "number_digits": "0",
                                                      "reminder_days": "90,soon"})
    assert bad.status_code == 422 and 'value="ACME-"' in bad.get_data(as_text=True)
    assert client.post("/t/acme/contracts/settings", {"number_prefix": "ACME/{year}/", "number_digits": "3",
                                                       "reminder_days": "60, 14"}).status_code == 303
    assert client.post("/t/acme/contracts/settings/kinds", {"name": "Newsletter mention"}).status_code == 303
    contract_id = cf.contract(world.acme, cf.account(world.acme), world.rep, starts=date(2026, 5, 1))
    assert _get(app, world.acme, Contract, contract_id).number == "ACME/2026/001"
    page = client.get("/t/acme/contracts/settings").get_data(as_text=True)
    assert "Newsletter mention" in page
    rep = client.__class__(app)
    rep.login("rep@acme.example")
    assert rep.get("/t/acme/contracts/settings").status_code == 403


# --- localisation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["it", "vi"])
def test_contract_pages_in_italian_and_vietnamese(app, client, world, language, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator, signed_on=SIGNED)
    cf.deliverable(world.acme, contract_id, responsible=world.coordinator)
    client.login("manager@acme.example")
    client.post("/language", {"locale": language, "next": "/"})
    checks = {
        "/t/acme/contracts": ["Contracts", "Notice deadline"],
        f"/t/acme/contracts/{contract_id}": ["Deliverables", "Add a deliverable", "Ad placement", "Planned", "History"],
        "/t/acme/accounts": ["Accounts", "New account"],
        f"/t/acme/accounts/{account_id}": ["Contacts", "Add a contact"],
        "/t/acme/deliverables": ["Deliverables of the week", "Overdue"],
        "/t/acme/renewals": ["Renewals", "Add to my calendar"],
        "/t/acme/billing": ["Billing", "Export CSV"],
        "/t/acme/contracts/new": ["New contract", "Notice period (days)"],
        "/t/acme/renewals/calendar-feed": ["Your calendar feed"],
    }
    for url, messages in checks.items():
        page = client.get(url)
        assert page.status_code == 200, url
        for message in messages:
            assert f.shows(page, f.translated(message, language)), (url, message)


def test_an_account_shows_its_activities_and_takes_a_follow_up(app, client, world, cf):
    account_id = cf.account(world.acme)
    _as(client, "coord@acme.example")
    page = client.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert 'id="activities"' in page
    form_action = re.search(r'action="(/t/acme/activities/accounts/\d+)"', page).group(1)
    added = client.post(form_action, {"kind": "call", "subject": "Call Emily about the renewal",
                                      "due_on": date.today().isoformat(), "assignee_id": str(world.coordinator.id)})
    assert added.status_code in (200, 303)
    assert "Call Emily about the renewal" in client.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert "Call Emily about the renewal" in client.get("/t/acme/").get_data(as_text=True)  # today's follow-up


def test_a_distributor_sees_none_of_the_tenants_customers_or_deals(app, client, world, cf):
    """Partners get their own portal; inside the staff areas they find nothing, not even a 403 to probe."""
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep)
    with app.app_context():
        f.person(world.acme, "partner@distri.example", "distributor")
    client.login("partner@distri.example")
    for url in ("/t/acme/contracts", f"/t/acme/contracts/{contract_id}", "/t/acme/accounts",
                f"/t/acme/accounts/{account_id}", "/t/acme/deliverables", "/t/acme/renewals", "/t/acme/billing",
                "/t/acme/leads", "/t/acme/leads/board"):
        assert client.get(url).status_code == 404, url
