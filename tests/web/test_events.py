"""Events: created and edited (dates in order), seen by who runs them and the reps who go, budgets converted to
the base currency with rate, date and source, constant queries on a long list, Italian and Vietnamese, the demo."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from tenants.db import db
from tenants.scoping import tenant_context
from web.events import service
from web.events.models import Event, EventAttendee, EventCost

from .. import factories as f
from .lead_helpers import set_locale, text_of

RATE_DAY = date(2026, 10, 30)  # ECB: 1 EUR = 1.1172 USD


def form(**changes) -> dict:
    data = {"name": "HOMI Milano", "kind": "trade_show", "status": "planned", "venue": "Fiera Milano Rho",
            "city": "Milano", "country": "IT", "timezone": "Europe/Rome", "setup_on": "2027-01-14",
            "opens_on": "2027-01-15", "closes_on": "2027-01-18", "teardown_on": "2027-01-19", "hall": "Pad. 14",
            "booth_number": "C22", "booth_size": "6 × 4 m", "notes": ""}
    data.update(changes)
    return data


def make_event(app, tenant, *, name="Vietnam Expo", opens_on=None, attendees=(), status="planned", **fields) -> int:
    opens_on = opens_on or date.today() + timedelta(days=60)
    with app.app_context(), tenant_context(tenant.id):
        event = service.create_event(service.EventData(
            name=name, kind="trade_show", city="Thành phố Hồ Chí Minh", country="VN", timezone="Asia/Ho_Chi_Minh",
            opens_on=opens_on, closes_on=opens_on + timedelta(days=2), status=status,
            attendee_ids=[u.id for u in attendees], **fields), actor_id=None)
        db.session.commit()
        return event.id


def event_row(app, tenant, event_id) -> Event:
    with app.app_context(), tenant_context(tenant.id):
        return f.detach(db.session.get(Event, event_id))


def test_a_coordinator_creates_a_show_abroad_and_the_reps_who_go_see_it(app, client, make_client, world):
    client.sign_in("coord@acme.example")
    assert client.get("/t/acme/events/new").status_code == 200
    created = client.post("/t/acme/events", form(attendee_ids=[str(world.rep.id), str(world.coordinator.id)]))
    assert created.status_code == 303, text_of(created)[-2000:]
    event_id = int(created.headers["Location"].rsplit("/", 1)[1])
    event = event_row(app, world.acme, event_id)
    assert (event.name, event.country, event.opens_on, event.booth) == ("HOMI Milano", "IT", date(2027, 1, 15),
                                                                        "Pad. 14 · C22 · 6 × 4 m")
    page = client.get(f"/t/acme/events/{event_id}")
    assert f.shows(page, "Fiera Milano Rho, Milano, Italy") and f.shows(page, "Marco Rep")
    assert f.shows(page, "Event created")
    listed = client.get("/t/acme/events", query_string={"when": "all"})
    assert f.shows(listed, "HOMI Milano")

    rep = make_client()
    rep.sign_in("rep@acme.example")
    assert rep.get(f"/t/acme/events/{event_id}").status_code == 200
    assert f.shows(rep.get("/t/acme/events?when=all"), "HOMI Milano")
    assert rep.get(f"/t/acme/events/{event_id}/edit").status_code == 403  # a rep goes; the coordinator runs it
    other = make_client()
    other.sign_in("rep2@acme.example")
    assert other.get(f"/t/acme/events/{event_id}").status_code == 404
    assert not f.shows(other.get("/t/acme/events?when=all"), "HOMI Milano")


def test_a_distributor_sees_no_events(app, client, world):
    event_id = make_event(app, world.acme)
    with app.app_context():
        f.person(world.acme, "partner@distri.example", "distributor")
    client.sign_in("partner@distri.example")
    assert client.get("/t/acme/events").status_code == 404
    assert client.get(f"/t/acme/events/{event_id}").status_code == 404


@pytest.mark.parametrize("changes, field, message", [
    ({"closes_on": "2027-01-10"}, "closes_on", "The show cannot close before it opens."),
    ({"setup_on": "2027-01-16"}, "setup_on", "Set-up must be on or before the opening day."),
    ({"teardown_on": "2027-01-17"}, "teardown_on", "Tear-down must be on or after the closing day."),
    ({"opens_on": "15/01/2027"}, "opens_on", "Enter a date (YYYY-MM-DD)."),
    ({"country": "XX"}, "country", "Choose one of the options."),
    ({"attendee_ids": ["999999"]}, "attendee_ids", "Choose people from the list."),
])
def test_dates_out_of_order_and_bad_input_are_a_422_with_everything_kept(app, client, world, changes, field, message):
    client.sign_in("coord@acme.example")
    response = client.post("/t/acme/events", form(**changes))
    assert response.status_code == 422
    assert f.shows(response, message)
    assert 'value="HOMI Milano"' in text_of(response) and 'value="Pad. 14"' in text_of(response)
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_dates_out_of_order_are_refused_in_italian_too(app, client, world):
    client.login("coord@acme.example")  # Giulia reads Italian
    response = client.post("/t/acme/events", form(closes_on="2027-01-10"))
    assert response.status_code == 422
    assert f.shows(response, f.translated("The show cannot close before it opens.", "it"))


def test_two_people_editing_the_same_event_do_not_overwrite_each_other(app, client, world):
    event_id = make_event(app, world.acme, name="Ambiente")
    client.sign_in("coord@acme.example")
    saved = client.post(f"/t/acme/events/{event_id}", form(name="Ambiente Frankfurt", version="1"))
    assert saved.status_code == 303
    stale = client.post(f"/t/acme/events/{event_id}", form(name="Ambiente 2027", version="1"))
    assert stale.status_code == 409 and f.shows(stale, "Someone changed this event while you were editing.")
    assert 'value="Ambiente 2027"' in text_of(stale)
    assert event_row(app, world.acme, event_id).name == "Ambiente Frankfurt"
    history = client.get(f"/t/acme/events/{event_id}")
    assert f.shows(history, "Event changed") and f.shows(history, "name: Ambiente")


def test_a_cost_in_dollars_is_kept_with_its_euro_value_rate_date_and_source(app, client, world):
    event_id = make_event(app, world.acme)
    client.sign_in("coord@acme.example")
    added = client.post(f"/t/acme/events/{event_id}/costs", {"category": "booth_fee", "description": "Booth package",
                                                             "amount": "1,117.20", "currency": "USD",
                                                             "incurred_on": RATE_DAY.isoformat()}, htmx=True)
    assert added.status_code == 200, text_of(added)[-2000:]
    assert f.shows(added, "$1,117.20") and f.shows(added, "€1,000.00") and f.shows(added, "1 USD = 0.89509")
    with app.app_context(), tenant_context(world.acme.id):
        cost = db.session.scalars(select(EventCost)).one()
        assert (cost.amount, cost.currency, cost.base_amount, cost.base_currency) == (
            Decimal("1117.20"), "USD", Decimal("1000.00"), "EUR")
        assert (cost.fx_rate_date, cost.fx_source) == (RATE_DAY, "ecb")
    client.post(f"/t/acme/events/{event_id}/costs", {"category": "travel", "amount": "250", "currency": "EUR",
                                                     "incurred_on": RATE_DAY.isoformat()})
    page = client.get(f"/t/acme/events/{event_id}")
    assert f.shows(page, "€1,250.00")  # the total, in the base currency
    assert f.shows(client.get("/t/acme/events"), "€1,250.00")  # and on the list


def test_a_cost_without_a_rate_or_unreadable_is_a_422_and_nothing_is_booked(app, client, world):
    event_id = make_event(app, world.acme)
    client.sign_in("coord@acme.example")
    url = f"/t/acme/events/{event_id}/costs"
    no_rate = client.post(url, {"category": "shipping", "amount": "52000000", "currency": "VND",
                                "incurred_on": RATE_DAY.isoformat()}, htmx=True)
    assert no_rate.status_code == 422 and f.shows(no_rate, "No exchange rate for VND")
    assert 'value="52000000"' in text_of(no_rate)
    unreadable = client.post(url, {"category": "shipping", "amount": "12.500", "currency": "EUR",
                                   "incurred_on": RATE_DAY.isoformat()}, htmx=True)
    assert unreadable.status_code == 422 and f.shows(unreadable, "can be read as")
    negative = client.post(url, {"category": "shipping", "amount": "-5", "currency": "EUR",
                                 "incurred_on": RATE_DAY.isoformat()}, htmx=True)
    assert negative.status_code == 422 and f.shows(negative, "Enter an amount above 0.")
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(EventCost)) == 0


def test_a_cost_is_removed_and_the_history_keeps_it(app, client, world):
    event_id = make_event(app, world.acme)
    client.sign_in("coord@acme.example")
    client.post(f"/t/acme/events/{event_id}/costs", {"category": "travel", "amount": "250", "currency": "EUR",
                                                     "incurred_on": RATE_DAY.isoformat()})
    with app.app_context(), tenant_context(world.acme.id):
        cost_id = db.session.scalar(select(EventCost.id))
    removed = client.post(f"/t/acme/events/{event_id}/costs/{cost_id}/delete", htmx=True)
    assert removed.status_code == 200 and f.shows(removed, "No costs yet.")
    assert f.shows(client.get(f"/t/acme/events/{event_id}"), "Cost removed")


def test_the_list_shows_upcoming_by_default_and_past_on_request(app, client, world):
    today = date.today()
    make_event(app, world.acme, name="Next week", opens_on=today + timedelta(days=7))
    make_event(app, world.acme, name="Last year", opens_on=today - timedelta(days=300), status="done")
    make_event(app, world.acme, name="Running now", opens_on=today - timedelta(days=1), status="running")
    client.sign_in("coord@acme.example")
    upcoming = text_of(client.get("/t/acme/events"))
    assert upcoming.index("Running now") < upcoming.index("Next week") and "Last year" not in upcoming
    past = client.get("/t/acme/events", query_string={"when": "past"})
    assert f.shows(past, "Last year") and not f.shows(past, "Next week")
    done = client.get("/t/acme/events", query_string={"when": "all", "status": "done"})
    assert f.shows(done, "Last year") and not f.shows(done, "Running now")
    assert client.get("/t/acme/events", query_string={"after": "not-a-cursor"}).status_code == 404


def test_another_tenants_member_gets_404_on_every_event_address(app, client, world):
    event_id = make_event(app, world.acme)
    with app.app_context(), tenant_context(world.acme.id):
        cost = EventCost(event_id=event_id, category="travel", amount=Decimal(1), currency="EUR",
                         incurred_on=RATE_DAY, base_amount=Decimal(1), base_currency="EUR", fx_rate=Decimal(1),
                         fx_rate_date=RATE_DAY, fx_source="identity")
        db.session.add(cost)
        db.session.commit()
        cost_id = cost.id
    client.sign_in("owner@rival.example")
    for url in (f"/t/rival/events/{event_id}", f"/t/rival/events/{event_id}/edit", f"/t/acme/events/{event_id}",
                "/t/acme/events"):
        assert client.get(url).status_code == 404, url
    for url in (f"/t/rival/events/{event_id}", f"/t/rival/events/{event_id}/costs",
                f"/t/rival/events/{event_id}/costs/{cost_id}/delete"):
        assert client.post(url, form()).status_code == 404, url


def _bulk(app, world, count: int, start: int = 0) -> None:
    """Events (each with its two people going and a cost) written in bulk: the list's cost must not grow with them."""
    today = date.today()
    with app.app_context(), tenant_context(world.acme.id):
        tid = world.acme.id
        db.session.execute(insert(Event), [
            {"tenant_id": tid, "name": f"Show {i}", "kind": "trade_show", "city": "Milano", "country": "IT",
             "timezone": "Europe/Rome", "opens_on": today + timedelta(days=i % 400), "status": "planned",
             "closes_on": today + timedelta(days=i % 400 + 2), "version": 1}
            for i in range(start, start + count)])
        ids = list(db.session.scalars(select(Event.id).order_by(Event.id.desc()).limit(count)))
        db.session.execute(insert(EventAttendee), [{"tenant_id": tid, "event_id": i, "user_id": u}
                                                   for i in ids for u in (world.rep.id, world.coordinator.id)])
        db.session.execute(insert(EventCost), [
            {"tenant_id": tid, "event_id": i, "category": "travel", "amount": Decimal(100), "currency": "USD",
             "incurred_on": RATE_DAY, "base_amount": Decimal("89.51"), "base_currency": "EUR",
             "fx_rate": Decimal("0.8951"), "fx_rate_date": RATE_DAY, "fx_source": "ecb"} for i in ids])
        db.session.commit()


