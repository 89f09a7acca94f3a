"""Accounts: created with a contact, bad input refused and kept, search as you type, no lost edits."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tenants.db import db
from tenants.scoping import tenant_context
from web.accounts.models import Account, Contact

from .. import factories as f
from .. import lead_factories as lf
from .contract_helpers import get_row


def test_a_coordinator_creates_an_account_with_a_contact(app, client, world):
    client.sign_in("coord@acme.example")
    response = client.post("/t/acme/accounts", {"name": "Harbor Lane Outfitters Inc.", "country": "US",
                                                 "language": "en", "currency": "USD", "website": "www.harborlane.com"})
    assert response.status_code == 303
    account_id = int(response.headers["Location"].rsplit("/", 1)[1])
    contact = client.post(f"/t/acme/accounts/{account_id}/contacts", {"name": "Emily Carter", "job_title": "Media buyer",
                                                                       "email": "emily@harborlane.com", "phone": "'+1 617 555 0140"})
    assert contact.status_code == 303
    page = client.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert "Emily Carter" in page and "+1 617-555-0140" in page and "'+1" not in page  # international form
    with app.app_context(), tenant_context(world.acme.id):
        account = db.session.get(Account, account_id)
        assert (account.name_key, account.domain) == ("harbor lane outfitters", "harborlane.com")


def test_bad_account_input_is_refused_with_422_and_kept(client, world):
    client.sign_in("coord@acme.example")
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
    next_link = re.search(r'href="(/t/acme/accounts\?[^"]*after=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "Alpine Tours 29" in second and "Alpine Tours 00" not in second


def test_two_people_editing_an_account_do_not_overwrite_each_other(app, client, make_client, world, cf):
    account_id = cf.account(world.acme)
    client.sign_in("coord@acme.example")
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
    assert get_row(app, world.acme, Account, account_id).name == "Harbor Lane (Mia)"


@pytest.mark.parametrize("website", ["javascript:alert(1)", "javascript://example.com/%0aalert(1)", "data:text/html,hi"])
def test_a_website_that_would_run_code_is_refused(client, world, website):
    client.sign_in("coord@acme.example")
    response = client.post("/t/acme/accounts", {"name": "Script Kiddies Ltd", "website": website})
    assert response.status_code == 422 and f.shows(response, "Enter a web address, like example.com.")
    assert 'value="Script Kiddies Ltd"' in response.get_data(as_text=True)


def test_an_empty_list_says_whether_there_is_nothing_yet_or_nothing_matching(client, world, cf):
    client.sign_in("coord@acme.example")
    empty = client.get("/t/acme/accounts").get_data(as_text=True)
    assert f.shows(empty, "No accounts yet.") and not f.shows(empty, "Clear the filters")
    assert '<a class="btn small" href="/t/acme/accounts/new">Add your first account</a>' in empty
    cf.account(world.acme)
    for query, message in (("?q=zeppelin", "No account matches “zeppelin”."),
                           ("?country=JP", "No account matches these filters.")):
        page = client.get("/t/acme/accounts" + query, htmx=True)
        assert f.shows(page, message) and not f.shows(page, "No accounts yet.")
        assert '<a class="btn small" href="/t/acme/accounts">Clear the filters</a>' in page.get_data(as_text=True)


def _contact_phone(app, world, name):
    with app.app_context(), tenant_context(world.acme.id):
        return db.session.scalar(select(Contact.phone).where(Contact.name == name))


def test_a_contacts_phone_is_stored_in_international_form_read_in_the_accounts_country(app, client, world):
    account = lf.Bound(app).account(world.acme, name="Bottega Verdi S.r.l.", country="IT")
    client.sign_in("coord@acme.example")
    url = f"/t/acme/accounts/{account.id}/contacts"
    assert client.post(url, {"name": "Anna Neri", "phone": "02 1234 5678"}).status_code == 303
    assert _contact_phone(app, world, "Anna Neri") == "+39 02 1234 5678"
    assert client.post(url, {"name": "Hanna Berg", "phone": "+49 30 1234567"}).status_code == 303
    assert _contact_phone(app, world, "Hanna Berg") == "+49 30 1234567"  # a + number keeps its own country
    with app.app_context(), tenant_context(world.acme.id):
        anna_id = db.session.scalar(select(Contact.id).where(Contact.name == "Anna Neri"))
    edited = client.post(f"{url}/{anna_id}", {"name": "Anna Neri", "phone": "'06 555 0101"})
    assert edited.status_code == 303 and _contact_phone(app, world, "Anna Neri") == "+39 06 555 0101"


def test_an_unreadable_phone_is_refused_with_422_and_everything_kept_in_italian_too(app, client, world):
    account = lf.Bound(app).account(world.acme, name="Bottega Verdi S.r.l.", country="IT")
    client.sign_in("coord@acme.example")
    url = f"/t/acme/accounts/{account.id}/contacts"
    message = "This phone number cannot be read; write it with its country code, e.g. +39 02 1234 5678."
    for phone in ("call reception", "12", "+999 1234 5678"):
        refused = client.post(url, {"name": "Anna Neri", "job_title": "Buyer", "phone": phone})
        assert refused.status_code == 422 and f.shows(refused, message), phone
        page = refused.get_data(as_text=True)
        assert 'value="Anna Neri"' in page and 'value="Buyer"' in page and f'value="{phone}"' in page
    assert _contact_phone(app, world, "Anna Neri") is None
    no_country = lf.Bound(app).account(world.acme, name="Nowhere Ltd")
    national = client.post(f"/t/acme/accounts/{no_country.id}/contacts", {"name": "Nemo", "phone": "02 1234 5678"})
    assert national.status_code == 422  # no + and no country to read it in
    client.post("/language", {"locale": "it", "next": "/"})
    italian = client.post(url, {"name": "Anna Neri", "phone": "chiamare il centralino"})
    assert italian.status_code == 422 and f.shows(italian, f.translated(message, "it"))
    assert 'value="chiamare il centralino"' in italian.get_data(as_text=True)


def test_past_the_cap_the_accounts_head_says_more_than_and_counts_exactly_below_it(app, client, world, cf,
                                                                                  monkeypatch):
    """The head counts up to a cap (1,000 in production, 5 here): the page costs the same at 100,000 accounts."""
    from web.accounts import service

    monkeypatch.setattr(service, "COUNT_CAP", 5)
    for n in range(5):
        cf.account(world.acme, name=f"Company {n}")
    cf.account(world.rival, name="Rival's own")  # another tenant's accounts never count
    client.sign_in("coord@acme.example")
    page = client.get("/t/acme/accounts")
    assert f.shows(page, "5 customer companies") and not f.shows(page, "More than")
    cf.account(world.acme, name="Company 5")
    page = client.get("/t/acme/accounts")
    assert f.shows(page, "More than 5 customer companies") and not f.shows(page, "6 customer companies")


def test_the_lists_first_page_built_once_answers_each_country_anew(app, client, world, cf):
    """The first page of the accounts list runs a statement built once and kept (accounts.service.search) with each
    request's country: Italy after Germany after Italy."""
    cf.account(world.acme, name="Bottega Verdi S.r.l.", country="IT", currency="EUR")
    cf.account(world.acme, name="Nordwind Reisen GmbH", country="DE", currency="EUR")
    client.sign_in("coord@acme.example")
    for _ in range(2):
        for country, shown, hidden in (("IT", "Bottega Verdi", "Nordwind"), ("DE", "Nordwind", "Bottega Verdi")):
            page = client.get("/t/acme/accounts", query_string={"country": country}).get_data(as_text=True)
            assert shown in page and hidden not in page
        page = client.get("/t/acme/accounts").get_data(as_text=True)
        assert "Bottega Verdi" in page and "Nordwind" in page


