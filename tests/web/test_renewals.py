"""Renewals: the calendar, reminders sent by tick (once), statuses, automatic renewal, the iCal feed, and
pages that cost the same number of queries with 10 contracts or 5,000."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tenants.db import db
from tenants.models import User
from tenants.scoping import tenant_context
from web import tick
from web.contracts.models import Contract
from web.deliverables.models import Deliverable
from web.renewals import reminders as jobs

from .. import factories as f
from .contract_helpers import SIGNED, get_row


def test_a_contract_shows_in_its_quarter_with_its_value_in_the_readers_currency(app, client, world, cf):
    account_id = cf.account(world.acme)
    today = date.today()
    q_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    ends = q_start + timedelta(days=200)  # two quarters on
    contract_id = cf.contract(world.acme, account_id, world.rep, value="27500", currency="USD",
                              starts=ends - timedelta(days=364), ends=ends, signed_on=date(2026, 10, 30), notice_days=60)
    with app.app_context():
        db.session.get(User, world.manager.id).display_currency = "JPY"
        db.session.commit()
    client.sign_in("manager@acme.example")
    page = client.get("/t/acme/renewals").get_data(as_text=True)
    quarter = f"Q{(ends.month - 1) // 3 + 1} {ends.year}"
    section = page[page.index(f'<h3>{quarter}</h3>'):]
    section = section[:section.index("</section>")]
    with app.app_context(), tenant_context(world.acme.id):
        contract = db.session.get(Contract, contract_id)
        number, base = contract.number, contract.base_amount
    assert number in section
    yen = round(base * Decimal("175.68"))  # the locked EUR value, in yen at today's (last published) rate
    assert f"¥{yen:,}" in section
    assert "notice by" in section
    assert 'class="notice' in page and 'class="end"' in page  # the notice deadline and end drawn in the SVG


def test_the_calendar_filters_by_rep_and_country_and_reps_see_their_own(app, client, world, cf):
    us = cf.account(world.acme, name="Harbor Lane", country="US")
    it = cf.account(world.acme, name="Rossi Arredamenti", country="IT", currency="EUR")
    soon = date.today() + timedelta(days=60)
    a = cf.contract(world.acme, us, world.rep, ends=soon, starts=soon - timedelta(days=300), signed_on=date(2026, 10, 1))
    b = cf.contract(world.acme, it, world.rep2, ends=soon, starts=soon - timedelta(days=300), currency="EUR",
                    signed_on=date(2026, 10, 1))
    with app.app_context(), tenant_context(world.acme.id):
        na, nb = db.session.get(Contract, a).number, db.session.get(Contract, b).number
    client.sign_in("manager@acme.example")
    assert na in client.get("/t/acme/renewals").get_data(as_text=True)
    by_country = client.get("/t/acme/renewals", query_string={"country": "IT"}, htmx=True).get_data(as_text=True)
    assert nb in by_country and na not in by_country
    by_rep = client.get("/t/acme/renewals", query_string={"rep": world.rep.id}, htmx=True).get_data(as_text=True)
    assert na in by_rep and nb not in by_rep
    rep = client.__class__(app)
    rep.sign_in("rep2@acme.example")
    own = rep.get("/t/acme/renewals", query_string={"rep": world.rep.id}).get_data(as_text=True)
    assert nb in own and na not in own


# --- tick -------------------------------------------------------------------------------------------------


def test_tick_emails_the_rep_and_coordinator_in_their_language_once(app, world, smtp, cf):
    account_id = cf.account(world.acme)
    today = date.today()
    ends = today + timedelta(days=60 + 20)  # notice deadline in 20 days: past the 30-day threshold
    cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator, starts=ends - timedelta(days=364),
                ends=ends, signed_on=date(2026, 10, 30), notice_days=60)
    tick.run(app)
    tick.run(app)
    to_rep, to_coordinator = smtp.to("rep@acme.example"), smtp.to("coord@acme.example")
    assert len(to_rep) == 1 and len(to_coordinator) == 1
    assert to_coordinator[0]["Content-Language"] == "it" and to_rep[0]["Content-Language"] == "en"
    assert "notice deadline in 20 days" in to_rep[0]["Subject"]
    italian = f.translated("%(number)s: notice deadline in %(days)d days (%(account)s)", "it", number="X", days=20,
                           account="Y").split("X")[1].split("20")[0]
    assert italian in to_coordinator[0]["Subject"]
    body = to_rep[0].get_body(("plain",)).get_content()
    assert re.search(r"http://localhost/t/acme/contracts/\d+", body)


def test_a_later_threshold_sends_again_and_the_statuses_follow_the_calendar(app, world, smtp, cf):
    account_id = cf.account(world.acme)
    today = date.today()
    ends = today + timedelta(days=30 + 50)  # notice deadline in 50 days: within 90, not yet 30
    contract_id = cf.contract(world.acme, account_id, world.rep, starts=ends - timedelta(days=364), ends=ends,
                              signed_on=date(2026, 10, 30), notice_days=30)
    from web.mail import deliver_due

    with app.test_request_context():
        jobs.run(app, today)
    assert len(smtp.messages) == 0  # reminders go out through the outbox: tick delivers them
    with app.test_request_context():
        deliver_due()
    assert len(smtp.to("rep@acme.example")) == 1
    with app.test_request_context():
        jobs.run(app, today + timedelta(days=25))  # 25 days to the deadline: the 30-day threshold
        jobs.run(app, today + timedelta(days=25))
        deliver_due()
    assert len(smtp.to("rep@acme.example")) == 2
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.get(Contract, contract_id).status == "expiring"
    with app.test_request_context():
        jobs.run(app, ends + timedelta(days=1))
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.get(Contract, contract_id).status == "expired"


def test_an_automatic_renewal_renews_itself_when_the_term_ends(app, world, cf):
    account_id = cf.account(world.acme)
    ends = date(2026, 9, 30)
    contract_id = cf.contract(world.acme, account_id, world.rep, starts=date(2025, 10, 1), ends=ends,
                              signed_on=date(2025, 9, 15), auto_renew=True)
    with app.test_request_context():
        jobs.run(app, ends + timedelta(days=1))
        jobs.run(app, ends + timedelta(days=1))
    with app.app_context(), tenant_context(world.acme.id):
        old = db.session.get(Contract, contract_id)
        renewals = db.session.scalars(select(Contract).where(Contract.renewal_of_id == contract_id)).all()
        assert old.status == "renewed" and len(renewals) == 1
        assert (renewals[0].status, renewals[0].starts_on, renewals[0].signed_on) == ("active", date(2026, 10, 1),
                                                                                     date(2026, 10, 1))
        assert renewals[0].base_amount is not None


# --- the iCal feed ------------------------------------------------------------------------------------------


def test_the_calendar_feed_parses_and_holds_exactly_the_persons_items(app, client, make_client, world, cf):
    account_id = cf.account(world.acme, name="Harbor Lane")
    mine = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator, signed_on=date(2026, 10, 30),
                       ends=date(2027, 3, 31), starts=date(2026, 4, 1), notice_days=60)
    draft = cf.contract(world.acme, account_id, world.rep, ends=date(2027, 6, 30), starts=date(2026, 7, 1))
    not_mine = cf.contract(world.acme, account_id, world.rep2, ends=date(2027, 5, 31), starts=date(2026, 6, 1),
                           signed_on=date(2026, 5, 1))
    task = cf.deliverable(world.acme, not_mine, details="Booth 12", due_on=date(2027, 2, 1), responsible=world.rep)
    cf.deliverable(world.acme, mine, details="Someone else's task", due_on=date(2027, 1, 1), responsible=world.rep2)
    client.sign_in("rep@acme.example")
    page = client.post("/t/acme/renewals/calendar-feed").get_data(as_text=True)
    url = re.search(r'value="(http://localhost/t/acme/feeds/[^"]+\.ics)"', page).group(1)
    anonymous = make_client()
    response = anonymous.get(url.replace("http://localhost", ""))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.data)
    events = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    assert set(events) == {f"contract-{mine}-end", f"contract-{mine}-notice", f"contract-{draft}-end",
                           f"deliverable-{task}-due"}
    assert events[f"contract-{mine}-end"].decoded("DTSTART") == date(2027, 3, 31)
    assert events[f"contract-{mine}-notice"].decoded("DTSTART") == date(2027, 1, 30)
    assert "Booth 12" in str(events[f"deliverable-{task}-due"]["SUMMARY"])
    assert str(events[f"contract-{mine}-end"]["URL"]).startswith("http://localhost/t/acme/contracts/")


def test_resetting_the_feed_kills_the_old_address_and_other_tenants_get_nothing(app, client, make_client, world, cf):
    client.sign_in("rep@acme.example")
    first = re.search(r'/t/acme/feeds/[^"]+\.ics', client.post("/t/acme/renewals/calendar-feed").get_data(as_text=True)).group(0)
    second = re.search(r'/t/acme/feeds/[^"]+\.ics', client.post("/t/acme/renewals/calendar-feed").get_data(as_text=True)).group(0)
    stranger = make_client()
    assert stranger.get(first).status_code == 404
    assert stranger.get(second).status_code == 200
    assert stranger.get(second.replace("/t/acme/", "/t/rival/")).status_code == 404
    assert stranger.get("/t/acme/feeds/guess.ics").status_code == 404


def test_the_feed_is_in_the_persons_language(app, client, make_client, world, cf):
    account_id = cf.account(world.acme)
    cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator, signed_on=date(2026, 10, 30))
    client.login("coord@acme.example")
    url = re.search(r'/t/acme/feeds/[^"]+\.ics', client.post("/t/acme/renewals/calendar-feed").get_data(as_text=True)).group(0)
    cal = Calendar.from_ical(make_client().get(url).data)
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    notice = f.translated("Notice deadline %(number)s · %(account)s", "it", number="N", account="A").split("N")[0]
    assert any(s.startswith(notice) for s in summaries)


# --- constant queries --------------------------------------------------------------------------------------


LIST_URLS = ["/t/acme/contracts", "/t/acme/renewals", "/t/acme/deliverables", "/t/acme/billing", "/t/acme/accounts"]


@pytest.fixture(scope="module")
def list_queries(rig):
    """Each list's response and statements with 10 contracts, then with 5,000: the 5,000 are made once
    for every list, not once per list. Per url: {"small": (status, statements) or the error, "large": ...}."""
    from .. import contract_factories
    from ..conftest import Client, count_queries

    def measure(client, url, warm=False):
        try:
            if warm:
                client.get(url)  # warm the per-process rate cache
            with count_queries(app) as statements:
                status = client.get(url).status_code
        except Exception as error:  # reported by that list's own test, not by every test
            return error
        return status, statements

    found = {url: {} for url in LIST_URLS}
    with rig.isolated() as app:
        with app.app_context():
            world = f.world()
        cf = contract_factories.Maker(app)
        client = Client(app)
        account_id = cf.account(world.acme)
        cf.many_contracts(world.acme, account_id, world.rep, world.coordinator, 10)
        client.sign_in("coord@acme.example")
        for url in LIST_URLS:
            found[url]["small"] = measure(client, url, warm=True)
        cf.many_contracts(world.acme, account_id, world.rep, world.coordinator, 4990, start=date.today() + timedelta(days=1))
        for url in LIST_URLS:
            found[url]["large"] = measure(client, url)
    return found


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_run_the_same_number_of_queries_with_10_and_5000_contracts(list_queries, url):
    for measured in list_queries[url].values():
        if isinstance(measured, Exception):
            raise measured
    (small_status, small), (large_status, large) = list_queries[url]["small"], list_queries[url]["large"]
    assert small_status == 200
    assert large_status == 200
    assert len(large) == len(small), (len(small), len(large))
    assert len(small) <= 20


def test_one_click_renewal_drafts_the_next_term_with_the_deliverables(app, client, world, cf):
    account_id = cf.account(world.acme)
    starts = date(2026, 1, 1)
    contract_id = cf.contract(world.acme, account_id, world.rep, starts=starts, ends=date(2026, 12, 31), signed_on=SIGNED)
    cf.deliverable(world.acme, contract_id, details="Full page, issue 3", due_on=date(2026, 3, 15), status="delivered")
    client.sign_in("coord@acme.example")
    response = client.post(f"/t/acme/contracts/{contract_id}/renew")
    assert response.status_code == 303
    renewal_id = int(response.headers["Location"].rsplit("/", 1)[1])
    renewal = get_row(app, world.acme, Contract, renewal_id)
    assert (renewal.status, renewal.renewal_of_id, renewal.starts_on, renewal.ends_on) == (
        "draft", contract_id, date(2027, 1, 1), date(2027, 12, 31))
    with app.app_context(), tenant_context(world.acme.id):
        copied = db.session.scalars(select(Deliverable).where(Deliverable.contract_id == renewal_id)).all()
        assert [(d.details, d.due_on, d.status) for d in copied] == [("Full page, issue 3", date(2027, 3, 15), "planned")]
    assert client.post(f"/t/acme/contracts/{contract_id}/renew").headers["Location"].endswith(f"/{renewal_id}")
    client.post(f"/t/acme/contracts/{renewal_id}/sign", {"signed_on": SIGNED.isoformat()})
    assert get_row(app, world.acme, Contract, contract_id).status == "renewed"