PAGES = [("coord@acme.example", "/t/acme/events", False), ("coord@acme.example", "/t/acme/events?when=all", True),
         ("coord@acme.example", "/t/acme/events?status=planned", True), ("rep@acme.example", "/t/acme/events", False)]


def _measure(app, make_client, queries) -> list[int]:
    counts, clients = [], {}
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


def test_the_events_list_runs_as_many_queries_for_10_as_for_5000_events(app, make_client, world, queries):
    _bulk(app, world, 10)
    small = _measure(app, make_client, queries)
    _bulk(app, world, 4990, start=10)
    big = _measure(app, make_client, queries)
    assert small == big, list(zip(PAGES, small, big))
    assert max(big) <= 14


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_every_events_page_reads_in_italian_and_vietnamese(app, client, world, locale):
    event_id = make_event(app, world.acme, attendees=(world.rep,), opens_on=date.today() + timedelta(days=20))
    set_locale(app, world.admin, locale)
    client.login("admin@acme.example")
    client.post(f"/t/acme/events/{event_id}/costs", {"category": "travel", "amount": "250", "currency": "EUR",
                                                     "incurred_on": RATE_DAY.isoformat()})
    checks = {
        "/t/acme/events": ["Events", "New event", "Upcoming and running", "Who goes"],
        "/t/acme/events/new": ["New event", "Add the event", "Tear-down", "Booth size"],
        f"/t/acme/events/{event_id}": ["Add a cost", "Who goes", "Travel", "Cost added", "Booth number", "Checklist", "Cost per lead",
                                       "Order giveaways", "Tick off"],
        f"/t/acme/events/{event_id}/edit": ["Save the event", "Set-up"],
        "/t/acme/events/checklist": ["Event checklist", "Book the booth", "Add the item", "Days from the opening day"],
        "/t/acme/": ["Event checklists", "Ship the booth"],
        "/t/acme/events/shipments": ["Shipments", "Ship by", "Pieces", "In transit"],
        f"/t/acme/events/{event_id}/capture": ["Capture a lead", "Photo of the business card", "Ready to buy"],
        f"/t/acme/events/{event_id}/mailings/new": ["New mailing", "Subject in Italian", "Who gets it",
                                                    "Nobody who unsubscribed is ever included.", "Save the mailing"],
        f"/t/acme/events/{event_id}/shipments/new": ["New shipment", "Tracking number", "ATA carnet number",
                                                     "Transit time in days", "Add the shipment"],
    }
    for url, messages in checks.items():
        page = client.get(url)
        assert page.status_code == 200 and f'<html lang="{locale}"' in text_of(page), url
        for message in messages:
            assert f.shows(page, f.translated(message, locale)), (url, message)


