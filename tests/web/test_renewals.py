"""Renewals: the calendar, reminders sent by tick (once), statuses, automatic renewal, the iCal feed, and
pages that cost the same number of queries with 10 contracts or 5,000."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from icalendar import Calendar
from sqlalchemy import func, select, update

from tenants.db import db
from tenants.models import Membership, User
from tenants.scoping import tenant_context
from web import tick
from web.contracts.models import Contract
from web.contracts.service import add_months
from web.deliverables.models import Deliverable
from web.renewals import reminders as jobs
from web.renewals.models import CalendarFeed

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
    section = section[:section.index("</tbody>")]  # the quarter's rows of the table
    with app.app_context(), tenant_context(world.acme.id):
        contract = db.session.get(Contract, contract_id)
        number, base, notice = contract.number, contract.base_amount, contract.notice_deadline
    assert number in section
    yen = round(base * Decimal("175.68"))  # the locked EUR value, in yen at today's (last published) rate
    assert f"¥{yen:,}" in section
    assert f">{notice.month}/{notice.day}/{notice.year}<" in section  # its notice deadline, numeric
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


def _chart(page: str) -> str:
    start = page.index('<svg class="timeline')
    return page[start:page.index("</svg>", start)]


def _table(page: str) -> str:
    start = page.index('<table class="cards renewals-table"')
    return page[start:page.index("</table>", start)]


def _href(page: str, link_id: str) -> str:
    tag = re.search(rf'<a [^>]*id="{link_id}"[^>]*>', page).group(0)
    return html.unescape(re.search(r' href="([^"]+)"', tag).group(1))


def _numbers(app, tenant, *ids):
    with app.app_context(), tenant_context(tenant.id):
        return [db.session.get(Contract, i).number for i in ids]


def test_the_next_12_months_by_default_and_a_contract_ending_in_13_months_is_one_click_away(app, client, world, cf):
    account_id = cf.account(world.acme, name="Harbor Lane")
    today = date.today()
    soon, later = today + timedelta(days=60), add_months(today, 13)
    signed = today - timedelta(days=30)
    near = cf.contract(world.acme, account_id, world.rep, ends=soon, starts=soon - timedelta(days=364), signed_on=signed)
    far = cf.contract(world.acme, account_id, world.rep, ends=later, starts=later - timedelta(days=364), signed_on=signed)
    n_near, n_far = _numbers(app, world.acme, near, far)
    client.sign_in("manager@acme.example")
    page = client.get("/t/acme/renewals").get_data(as_text=True)
    assert n_near in _table(page) and n_far not in page
    end = add_months(today, 12) - timedelta(days=1)
    assert f.shows(page, f"Contracts ending from {format_date(today, 'long', locale='en')} to "
                         f"{format_date(end, 'long', locale='en')}")
    assert re.search(r'id="window-next" href="[^"]+"[^>]*aria-current="page"', page)

    everything = _href(page, "window-all")
    swapped = client.get(everything, htmx=True).get_data(as_text=True)  # in place, with htmx
    assert swapped.startswith('<div id="renewals">')
    assert n_far in _table(swapped) and f"{n_far} · Harbor Lane" in _chart(swapped)
    assert re.search(r'id="window-all" href="[^"]+"[^>]*aria-current="page"', swapped)
    bookmarked = client.get(everything).get_data(as_text=True)  # the same address, loaded directly: the page
    assert "<html" in bookmarked and n_far in _table(bookmarked) and n_near in _table(bookmarked)

    following = client.get(_href(page, "window-later")).get_data(as_text=True)  # the 12 months after
    assert n_far in _table(following) and n_near not in following


def test_chosen_dates_show_only_what_ends_between_them_and_stay_in_the_form(app, client, world, cf):
    account_id = cf.account(world.acme)
    today = date.today()
    signed = today - timedelta(days=30)
    ids = [cf.contract(world.acme, account_id, world.rep, ends=today + timedelta(days=days),
                       starts=today + timedelta(days=days - 364), signed_on=signed) for days in (40, 200, 500)]
    first, second, third = _numbers(app, world.acme, *ids)
    client.sign_in("manager@acme.example")
    start, end = today + timedelta(days=100), today + timedelta(days=600)
    # Typed the wrong way round: read as the range it obviously means.
    page = client.get("/t/acme/renewals", query_string={"from": end.isoformat(), "to": start.isoformat()},
                      htmx=True).get_data(as_text=True)
    table = _table(page)
    assert second in table and third in table and first not in table
    assert f'name="from" value="{start.isoformat()}"' in page and f'name="to" value="{end.isoformat()}"' in page
    assert "aria-current" not in page[page.index('class="segmented"'):page.index("</nav>")]
    # A year typed halfway (0002) or two centuries on costs at most ten years of periods, never an error.
    assert client.get("/t/acme/renewals", query_string={"from": "0002-03-15"}).status_code == 200
    far = client.get("/t/acme/renewals", query_string={"from": today.isoformat(), "to": "2199-01-01"})
    assert far.status_code == 200 and third in _table(far.get_data(as_text=True))
    # An address bookmarked before the window existed (twelve months from a month) still works.
    old = client.get("/t/acme/renewals", query_string={"start": start.strftime("%Y-%m")}).get_data(as_text=True)
    assert second in _table(old) and first not in _table(old)


def test_the_chart_is_a_picture_without_links_and_the_table_opens_each_contract(app, client, world, cf):
    account_id = cf.account(world.acme, name="Harbor Lane")
    today = date.today()
    on_time = cf.contract(world.acme, account_id, world.rep, ends=today + timedelta(days=200), notice_days=60,
                          starts=today - timedelta(days=164), signed_on=today - timedelta(days=30))
    late = cf.contract(world.acme, account_id, world.rep2, ends=today + timedelta(days=20), notice_days=60,
                       starts=today - timedelta(days=344), signed_on=today - timedelta(days=30))
    n_on_time, n_late = _numbers(app, world.acme, on_time, late)
    client.sign_in("coord@acme.example")
    page = client.get("/t/acme/renewals").get_data(as_text=True)
    chart = _chart(page)
    # An image (named and described), not an image full of links a screen reader cannot reach.
    assert 'role="img"' in chart and 'aria-labelledby="tl-title tl-desc"' in chart
    assert "<a " not in chart and "href" not in chart
    assert '<desc id="tl-desc">' in chart and "The table below lists the same contracts." in chart
    table = _table(page)
    for contract_id, number in ((on_time, n_on_time), (late, n_late)):
        assert f'<a href="/t/acme/contracts/{contract_id}">{number}</a>' in table
    # A passed notice deadline is said in words in the table and drawn differently (not only in red).
    late_row = table[table.index(f">{n_late}<"):]
    late_row = late_row[:late_row.index("</tr>")]
    assert f.shows(late_row, "passed") and f.shows(late_row, "Rosa Rep")
    on_time_row = table[table.index(f">{n_on_time}<"):]
    assert "passed" not in on_time_row[:on_time_row.index("</tr>")]
    assert chart.count('class="notice late"') == 1 and chart.count('class="lane late"') == 1
    # The legend says what each mark means, in words.
    legend = page[page.index('class="chart-legend"'):page.index("</ul>", page.index('class="chart-legend"'))]
    for words in ("Value ending in the period", "Contract running", "Notice deadline: the last day",
                  "From the notice deadline to the end", "End of the contract", "Notice deadline passed", "Today"):
        assert words in legend, words


def test_the_kept_chart_follows_a_changed_contract_a_new_one_and_the_language(app, client, world, cf):
    """The chart is drawn once for what it shows (web.renewals.routes._chart_html): a contract moved to another end
    date, a contract added and another language each draw it anew."""
    account_id = cf.account(world.acme, name="Harbor Lane")
    today = date.today()
    first = cf.contract(world.acme, account_id, world.rep, ends=today + timedelta(days=100), notice_days=30,
                        starts=today - timedelta(days=200), signed_on=today - timedelta(days=30))
    client.sign_in("coord@acme.example")
    before = _chart(client.get("/t/acme/renewals").get_data(as_text=True))
    assert before.count('class="end"') == 1
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Contract).where(Contract.id == first).values(ends_on=today + timedelta(days=300)))
        db.session.commit()
    moved = _chart(client.get("/t/acme/renewals").get_data(as_text=True))
    assert moved != before and moved.count('class="end"') == 1
    cf.contract(world.acme, account_id, world.rep2, ends=today + timedelta(days=50), notice_days=30,
                starts=today - timedelta(days=200), signed_on=today - timedelta(days=30))
    assert _chart(client.get("/t/acme/renewals").get_data(as_text=True)).count('class="end"') == 2
    client.post("/language", {"locale": "it", "next": "/"})
    assert "Contratti in scadenza e relativi termini di preavviso" in client.get("/t/acme/renewals").get_data(
        as_text=True)


def test_contracts_that_ended_without_a_renewal_are_pointed_to(app, client, world, cf):
    account_id = cf.account(world.acme)
    today = date.today()
    ended = cf.contract(world.acme, account_id, world.rep, ends=today - timedelta(days=10),
                        starts=today - timedelta(days=374), signed_on=today - timedelta(days=380))
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Contract).where(Contract.id == ended).values(status="expired"))
        db.session.commit()
    client.sign_in("manager@acme.example")
    page = client.get("/t/acme/renewals").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">1 contract has ended without a renewal\.</a>', page)
    assert link and html.unescape(link.group(1)) == "/t/acme/contracts?status=expired"
    rep2 = client.__class__(app)
    rep2.sign_in("rep2@acme.example")  # not theirs
    assert "without a renewal" not in rep2.get("/t/acme/renewals").get_data(as_text=True)


def test_the_calendars_statements_built_once_answer_each_reader_and_rep_anew(app, make_client, world, cf):
    """The calendar's sums, its first contracts and the ended count run statements built once per kind of reader
    (web.renewals.calendar), with each request's reader and rep: Marco and Rosa take turns, each sees their own
    contracts, total and ended count; the manager switches between them."""
    account_id = cf.account(world.acme)
    today, soon = date.today(), date.today() + timedelta(days=60)
    marcos = cf.contract(world.acme, account_id, world.rep, value="27500", ends=soon, starts=soon - timedelta(days=300),
                         signed_on=today - timedelta(days=10))
    rosas = cf.contract(world.acme, account_id, world.rep2, value="10000", ends=soon,
                        starts=soon - timedelta(days=300), signed_on=today - timedelta(days=10))
    ended = cf.contract(world.acme, account_id, world.rep2, ends=today - timedelta(days=10),
                        starts=today - timedelta(days=374), signed_on=today - timedelta(days=380))
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Contract).where(Contract.id == ended).values(status="expired"))
        db.session.commit()
    na, nb = _numbers(app, world.acme, marcos, rosas)
    marco, rosa, mia = make_client(), make_client(), make_client()
    marco.sign_in("rep@acme.example")
    rosa.sign_in("rep2@acme.example")
    mia.sign_in("manager@acme.example")
    for _ in range(2):
        page = html.unescape(marco.get("/t/acme/renewals").get_data(as_text=True))
        assert na in page and nb not in page and "$27,500.00" in page and "without a renewal" not in page
        page = html.unescape(rosa.get("/t/acme/renewals").get_data(as_text=True))
        assert nb in page and na not in page and "$10,000.00" in page and "$27,500.00" not in page
        assert "1 contract has ended without a renewal." in page
        totals = []  # the manager reads in euros: each rep's total converted, different for each
        for rep, shown, hidden in ((world.rep, na, nb), (world.rep2, nb, na)):
            page = html.unescape(mia.get("/t/acme/renewals", query_string={"rep": rep.id}).get_data(as_text=True))
            assert shown in page and hidden not in page
            totals.append(re.search(r"Total (€[\d,.]+)", page).group(1))
        assert totals[0] != totals[1] and "€0.00" not in totals


@pytest.mark.parametrize("locale, day_first", [("it", "30/12/"), ("vi", "30/12/")])
def test_the_renewals_page_in_italian_and_vietnamese(app, client, world, cf, locale, day_first):
    account_id = cf.account(world.acme)
    today = date.today()
    ends = date(today.year + 1, 12, 30)
    cf.contract(world.acme, account_id, world.rep, ends=ends, starts=ends - timedelta(days=364), notice_days=30,
                signed_on=today - timedelta(days=30))
    client.login("coord@acme.example")
    client.post("/language", {"locale": locale, "next": "/"})
    page = client.get("/t/acme/renewals", query_string={"window": "all"}).get_data(as_text=True)
    assert f'<html lang="{locale}"' in page
    assert f.shows(page, f.translated("Today", locale)) and f.shows(page, f.translated("Notice deadline", locale))
    assert f">{day_first}{ends.year}<" in _table(page)  # the end date in the reader's order, full year


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


LIST_URLS = ["/t/acme/contracts", "/t/acme/renewals", "/t/acme/renewals?window=all&view=month", "/t/acme/deliverables",
             "/t/acme/billing", "/t/acme/accounts"]


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
    # The first term's page links to its renewal, with the renewal's status, instead of offering to start one.
    page = client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True)
    panel = page[page.index('id="renew"'):page.index("</section>", page.index('id="renew"'))]
    assert f'href="/t/acme/contracts/{renewal_id}">{renewal.number}</a>' in panel and "status-draft" in panel
    assert "Start the renewal" not in panel
    client.post(f"/t/acme/contracts/{renewal_id}/sign", {"signed_on": SIGNED.isoformat()})
    assert get_row(app, world.acme, Contract, contract_id).status == "renewed"


def _feed_address(client) -> str:
    return re.search(r'/t/acme/feeds/[^"]+\.ics', client.post("/t/acme/renewals/calendar-feed").get_data(as_text=True)).group(0)


def _member_id(app, tenant, user):
    from tenants.members import member_by_user

    with app.app_context(), tenant_context(tenant.id):
        return member_by_user(tenant.id, user.id).id


def test_a_removed_members_feed_is_404_at_once(app, client, make_client, world, cf):
    rep = make_client()
    rep.sign_in("rep@acme.example")
    address = _feed_address(rep)
    calendar = make_client()  # Google Calendar, reading the address with no sign-in
    assert calendar.get(address).status_code == 200
    client.login("admin@acme.example")
    assert client.post(f"/t/acme/team/members/{_member_id(app, world.acme, world.rep)}/remove").status_code == 303
    assert calendar.get(address).status_code == 404
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 0


def test_a_feed_ends_when_the_role_loses_the_staff_areas_or_the_password_changes(app, client, make_client, world, cf):
    rep = make_client()
    rep.sign_in("rep@acme.example")
    address = _feed_address(rep)
    with app.app_context(), tenant_context(world.acme.id):  # a role no invitation hands out, behind the feed's back
        db.session.execute(update(Membership).where(Membership.user_id == world.rep.id).values(role="distributor"))
        db.session.commit()
    assert make_client().get(address).status_code == 404
    coord = make_client()
    coord.sign_in("coord@acme.example")
    address = _feed_address(coord)
    assert make_client().get(address).status_code == 200
    assert coord.post("/profile/password", {"current_password": f.PASSWORD,
                                            "new_password": "a fresh start 2027"}).status_code == 303
    assert make_client().get(address).status_code == 404


def test_the_calendar_read_from_the_rollup_agrees_with_the_contracts_after_every_kind_of_write(app, world, cf,
                                                                                              monkeypatch):
    """contract_rollups is kept by triggers: after signing, a status change, a new value, another owner and end
    date in a bulk UPDATE, and a delete, the calendar read from the rollup equals the one summed from the contracts
    themselves, for every reader and with the owner filter."""
    from sqlalchemy import delete

    from tenants.models import Role
    from web.renewals import calendar

    today = date.today()
    account_id = cf.account(world.acme, name="Rollup Holdings")
    for n, (value, currency, months, owner, signed) in enumerate([
            ("1000", "EUR", 1, world.rep, True), ("2500.50", "USD", 2, world.rep, True),
            ("300000", "JPY", 2, world.rep2, True), ("700", "EUR", 5, world.manager, False),
            ("90", "GBP", 14, world.rep, True)]):
        cf.contract(world.acme, account_id, owner, value=value, currency=currency, starts=today - timedelta(days=30),
                    ends=add_months(today, months), title=f"Rollup {n}",
                    signed_on=today - timedelta(days=40) if signed else None)
    readers = ((world.coordinator, Role.coordinator), (world.rep, Role.rep), (world.rep2, Role.rep))

    def figures():
        with app.app_context(), tenant_context(world.acme.id):
            shown = []
            for user, role in readers:
                for owner_id in (None, world.rep.id):
                    cal = calendar.build_calendar(user, role, start=today, end=None, view="month", currency="EUR",
                                                  owner_id=owner_id)
                    shown.append((cal.end, cal.total, cal.missing_rates,
                                  [(p.start, p.count, p.total) for p in cal.periods]))
            return shown

    def check(expected_count):
        rolled = figures()
        with monkeypatch.context() as m:
            m.setattr(calendar, "_rollup_answers", lambda *args: False)  # what summing the contracts gives
            counted = figures()
        assert rolled == counted
        assert sum(count for _start, count, _total in rolled[0][3]) == expected_count  # the coordinator's

    check(4)
    with app.app_context(), tenant_context(world.acme.id):
        first = db.session.scalar(select(Contract).where(Contract.title == "Rollup 0"))
        first.status, first.value_amount = "expiring", Decimal("1200")
        db.session.commit()
        db.session.execute(update(Contract).where(Contract.title == "Rollup 1").values(owner_id=world.rep2.id,
                                                                                          ends_on=add_months(today, 3)))
        db.session.execute(update(Contract).where(Contract.title == "Rollup 3").values(status="active"))
        db.session.execute(delete(Contract).where(Contract.title == "Rollup 2"))
        db.session.commit()
    check(4)