def test_the_contact_form_is_asked_for_when_opened_and_works_without_script(app, client, world):
    """An account's page leaves the contact form out (issue 15): opening "Add a contact" fetches it in place;
    without JavaScript the link opens the account's page with the form open; a contact added in place comes back
    in the list with the form closed again, and one refused comes back with the form open and what was typed."""
    account = lf.Bound(app).account(world.acme, name="Bottega Verdi S.r.l.", country="IT")
    client.sign_in("coord@acme.example")
    url = f"/t/acme/accounts/{account.id}/contacts/new"
    page = client.get(f"/t/acme/accounts/{account.id}").get_data(as_text=True)
    assert f'hx-get="{url}"' in page and 'name="job_title"' not in page
    part = client.get(url, htmx=True)
    html = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in html
    assert 'name="job_title"' in html and 'name="csrf_token"' in html and 'name="language"' in html
    full = client.get(url).get_data(as_text=True)
    assert "<html" in full and '<details class="add-form" open' in full and 'name="job_title"' in full
    added = client.post(f"/t/acme/accounts/{account.id}/contacts", {"name": "Anna Neri", "job_title": "Buyer"},
                        htmx=True)
    listed = added.get_data(as_text=True)
    assert added.status_code == 200 and "Anna Neri" in listed and f'hx-get="{url}"' in listed
    assert 'name="job_title"' not in listed
    refused = client.post(f"/t/acme/accounts/{account.id}/contacts", {"name": "", "job_title": "Kept title"},
                          htmx=True)
    kept = refused.get_data(as_text=True)
    assert refused.status_code == 422 and '<details class="add-form" open' in kept and 'value="Kept title"' in kept


def test_an_accounts_contracts_come_a_page_at_a_time_latest_end_first(app, client, make_client, world, cf):
    """An account's page lists its contracts twenty at a time, the latest end first, with a link to older ones
    (it once showed the first hundred and said nothing of the rest); a rep sees their own only."""
    from datetime import date, timedelta

    account_id = cf.account(world.acme, name="Long Standing Customer")
    today = date.today()
    for n in range(45):
        owner = world.rep2 if n % 9 == 0 else world.rep
        cf.contract(world.acme, account_id, owner, title=f"Term {n:02d}", starts=today - timedelta(days=400 + n),
                    ends=today + timedelta(days=1000 - n * 10))  # Term 00 ends last
    client.sign_in("coord@acme.example")

    def terms(page):
        return re.findall(r"Term (\d\d)", page)

    first = client.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert terms(first) == [f"{n:02d}" for n in range(20)]
    older = re.search(r'href="([^"]*contracts_after=[^"#]+)#account-contracts"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert terms(second) == [f"{n:02d}" for n in range(20, 40)] and "Long Standing Customer" in second
    third = client.get(re.search(r'href="([^"]*contracts_after=[^"#]+)#', second).group(1).replace("&amp;", "&"))
    assert terms(third.get_data(as_text=True)) == [f"{n:02d}" for n in range(40, 45)]
    assert not re.search(r"contracts_after=[^\"#]+#account-contracts", third.get_data(as_text=True))  # the last page
    assert client.get(f"/t/acme/accounts/{account_id}?contracts_after=not-a-cursor").status_code == 400
    rep = make_client()
    rep.sign_in("rep2@acme.example")
    own = rep.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert terms(own) == ["00", "09", "18", "27", "36"]