def test_the_demo_has_two_upcoming_shows_abroad_and_a_finished_one_with_budgets(app):
    from web import demo

    with app.app_context():
        demo.seed()
        from tenants.models import Tenant

        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        with tenant_context(tenant.id):
            events = list(db.session.scalars(select(Event).order_by(Event.opens_on)))
            assert [e.city for e in events] == ["Frankfurt am Main", "Milano", "Thành phố Hồ Chí Minh"]
            assert [e.status for e in events] == ["done", "confirmed", "planned"]
            assert db.session.scalar(select(func.count()).select_from(EventCost)) >= 6
            from web.events.models import Shipment

            assert set(db.session.scalars(select(Shipment.status))) == {"prepared", "in_transit", "delivered",
                                                                       "returned"}


# --- the checklist ----------------------------------------------------------------------------------------


def _tasks(app, tenant, event_id) -> list[tuple[str, date, bool]]:
    from web.events.models import EventTask

    with app.test_request_context(), tenant_context(tenant.id):  # labels are read in a language: a request's
        return [(t.label, t.due_on, t.done_at is not None) for t in db.session.scalars(
            select(EventTask).where(EventTask.event_id == event_id).order_by(EventTask.due_on))]


def test_a_new_event_gets_the_checklist_due_from_its_opening_day_and_it_moves_with_the_show(app, client, world):
    client.sign_in("coord@acme.example")
    created = client.post("/t/acme/events", form())
    event_id = int(created.headers["Location"].rsplit("/", 1)[1])
    opens = date(2027, 1, 15)
    assert [(label, due) for label, due, _done in _tasks(app, world.acme, event_id)] == [
        ("Book the booth", opens - timedelta(days=120)), ("Order giveaways", opens - timedelta(days=45)),
        ("Ship the booth", opens - timedelta(days=21)), ("Send the pre-show mailing", opens - timedelta(days=14)),
        ("Send the post-show mailing", opens + timedelta(days=3)), ("Return the inventory", opens + timedelta(days=14))]
    moved = client.post(f"/t/acme/events/{event_id}", form(setup_on="2027-02-14", opens_on="2027-02-15",
                                                           closes_on="2027-02-18", teardown_on="2027-02-19",
                                                           version="1"))
    assert moved.status_code == 303
    assert _tasks(app, world.acme, event_id)[0][1] == date(2027, 2, 15) - timedelta(days=120)


def test_a_checklist_item_is_ticked_off_in_place_and_overdue_ones_show_on_the_coordinators_home(
        app, client, make_client, world):
    from web.events.models import EventTask

    event_id = make_event(app, world.acme, name="Vietnam Expo", opens_on=date.today() + timedelta(days=20),
                          attendees=(world.rep,))
    client.sign_in("coord@acme.example")
    home = client.get("/t/acme/")
    # Twenty days before the show, booking the booth (-120), giveaways (-45) and shipping (-21) are late; the mailing not.
    assert f.shows(home, "Event checklists") and f.shows(home, "3 overdue") and f.shows(home, "Ship the booth")
    assert not f.shows(home, "Send the pre-show mailing")
    # Each line names its show and links to its checklist.
    assert home.get_data(as_text=True).count(f'<a href="/t/acme/events/{event_id}#checklist">Vietnam Expo</a>') == 3
    with app.app_context(), tenant_context(world.acme.id):
        task_id = db.session.scalar(select(EventTask.id).where(EventTask.key == "ship_booth"))
    ticked = client.post(f"/t/acme/events/{event_id}/tasks/{task_id}/done", htmx=True)
    assert ticked.status_code == 200 and f.shows(ticked, "Done: Ship the booth.")
    assert f.shows(ticked, "1 of 6 done")
    assert f.shows(client.get("/t/acme/"), "2 overdue")
    assert f.shows(client.get(f"/t/acme/events/{event_id}"), "Checklist item done")
    rep = make_client()
    rep.sign_in("rep@acme.example")
    assert not f.shows(rep.get("/t/acme/"), "Event checklists")  # reps go to shows; coordinators run them


def test_home_counts_every_overdue_task_when_it_lists_only_the_first_ten(app, client, world):
    """Four shows twenty days out, three late tasks each: the panel lists ten and says twelve are overdue (with
    fewer than ten, the list itself is the count)."""
    for n in range(4):
        make_event(app, world.acme, name=f"Expo {n}", opens_on=date.today() + timedelta(days=20))
    client.sign_in("coord@acme.example")
    home = client.get("/t/acme/")
    assert f.shows(home, "12 overdue") and not f.shows(home, "10 overdue")


def test_admins_edit_the_checklist_template_and_new_events_follow_it(app, client, make_client, world):
    client.sign_in("admin@acme.example")
    page = client.get("/t/acme/events/checklist")
    assert page.status_code == 200 and f.shows(page, "Book the booth")
    bad = client.post("/t/acme/events/checklist", {"title": "Print badges", "offset_days": "soon"}, htmx=True)
    assert bad.status_code == 422 and f.shows(bad, "Enter a whole number.") and 'value="Print badges"' in text_of(bad)
    far = client.post("/t/acme/events/checklist", {"title": "Print badges", "offset_days": "-9999"}, htmx=True)
    assert far.status_code == 422 and f.shows(far, "between -730 and 730")
    added = client.post("/t/acme/events/checklist", {"title": "Print badges", "offset_days": "-7"}, htmx=True)
    assert added.status_code == 200 and f.shows(added, "Print badges")
    from web.events.models import ChecklistItem

    with app.app_context(), tenant_context(world.acme.id):
        giveaways = db.session.scalar(select(ChecklistItem.id).where(ChecklistItem.key == "order_giveaways"))
    assert client.post(f"/t/acme/events/checklist/{giveaways}/toggle", htmx=True).status_code == 200
    event_id = make_event(app, world.acme)
    labels = [label for label, _due, _done in _tasks(app, world.acme, event_id)]
    assert "Print badges" in labels and "Order giveaways" not in labels
    coordinator = make_client()
    coordinator.sign_in("coord@acme.example")
    assert coordinator.get("/t/acme/events/checklist").status_code == 403
    assert coordinator.post("/t/acme/events/checklist", {"title": "x", "offset_days": "1"}).status_code == 403


def test_the_calendar_feed_holds_the_checklist_of_the_events_the_person_goes_to(app, client, world):
    import re

    from icalendar import Calendar

    make_event(app, world.acme, name="Vietnam Expo", opens_on=date.today() + timedelta(days=20),
               attendees=(world.coordinator,))
    make_event(app, world.acme, name="Not mine", opens_on=date.today() + timedelta(days=20))
    client.sign_in("coord@acme.example")
    page = text_of(client.post("/t/acme/renewals/calendar-feed"))
    url = re.search(r'value="http://localhost(/t/acme/feeds/[^"]+\.ics)"', page).group(1)
    cal = Calendar.from_ical(client.get(url).data)
    summaries = [str(e.get("summary")) for e in cal.walk("VEVENT")]
    assert "Overdue: Ship the booth · Vietnam Expo" in summaries
    assert "Send the pre-show mailing · Vietnam Expo" in summaries
    assert not any("Not mine" in s for s in summaries)


# --- shipments --------------------------------------------------------------------------------------------


def shipment_form(**changes) -> dict:
    data = {"direction": "out", "carrier": "dhl", "tracking_number": "12345 67890", "transit_days": "5",
            "destination_country": "IT", "language": "it", "ata_carnet_number": "IT/2026/001234",
            "ata_carnet_expires_on": "2027-12-31", "declared_amount": "12,500.00", "declared_currency": "EUR",
            "incoterm": "DAP", "carrier_name": "", "tracking_url_pattern": ""}
    data.update(changes)
    return data


def _new_event(client) -> int:
    created = client.post("/t/acme/events", form())
    return int(created.headers["Location"].rsplit("/", 1)[1])


def test_a_booth_and_500_brochures_ship_by_dhl_with_a_tracking_link_and_an_italian_packing_list(app, client, world):
    from web.events.models import Shipment

    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    created = client.post(f"/t/acme/events/{event_id}/shipments", shipment_form())
    assert created.status_code == 303, text_of(created)[-3000:]
    url = created.headers["Location"]
    with app.app_context(), tenant_context(world.acme.id):
        shipment = db.session.scalars(select(Shipment)).one()
        # Set-up on 14 January, five days on the road: it leaves by the 9th.
        assert (shipment.tracking_number, shipment.ship_by, shipment.declared_amount) == (
            "1234567890", date(2027, 1, 9), Decimal("12500.00"))
    for kind, what, quantity in (("booth_part", "Booth walls and counter", "1"), ("collateral", "Brochure 2027 (IT)",
                                                                                  "500")):
        packed = client.post(f"{url}/items", {"kind": kind, "description": what, "quantity": quantity}, htmx=True)
        assert packed.status_code == 200
    page = client.get(url)
    assert f.shows(page, "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890")
    assert f.shows(page, "501 pieces") and f.shows(page, "Jan 9, 2027")
    packing = client.get(f"{url}/packing-list")
    assert packing.status_code == 200 and '<html lang="it">' in text_of(packing)
    assert f.shows(packing, f.translated("Packing list", "it")) and f.shows(packing, "Brochure 2027 (IT)")
    assert f.shows(packing, "500") and f.shows(packing, "9 gennaio 2027")
    assert f.shows(client.get(url), "Tracking number")


@pytest.mark.parametrize("changes, field_message", [
    ({"tracking_number": "ABC123"}, "This is not a DHL tracking number. They look like 1234567890."),
    ({"carrier": "ups", "tracking_number": "1234567890"}, "This is not a UPS tracking number."),
    ({"carrier": "vnpost", "tracking_number": "EE123456789IT"}, "This is not a Vietnam Post tracking number."),
    ({"carrier": "custom", "carrier_name": "Bartolini", "tracking_url_pattern": "http://brt.example/{number}"},
     "with {number} where the number goes"),
    ({"ata_carnet_expires_on": "2027-01-18"}, "The carnet must still be valid when the goods come back"),
    ({"transit_days": "-1"}, "Enter a number of days between 0 and 120."),
    ({"declared_amount": "12.500"}, "can be read as"),
])
def test_a_tracking_number_that_is_not_the_carriers_is_a_422_and_nothing_is_lost(app, client, world, changes,
                                                                                  field_message):
    from web.events.models import Shipment

    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    refused = client.post(f"/t/acme/events/{event_id}/shipments", shipment_form(**changes))
    assert refused.status_code == 422 and f.shows(refused, field_message)
    assert 'value="IT/2026/001234"' in text_of(refused)
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(Shipment)) == 0


def test_other_carriers_numbers_fit_their_patterns_and_link_to_their_sites(app, client, world):
    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    for changes, link in (
            ({"carrier": "ups", "tracking_number": "1z999aa10123456784"}, "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
            ({"carrier": "vnpost", "tracking_number": "EE123456789VN"}, "https://vnpost.vn/tra-cuu-hanh-trinh/buu-pham?key=EE123456789VN"),
            ({"carrier": "custom", "carrier_name": "Bartolini", "tracking_number": "BRT-778899",
              "tracking_url_pattern": "https://brt.example/track/{number}"}, "https://brt.example/track/BRT-778899")):
        created = client.post(f"/t/acme/events/{event_id}/shipments", shipment_form(**changes))
        assert created.status_code == 303, (changes, text_of(created)[-2000:])
        assert f.shows(client.get(created.headers["Location"]), link)


def test_a_shipment_moves_step_by_step_and_its_ship_by_day_moves_with_the_show(app, client, world):
    from web.events.models import Shipment

    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    url = client.post(f"/t/acme/events/{event_id}/shipments", shipment_form(tracking_number="")).headers["Location"]
    with app.app_context(), tenant_context(world.acme.id):
        shipment_id, version = db.session.execute(select(Shipment.id, Shipment.version)).one()
    skipped = client.post(f"{url}/status", {"status": "delivered", "version": str(version)}, htmx=True)
    assert skipped.status_code == 422 and f.shows(skipped, "A shipment that is prepared cannot become delivered.")
    untracked = client.post(f"{url}/status", {"status": "shipped"}, htmx=True)
    assert untracked.status_code == 422 and f.shows(untracked, "Give the tracking number before marking it shipped.")
    client.post(f"{url}", shipment_form(version=str(version)))
    shipped = client.post(f"{url}/status", {"status": "shipped"}, htmx=True)
    assert shipped.status_code == 200 and f.shows(shipped, "Mark in transit")
    moved = client.post(f"/t/acme/events/{event_id}", form(setup_on="2027-02-14", opens_on="2027-02-15",
                                                           closes_on="2027-02-18", teardown_on="2027-02-19",
                                                           version="1"))
    assert moved.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        shipment = db.session.get(Shipment, shipment_id)
        assert (shipment.status, shipment.ship_by) == ("shipped", date(2027, 2, 9))
    assert f.shows(client.get(f"/t/acme/events/{event_id}"), "Shipment moved on")


def _bulk_shipments(app, world, count: int) -> None:
    from web.events.models import Shipment, ShipmentItem

    today = date.today()
    with app.app_context(), tenant_context(world.acme.id):
        tid = world.acme.id
        event_ids = list(db.session.scalars(select(Event.id)))
        db.session.execute(insert(Shipment), [
            {"tenant_id": tid, "event_id": event_ids[i % len(event_ids)], "direction": "out", "carrier": "dhl",
             "tracking_number": f"{i:010d}", "transit_days": 5, "ship_by": today + timedelta(days=i % 300),
             "status": "prepared", "destination_country": "IT", "language": "it", "version": 1}
            for i in range(count)])
        ids = list(db.session.scalars(select(Shipment.id).order_by(Shipment.id.desc()).limit(count)))
        db.session.execute(insert(ShipmentItem), [{"tenant_id": tid, "shipment_id": i, "kind": "collateral",
                                                   "description": "Brochure", "quantity": 50} for i in ids])
        db.session.commit()


def test_the_shipments_list_runs_as_many_queries_for_10_as_for_5000_shipments(app, make_client, world, queries):
    _bulk(app, world, 20)
    pages = [("coord@acme.example", "/t/acme/events/shipments"), ("coord@acme.example", "/t/acme/events/shipments?status=prepared"),
             ("rep@acme.example", "/t/acme/events/shipments")]

    def measure():
        counts = []
        for email, url in pages:
            client = make_client()
            client.login(email)
            client.get(url)
            with queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    _bulk_shipments(app, world, 10)
    small = measure()
    _bulk_shipments(app, world, 4990)
    big = measure()
    assert small == big and max(big) <= 12, (small, big)


# --- mailings and RSVPs -----------------------------------------------------------------------------------


def _three_contacts(app, world) -> None:
    from web.accounts import service as accounts

    with app.app_context(), tenant_context(world.acme.id):
        for company, country, name, email, language in (
                ("Cantina Colli Berici", "IT", "Elena Marchetti", "elena@colliberici.example", "it"),
                ("Cà Phê Núi Xanh", "VN", "Lê Văn Nam", "nam@nuixanh.example", "vi"),
                ("Northwind Outdoor Ltd", "GB", "Amelia Clarke", "amelia@northwind.example", "en")):
            account = accounts.create_account(accounts.AccountData(name=company, country=country, currency="EUR",
                                                                   language=language), actor_id=None)
            accounts.add_contact(account, accounts.ContactData(name=name, email=email, language=language),
                                 actor_id=None)
        db.session.commit()


def mailing_form(**changes) -> dict:
    data = {"kind": "pre_show", "fallback_language": "en", "contacts": "y",
            "subject_en": "Meet us at HOMI Milano", "body_en": "Dear friends,\n\nwe are in hall 14, booth C22.",
            "subject_it": "Vieni a trovarci a HOMI Milano", "body_it": "Cari amici,\n\nsiamo al padiglione 14, stand C22.",
            "subject_vi": "Hẹn gặp tại HOMI Milano", "body_vi": "Các bạn thân mến,\n\nchúng tôi ở sảnh 14, gian C22."}
    data.update(changes)
    return data


def _send(client, event_id, data) -> str:
    created = client.post(f"/t/acme/events/{event_id}/mailings", data)
    assert created.status_code == 303, text_of(created)[-3000:]
    url = created.headers["Location"]
    assert client.post(f"{url}/send").status_code == 303
    for _ in range(10):  # what the progress bar's polls do
        step = client.post(f"{url}/step", htmx=True)
        if "HX-Redirect" in step.headers:
            break
    return url


def test_a_pre_show_mailing_reaches_three_contacts_in_their_languages_and_an_unsubscribe_holds_forever(
        app, client, make_client, world, smtp):
    from web import tick

    _three_contacts(app, world)
    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    url = _send(client, event_id, mailing_form())
    page = client.get(url)
    assert f.shows(page, "Sent") and f.shows(page, "elena@colliberici.example")
    with app.app_context():
        tick.run(app)
    elena, nam, amelia = (smtp.to(a) for a in ("elena@colliberici.example", "nam@nuixanh.example",
                                              "amelia@northwind.example"))
    assert [m["Subject"] for m in elena + nam + amelia] == [
        "Vieni a trovarci a HOMI Milano", "Hẹn gặp tại HOMI Milano", "Meet us at HOMI Milano"]
    assert elena[0]["Content-Language"] == "it" and nam[0]["Content-Language"] == "vi"
    body = nam[0].get_body(("plain",)).get_content()
    assert "chúng tôi ở sảnh 14" in body and f.translated("Hello %(name)s,", "vi", name="Lê Văn Nam") in body
    import re

    link = re.search(r"http://localhost(/t/acme/events/unsubscribe/\S+)", body).group(1)  # from PUBLIC_URL
    stranger = make_client()
    ask = stranger.get(link)
    assert ask.status_code == 200 and '<html lang="vi">' in text_of(ask)
    assert f.shows(ask, f.translated("Unsubscribe", "vi"))
    done = stranger.post(link)
    assert done.status_code == 200 and f.shows(done, "nam@nuixanh.example")
    assert stranger.post(link).status_code == 200  # twice changes nothing
    # The next mailing, and every one after it, leaves Nam out.
    second = client.post(f"/t/acme/events/{event_id}/mailings", mailing_form(kind="post_show"))
    page = client.get(second.headers["Location"])
    assert f.shows(page, "elena@colliberici.example") and not f.shows(page, "nam@nuixanh.example")


def test_an_address_unsubscribed_while_a_mailing_waits_is_skipped(app, client, world):
    from web.events import mailing as mailings
    from web.events.models import MailingRecipient

    _three_contacts(app, world)
    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    url = client.post(f"/t/acme/events/{event_id}/mailings", mailing_form()).headers["Location"]
    with app.app_context(), tenant_context(world.acme.id):
        mailings.unsubscribe(db.session.scalar(select(MailingRecipient).where(
            MailingRecipient.email == "amelia@northwind.example")))
    client.post(f"{url}/send")
    client.post(f"{url}/step", htmx=True)
    with app.app_context(), tenant_context(world.acme.id):
        statuses = dict(db.session.execute(select(MailingRecipient.email, MailingRecipient.status)).all())
    assert statuses == {"elena@colliberici.example": "queued", "nam@nuixanh.example": "queued",
                        "amelia@northwind.example": "unsubscribed"}


@pytest.mark.parametrize("changes, message", [
    ({"body_it": ""}, "Write both the subject and the text, or neither."),
    ({"fallback_language": "vi", "subject_vi": "", "body_vi": ""}, "Write the mailing in this language too"),
    ({"contacts": ""}, "Choose contacts, leads or both."),
    ({"kind": "spam"}, "Choose one of the options."),
])
def test_a_mailing_that_cannot_go_out_is_a_422_with_the_texts_kept(app, client, world, changes, message):
    from web.events.models import Mailing

    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    refused = client.post(f"/t/acme/events/{event_id}/mailings", mailing_form(**changes))
    assert refused.status_code == 422 and f.shows(refused, message)
    assert f.shows(refused, "we are in hall 14, booth C22.")
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(Mailing)) == 0


def test_party_guests_answer_with_a_plus_one_and_the_guest_list_shows_it_and_a_bounce_is_kept(
        app, client, make_client, world, smtp):
    from web import tick
    from web.events.models import MailingRecipient

    _three_contacts(app, world)
    smtp.refuse = {"amelia@northwind.example"}
    client.sign_in("coord@acme.example")
    event_id = _new_event(client)
    _send(client, event_id, mailing_form(kind="party"))
    with app.app_context():
        tick.run(app)
    body = smtp.to("elena@colliberici.example")[0].get_body(("plain",)).get_content()
    import re

    link = re.search(r"http://localhost(/t/acme/events/rsvp/\S+)", body).group(1)
    guest = make_client()
    page = guest.get(link)
    assert page.status_code == 200 and '<html lang="it">' in text_of(page)
    assert guest.post(link, {"answer": "maybe"}).status_code == 422
    saved = guest.post(link, {"answer": "yes", "plus_one": "y"})
    assert saved.status_code == 200
    assert f.shows(saved, f.translated("Thank you: your answer is saved. You can change it from the same link.", "it"))
    guests = client.get(f"/t/acme/events/{event_id}/guests", htmx=True)
    assert f.shows(guests, "Elena Marchetti") and f.shows(guests, "(plus one)") and f.shows(guests, "2 coming")
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(MailingRecipient.status).where(
            MailingRecipient.email == "amelia@northwind.example")) == "bounced"
    assert make_client().get("/t/acme/events/rsvp/not-a-token").status_code == 404


# --- leads at the show and results ------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_rep_captures_leads_on_a_phone_into_the_inbox_tagged_with_the_show(app, client, world, tmp_path):
    import io

    from web.events.models import EventLead
    from web.leads.models import Lead

    app.config.update(UPLOAD_FOLDER=str(tmp_path))
    event_id = make_event(app, world.acme, name="Vietnam Expo", attendees=(world.rep,))
    client.sign_in("rep@acme.example")
    assert client.get(f"/t/acme/events/{event_id}/capture").status_code == 200
    empty = client.post(f"/t/acme/events/{event_id}/capture", {"interest": "hot", "notes": "Wants 3 booths"})
    assert empty.status_code == 422 and f.shows(empty, "Give at least a name, a company or an email.")
    assert "Wants 3 booths" in text_of(empty)
    bad_mail = client.post(f"/t/acme/events/{event_id}/capture", {"company": "Sao Mai", "email": "hoa@", "interest": "hot"})
    assert bad_mail.status_code == 422 and 'value="Sao Mai"' in text_of(bad_mail)
    bad_card = client.post(f"/t/acme/events/{event_id}/capture", {
        "company": "Sao Mai", "interest": "hot", "card": (io.BytesIO(b"MZ\x90"), "card.exe")},
        content_type="multipart/form-data")
    assert bad_card.status_code == 422 and f.shows(bad_card, "Files of this type are not accepted")
    saved = client.post(f"/t/acme/events/{event_id}/capture", {
        "contact_name": "Trần Thị Hoa", "company": "Công ty TNHH Sao Mai", "email": "Hoa@SaoMai.example",
        "interest": "hot", "notes": "Wants 3 booths", "card": (io.BytesIO(PNG), "card.png")},
        content_type="multipart/form-data")
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"/events/{event_id}/capture")
    with app.app_context(), tenant_context(world.acme.id):
        lead = db.session.scalars(select(Lead)).one()
        row = db.session.scalars(select(EventLead)).one()
        assert (lead.status, lead.source, lead.owner_id, lead.email, lead.country) == (
            "new", "event", world.rep.id, "hoa@saomai.example", "VN")
        from web.leads.models import LeadTag

        assert list(db.session.scalars(select(LeadTag.name).where(LeadTag.lead_id == lead.id))) == ["vietnam expo"]
        assert row.event_id == event_id and row.card_file_id is not None
    inbox = client.get("/t/acme/leads", query_string={"tag": "vietnam expo"})
    assert f.shows(inbox, "Công ty TNHH Sao Mai")
    card = client.get(f"/t/acme/events/{event_id}/leads/{row.id}/card")
    assert card.status_code == 200 and card.data == PNG


def test_the_results_show_leads_qualified_won_in_euros_cost_per_lead_and_return(app, client, world, cf):
    from web.contracts.models import Contract
    from web.events import results
    from web.leads import service as leads
    from web.leads.models import Lead

    from .contract_helpers import SIGNED

    event_id = make_event(app, world.acme)
    client.sign_in("coord@acme.example")
    client.post(f"/t/acme/events/{event_id}/costs", {"category": "booth_fee", "amount": "1,117.20", "currency": "USD",
                                                     "incurred_on": RATE_DAY.isoformat()})
    with app.app_context(), tenant_context(world.acme.id):
        event = db.session.get(Event, event_id)
        for company in ("Alpha", "Beta", "Gamma", "Delta"):
            results.capture(event, leads.LeadData(company=company, source="event"), "warm", card_file_id=None,
                            actor_id=None)
        db.session.commit()
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, value="5586", currency="USD", signed_on=SIGNED)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(Lead.__table__.update().where(Lead.company == "Alpha").values(
            status="converted", contract_id=contract_id))
        db.session.execute(Lead.__table__.update().where(Lead.company == "Beta").values(status="qualified"))
        db.session.commit()
        base = db.session.get(Contract, contract_id).base_amount  # 5,586 USD at 1.1172: €5,000.00
    assert base == Decimal("5000.00")
    page = client.get(f"/t/acme/events/{event_id}")
    for label, value in (("Leads captured", "4"), ("Qualified", "2"), ("Contracts won", "1 · €5,000.00"),
                         ("Cost of the event", "€1,000.00"), ("Cost per lead", "€250.00"),
                         ("Return on the cost", "400%")):
        assert f.shows(page, f"<dt>{label}</dt><dd") and f.shows(page, value), (label, value)


def test_recipients_are_filtered_by_country_language_lead_tag_and_past_attendance(app, client, world):
    from web.events import mailing as mailings
    from web.events.models import Mailing, MailingRecipient
    from web.leads import service as leads

    _three_contacts(app, world)
    past = make_event(app, world.acme, name="Ambiente", opens_on=date.today() - timedelta(days=100), status="done")
    with app.app_context(), tenant_context(world.acme.id):
        for company, email, tags in (("Sao Mai", "HOA@saomai.example", ["fiera 2027"]), ("Bianchi", "b@b.example", [])):
            leads.create_lead(leads.LeadData(company=company, email=email, tags=tags), actor_id=None)
        party = Mailing(event_id=past, kind="party", status="sent", fallback_language="en")
        db.session.add(party)
        db.session.flush()
        db.session.add(MailingRecipient(mailing_id=party.id, email="elena@colliberici.example", language="it",
                                        status="queued", token="t" * 43, rsvp="yes"))
        db.session.commit()

        def emails(**who):
            return sorted(p.email for p in mailings.audience(mailings.Audience(**who), "en"))

        assert emails(contacts=True, leads=False, country="VN") == ["nam@nuixanh.example"]
        assert emails(contacts=True, leads=False, language="en") == ["amelia@northwind.example"]
        assert emails(contacts=False, leads=True, tag="fiera 2027") == ["hoa@saomai.example"]
        assert emails(contacts=True, leads=True, attended_event_id=past) == ["elena@colliberici.example"]
    client.sign_in("coord@acme.example")
    event_id = make_event(app, world.acme)
    created = client.post(f"/t/acme/events/{event_id}/mailings",
                          mailing_form(contacts="", leads="y", tag="fiera 2027"))
    assert f.shows(client.get(created.headers["Location"]), "hoa@saomai.example")
