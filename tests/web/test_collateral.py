"""Collateral: items per language and version, stock per location with its history, shows that take it and bring
it back (reconciled, the rest lost), order-by days that move with the show, one warning per day by tick."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from tenants.db import db
from tenants.scoping import tenant_context
from web import tick
from web.collateral import service
from web.collateral.models import CollateralItem, MailingCollateral, ReorderWarning, Stock, StockLocation, StockMove

from .. import factories as f
from .lead_helpers import set_locale, text_of
from .test_events import form, mailing_form, make_event


def item_form(**changes) -> dict:
    data = {"name": "Brochure 2027", "kind": "brochure", "language": "it", "version": "2027", "reorder_level": "300",
            "lead_time_days": "21", "supplier": "Tipografia Berica", "notes": ""}
    data.update(changes)
    return data


def stocked(app, tenant, *, on_hand=2000, level=300, lead=21, name="Brochure 2027") -> tuple[int, int]:
    """An item with `on_hand` at the head office: (item id, location id)."""
    with app.app_context(), tenant_context(tenant.id):
        location = db.session.scalar(select(StockLocation).where(StockLocation.name == "Head office")) or \
            service.add_location("Head office", "office", actor_id=None)
        item = service.create_item(service.ItemData(name=name, kind="brochure", language="it", version="2027",
                                                    reorder_level=level, lead_time_days=lead), actor_id=None)
        if on_hand:
            service.receive(item, location, on_hand, actor_id=None)
        db.session.commit()
        return item.id, location.id


def on_hand(app, tenant, item_id) -> tuple[int, list[int]]:
    with app.app_context(), tenant_context(tenant.id):
        total = db.session.get(CollateralItem, item_id).on_hand
        rows = list(db.session.scalars(select(Stock.quantity).where(Stock.item_id == item_id)))
        return total, rows


def test_a_coordinator_adds_an_item_a_location_and_stock_and_refuses_a_duplicate(app, client, world):
    client.sign_in("coord@acme.example")
    created = client.post("/t/acme/collateral", item_form())
    assert created.status_code == 303, text_of(created)[-2000:]
    url = created.headers["Location"]
    twice = client.post("/t/acme/collateral", item_form(notes="keep me"))
    assert twice.status_code == 422 and f.shows(twice, "This item already exists in this language and version.")
    assert "keep me" in text_of(twice)
    assert client.post("/t/acme/collateral", item_form(version="2028", lead_time_days="-3")).status_code == 422
    # Found by bench/fuzz_forms.py on PostgreSQL: the duplicate check must not run on a field it cannot store.
    assert client.post("/t/acme/collateral", item_form(language="\x00")).status_code == 422
    assert client.post("/t/acme/collateral/locations", {"location_name": "Head office",
                                                        "location_kind": "office"}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        location_id = db.session.scalar(select(StockLocation.id))
    received = client.post(f"{url}/stock", {"action": "received", "location_id": str(location_id), "quantity": "2000",
                                            "note": "Print run"}, htmx=True)
    assert received.status_code == 200 and f.shows(received, "2,000") and f.shows(received, "Print run")
    counted = client.post(f"{url}/stock", {"action": "correction", "location_id": str(location_id),
                                           "quantity": "1990"}, htmx=True)
    assert counted.status_code == 200 and f.shows(counted, "Stock count") and f.shows(counted, "-10")
    bad = client.post(f"{url}/stock", {"action": "received", "location_id": str(location_id), "quantity": "lots"},
                      htmx=True)
    assert bad.status_code == 422 and f.shows(bad, "Enter a whole number.")
    item_id = int(url.rsplit("/", 1)[1])
    assert on_hand(app, world.acme, item_id) == (1990, [1990])


def test_500_brochures_go_to_a_show_and_what_comes_back_corrects_the_stock_with_history(app, client, world):
    item_id, location_id = stocked(app, world.acme)
    event_id = make_event(app, world.acme, name="HOMI Milano")
    client.sign_in("coord@acme.example")
    too_many = client.post(f"/t/acme/collateral/events/{event_id}/take", {
        "item_id": str(item_id), "location_id": str(location_id), "quantity": "5000"}, htmx=True)
    assert too_many.status_code == 422 and f.shows(too_many, "Only 2000 at Head office.")
    assert 'value="5000"' in text_of(too_many)
    sent = client.post(f"/t/acme/collateral/events/{event_id}/take", {
        "item_id": str(item_id), "location_id": str(location_id), "quantity": "500"}, htmx=True)
    assert sent.status_code == 200 and f.shows(sent, "500 × “Brochure 2027” go to the show.")
    assert on_hand(app, world.acme, item_id) == (1500, [1500])
    with app.app_context(), tenant_context(world.acme.id):
        from web.collateral.models import EventCollateral

        taken_id = db.session.scalar(select(EventCollateral.id))
    url = f"/t/acme/collateral/events/{event_id}/taken/{taken_id}/reconcile"
    more = client.post(url, {"given_away": "300", "returned": "250"}, htmx=True)
    assert more.status_code == 422
    assert f.shows(more, "Only 500 were shipped: given away and returned cannot add up to more.")
    assert 'value="300"' in text_of(more) and 'value="250"' in text_of(more)  # what was typed stays
    assert on_hand(app, world.acme, item_id) == (1500, [1500])
    counted = client.post(url, {"given_away": "300", "returned": "150"}, htmx=True)
    assert counted.status_code == 200 and f.shows(counted, "Counted: 50 lost or damaged; 150 back in stock.")
    assert on_hand(app, world.acme, item_id) == (1650, [1650])
    again = client.post(url, {"given_away": "0", "returned": "10"}, htmx=True)
    assert again.status_code == 422 and on_hand(app, world.acme, item_id)[0] == 1650
    item_page = client.get(f"/t/acme/collateral/{item_id}")
    assert f.shows(item_page, "Sent to a show") and f.shows(item_page, "Back from a show")
    assert f.shows(item_page, "-500") and f.shows(item_page, "+150")
    assert f.shows(client.get(f"/t/acme/events/{event_id}"), "Collateral counted after the show")


def test_the_order_by_day_moves_with_the_show_and_tick_warns_once_per_day(app, client, world, smtp):
    item_id, location_id = stocked(app, world.acme, on_hand=400, level=300, lead=21)
    opens = date.today() + timedelta(days=40)
    client.sign_in("coord@acme.example")
    created = client.post("/t/acme/events", form(setup_on="", opens_on=opens.isoformat(),
                                                 closes_on=(opens + timedelta(days=3)).isoformat(), teardown_on=""))
    event_id = int(created.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/t/acme/collateral/events/{event_id}/take", {"item_id": str(item_id), "location_id": str(location_id),
                                                               "quantity": "200"})
    # 200 left of a level of 300, the show in 40 days, printing takes 21: order by day 19.
    listed = client.get("/t/acme/collateral")
    day = opens - timedelta(days=21)
    with app.test_request_context():
        from web.templating import dateformat

        shown = dateformat(day, "medium")
    assert f.shows(listed, shown)
    assert f.shows(client.get("/t/acme/"), "Collateral to reorder")
    set_locale(app, world.coordinator, "it")  # each person is warned in their own language
    with app.app_context():
        assert tick.run(app)["collateral"] == {"reorder_warnings": 1}
        assert tick.run(app)["collateral"] == {"reorder_warnings": 0}  # warned once
    to_giulia = smtp.to("coord@acme.example")
    assert len(to_giulia) == 1 and to_giulia[0]["Content-Language"] == "it"
    assert f.translated("Open the item", "it") in to_giulia[0].get_body(("html",)).get_content()
    assert len(smtp.to("manager@acme.example")) == 1 and smtp.to("rep@acme.example") == []
    client.post("/language", {"locale": "en", "next": "/"})  # back to reading English
    later = opens + timedelta(days=7)
    moved = client.post(f"/t/acme/events/{event_id}", form(setup_on="", opens_on=later.isoformat(),
                                                           closes_on=(later + timedelta(days=3)).isoformat(),
                                                           teardown_on="", version="1"))
    assert moved.status_code == 303
    with app.test_request_context():
        shown = dateformat(later - timedelta(days=21), "medium")
    assert f.shows(client.get(f"/t/acme/collateral/{item_id}"), shown)
    with app.app_context():
        assert tick.run(app)["collateral"] == {"reorder_warnings": 1}  # a new day, warned once again
        assert tick.run(app)["collateral"] == {"reorder_warnings": 0}
    with app.app_context(), tenant_context(world.acme.id):
        assert sorted(db.session.scalars(select(ReorderWarning.order_by))) == [day, later - timedelta(days=21)]


def test_a_mailing_that_encloses_the_brochure_before_the_show_brings_its_order_by_day_forward_until_sent(
        app, client, world, smtp):
    item_id, location_id = stocked(app, world.acme, on_hand=400, level=300, lead=21)
    opens = date.today() + timedelta(days=40)
    event_id = make_event(app, world.acme, name="HOMI Milano", opens_on=opens)
    client.sign_in("coord@acme.example")
    client.post(f"/t/acme/collateral/events/{event_id}/take", {"item_id": str(item_id), "location_id": str(location_id),
                                                               "quantity": "200"})
    goes_out = date.today() + timedelta(days=30)
    created = client.post(f"/t/acme/events/{event_id}/mailings", mailing_form(planned_on=goes_out.isoformat()))
    assert created.status_code == 303, text_of(created)[-2000:]
    url = created.headers["Location"]
    mailing_id = int(url.rsplit("/", 1)[1])
    needs = f"/t/acme/collateral/events/{event_id}/mailings/{mailing_id}/needs"

    def need(**changes):
        data = {"item_id": str(item_id), "quantity": "150", "planned_on": goes_out.isoformat()}
        data.update(changes)
        return client.post(needs, data, htmx=True)

    # Bad input: 422, a message in place, what was typed kept, nothing saved.
    unknown = need(item_id="999999", quantity="151")
    assert unknown.status_code == 422 and f.shows(unknown, "Choose one of the options.") and 'value="151"' in text_of(unknown)
    none = need(quantity="0")
    assert none.status_code == 422 and f.shows(none, "Enter a whole number from 1 to 10,000,000.")
    past = need(quantity="152", planned_on=(date.today() - timedelta(days=1)).isoformat())
    assert past.status_code == 422 and f.shows(past, "The mailing cannot go out in the past: choose today or a later day.")
    assert 'value="152"' in text_of(past)
    late = client.post(f"/t/acme/events/{event_id}/mailings",
                       mailing_form(planned_on=(date.today() - timedelta(days=2)).isoformat(), subject_en="Keep me"))
    assert late.status_code == 422 and f.shows(late, "The mailing cannot go out in the past: choose today or a later day.")
    assert f.shows(late, "Keep me")
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(func.count()).select_from(MailingCollateral)) == 0

    with app.test_request_context():
        from web.templating import dateformat

        by_show = dateformat(opens - timedelta(days=21), "medium")
        by_mailing = dateformat(goes_out - timedelta(days=21), "medium")
    assert f.shows(client.get(f"/t/acme/collateral/{item_id}"), by_show)
    added = need()
    assert added.status_code == 200 and f.shows(added, "Brochure 2027") and f.shows(added, "150")
    page = client.get(url)
    assert f.shows(page, "Collateral sent with it") and f.shows(page, "Brochure 2027")
    # The mailing goes out 10 days before the show: the brochure must be ordered 10 days sooner.
    assert f.shows(client.get(f"/t/acme/collateral/{item_id}"), by_mailing)
    assert f.shows(client.get("/t/acme/collateral"), by_mailing)
    home = client.get("/t/acme/")
    assert f.shows(home, "Collateral to reorder") and f.shows(home, by_mailing)
    with app.app_context():
        assert tick.run(app)["collateral"] == {"reorder_warnings": 1}
        assert tick.run(app)["collateral"] == {"reorder_warnings": 0}  # warned once for the mailing's day
    assert len(smtp.to("coord@acme.example")) == 1

    with app.app_context(), tenant_context(world.acme.id):
        from web.events.models import Mailing

        db.session.get(Mailing, mailing_id).status = "sent"
        db.session.commit()
    # Sent: it no longer needs anything, the show sets the day again (and it is a new day: warned once).
    assert f.shows(client.get(f"/t/acme/collateral/{item_id}"), by_show)
    assert f.shows(client.get("/t/acme/"), by_show)
    assert "Send collateral with the mailing" not in text_of(client.get(url))
    assert need(quantity="10").status_code == 422
    with app.app_context():
        assert tick.run(app)["collateral"] == {"reorder_warnings": 1}
        assert tick.run(app)["collateral"] == {"reorder_warnings": 0}
    with app.app_context(), tenant_context(world.acme.id):
        assert sorted(db.session.scalars(select(ReorderWarning.order_by))) == [goes_out - timedelta(days=21),
                                                                               opens - timedelta(days=21)]
        assert db.session.scalar(select(MailingCollateral.quantity)) == 150


def test_a_piece_taken_off_a_mailing_no_longer_counts_and_reps_cannot_change_it(app, client, make_client, world):
    item_id, _location_id = stocked(app, world.acme, on_hand=100, level=300, lead=21)
    event_id = make_event(app, world.acme, opens_on=date.today() + timedelta(days=80), attendees=[world.rep])
    with app.app_context(), tenant_context(world.acme.id):
        from web.events.models import Event, Mailing

        mailing = Mailing(event_id=event_id, kind="pre_show", status="draft", fallback_language="en")
        db.session.add(mailing)
        db.session.flush()
        mailing_id = mailing.id
        service.need_for_mailing(mailing, db.session.get(CollateralItem, item_id), 50, date.today() + timedelta(days=25),
                                 today=date.today(), actor_id=None)
        db.session.commit()
        assert service.order_by_days([db.session.get(CollateralItem, item_id)], date.today()) == {
            item_id: date.today() + timedelta(days=4)}
        need_id = db.session.scalar(select(MailingCollateral.id))
        assert db.session.get(Event, event_id) is not None
    drop = f"/t/acme/collateral/events/{event_id}/mailings/{mailing_id}/needs/{need_id}/delete"
    rep = make_client()
    rep.sign_in("rep@acme.example")
    assert rep.post(drop).status_code == 403
    client.sign_in("coord@acme.example")
    assert client.post(drop).status_code == 303
    assert client.post(drop).status_code == 404
    with app.app_context(), tenant_context(world.acme.id):
        assert service.order_by_days([db.session.get(CollateralItem, item_id)], date.today()) == {}


def test_a_show_far_away_or_enough_stock_warns_nobody(app, world):
    item_id, location_id = stocked(app, world.acme, on_hand=2000, level=300)
    event_id = make_event(app, world.acme, opens_on=date.today() + timedelta(days=20))
    with app.app_context(), tenant_context(world.acme.id):
        from web.events.models import Event

        service.take_to(db.session.get(Event, event_id), db.session.get(CollateralItem, item_id),
                        db.session.get(StockLocation, location_id), 100, actor_id=None)
        db.session.commit()
        assert tick.run(app)["collateral"] == {"reorder_warnings": 0}


def test_reps_read_the_inventory_but_do_not_change_it_and_distributors_see_nothing(app, client, make_client, world):
    item_id, location_id = stocked(app, world.acme)
    client.sign_in("rep@acme.example")
    assert client.get(f"/t/acme/collateral/{item_id}").status_code == 200
    assert client.post(f"/t/acme/collateral/{item_id}/stock", {"action": "received", "location_id": str(location_id),
                                                              "quantity": "1"}).status_code == 403
    with app.app_context():
        f.person(world.acme, "partner@distri.example", "distributor")
    partner = make_client()
    partner.sign_in("partner@distri.example")
    assert partner.get("/t/acme/collateral").status_code == 404
    assert partner.get(f"/t/acme/collateral/{item_id}").status_code == 404


def _bulk(app, world, count: int, start: int = 0) -> None:
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(insert(CollateralItem), [
            {"tenant_id": world.acme.id, "name": f"Item {i:05d}", "kind": "brochure", "language": "it", "version": "1",
             "reorder_level": 100, "lead_time_days": 14, "on_hand": i % 200, "row_version": 1}
            for i in range(start, start + count)])
        db.session.commit()


def test_the_inventory_runs_as_many_queries_for_10_as_for_5000_items(app, make_client, world, queries):
    pages = ["/t/acme/collateral", "/t/acme/collateral?low=1", "/t/acme/collateral?kind=brochure"]
    client = make_client()
    client.login("coord@acme.example")

    def measure():
        counts = []
        for url in pages:
            client.get(url)
            with queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    _bulk(app, world, 10)
    small = measure()
    _bulk(app, world, 4990, start=10)
    big = measure()
    assert small == big and max(big) <= 12, (small, big)


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_every_collateral_page_reads_in_italian_and_vietnamese(app, client, world, locale):
    item_id, location_id = stocked(app, world.acme, on_hand=400)
    event_id = make_event(app, world.acme, opens_on=date.today() + timedelta(days=25))
    with app.app_context(), tenant_context(world.acme.id):
        from web.events.models import Event

        service.take_to(db.session.get(Event, event_id), db.session.get(CollateralItem, item_id),
                        db.session.get(StockLocation, location_id), 200, actor_id=None)
        db.session.commit()
    with app.app_context(), tenant_context(world.acme.id):
        from web.collateral.models import Reprint

        reprint = Reprint(item_id=item_id, status="asking", quantity=1000)
        db.session.add(reprint)
        db.session.commit()
        reprint_id = reprint.id
        from web.events.models import Mailing

        mailing = Mailing(event_id=event_id, kind="pre_show", status="draft", fallback_language="en",
                          planned_on=date.today() + timedelta(days=10))
        db.session.add(mailing)
        db.session.flush()
        service.need_for_mailing(mailing, db.session.get(CollateralItem, item_id), 50, mailing.planned_on,
                                 today=date.today(), actor_id=None)
        db.session.commit()
        mailing_id = mailing.id
    set_locale(app, world.admin, locale)
    client.login("admin@acme.example")
    checks = {
        "/t/acme/collateral": ["Collateral", "Reorder level", "Order by", "Locations", "Add the location"],
        "/t/acme/collateral/new": ["New item", "Print lead time in days", "Warn when the stock gets this low."],
        f"/t/acme/collateral/{item_id}": ["In stock", "Per location", "Receive or count stock", "Sent to a show"],
        f"/t/acme/collateral/{item_id}/edit": ["Save the item"],
        f"/t/acme/events/{event_id}": ["Collateral at the show", "Record what came back", "Send collateral to the show"],
        "/t/acme/": ["Collateral to reorder"],
        f"/t/acme/collateral/reprints/{reprint_id}": ["The reps’ answers", "Close the questions: send to proofreading"],
        f"/t/acme/events/{event_id}/mailings/{mailing_id}": [
            "Collateral sent with it", "Until the mailing is sent, its day counts for each item’s order-by day.",
            "Send collateral with the mailing", "Goes out on", "Remove", "Add it"],
        f"/t/acme/events/{event_id}/mailings/new": ["Goes out on", "Printed pieces sent with it must be ready by then."],
    }
    for url, messages in checks.items():
        page = client.get(url)
        assert page.status_code == 200 and f'<html lang="{locale}"' in text_of(page), url
        for message in messages:
            assert f.shows(page, f.translated(message, locale)), (url, message)


def test_the_demo_has_collateral_in_three_languages_one_to_reorder_and_a_reconciled_show(app):
    from web import demo

    with app.app_context():
        demo.seed()
        from tenants.models import Tenant

        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        with tenant_context(tenant.id):
            languages = set(db.session.scalars(select(CollateralItem.language)))
            assert languages == {"it", "en", "vi"}
            assert [item.name for item, _day in service.to_reorder(date.today())] == ["Listino prezzi 2027"]
            assert db.session.scalar(select(func.count()).select_from(StockMove)
                                     .where(StockMove.reason == "returned")) == 1
            from web.collateral.models import Reprint

            assert db.session.scalar(select(Reprint.status)) == "asking"


def test_a_reprint_asks_the_reps_who_use_the_item_then_proofreading_approval_order_and_receipt(
        app, client, make_client, world, smtp):
    import re

    from web.collateral.models import Reprint, ReprintQuestion

    item_id, location_id = stocked(app, world.acme, on_hand=400)
    event_id = make_event(app, world.acme, attendees=(world.rep, world.coordinator))
    with app.app_context(), tenant_context(world.acme.id):
        from web.events.models import Event

        service.take_to(db.session.get(Event, event_id), db.session.get(CollateralItem, item_id),
                        db.session.get(StockLocation, location_id), 100, actor_id=None)
        db.session.commit()
    set_locale(app, world.rep, "it")
    client.sign_in("coord@acme.example")
    started = client.post(f"/t/acme/collateral/{item_id}/reprints", {"quantity": "1000"})
    assert started.status_code == 303
    url = started.headers["Location"]
    with app.app_context():
        tick.run(app)
    asked = smtp.to("rep@acme.example")
    assert len(asked) == 1 and smtp.to("rep2@acme.example") == []  # only the rep who took it to a show
    assert asked[0]["Content-Language"] == "it"
    link = re.search(r"http://localhost(/t/acme/collateral/reprints/answer/\S+)", asked[0].get_body(("plain",))
                     .get_content()).group(1)
    home = make_client()
    home.login("rep@acme.example")  # Marco reads Italian
    assert f.shows(home.get("/t/acme/"), f.translated("Reprints waiting for your answer", "it"))
    rep = make_client()
    page = rep.get(link)
    assert page.status_code == 200 and '<html lang="it">' in text_of(page)
    vague = rep.post(link, {"wants_changes": "yes", "changes": ""})
    assert vague.status_code == 422 and f.shows(vague, f.translated("Say which changes you want.", "it"))
    saved = rep.post(link, {"wants_changes": "yes", "changes": "Nuovo numero di telefono a pagina 2"})
    assert saved.status_code == 200 and f.shows(saved, f.translated("Thank you: your answer is saved.", "it"))
    assert f.shows(client.get(url), "Nuovo numero di telefono a pagina 2")
    assert client.post(f"{url}/advance", {}).status_code == 303  # proofreading
    unproofed = client.post(f"{url}/advance", {})
    assert unproofed.status_code == 422 and f.shows(unproofed, "Say who proofread it.")
    assert client.post(f"{url}/advance", {"proofreader": "Sara (design)"}).status_code == 303
    assert client.post(f"{url}/advance", {"notes": "Tipografia Berica, order 7781"}).status_code == 303
    nowhere = client.post(f"{url}/advance", {"received": "1000"})
    assert nowhere.status_code == 422 and f.shows(nowhere, "Say where the boxes went and how many arrived.")
    done = client.post(f"{url}/advance", {"location_id": str(location_id), "received": "1000"})
    assert done.status_code == 303
    assert on_hand(app, world.acme, item_id) == (1300, [1300])
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(Reprint.status)) == "received"
        assert db.session.scalar(select(ReprintQuestion.wants_changes)) is True
    late = rep.post(link, {"wants_changes": "no"})
    assert late.status_code == 422  # the questions are closed
    assert f.shows(client.get(f"/t/acme/collateral/{item_id}"), "Reprint")


def test_brochures_sent_in_a_shipment_are_on_its_packing_list_in_the_destinations_language(app, client, world):
    from web.events.models import Shipment

    item_id, location_id = stocked(app, world.acme)
    event_id = make_event(app, world.acme, name="HOMI Milano")
    with app.app_context(), tenant_context(world.acme.id):
        shipment = Shipment(event_id=event_id, carrier="dhl", tracking_number="1234567890", transit_days=5,
                            ship_by=date.today(), destination_country="IT", language="it", status="prepared")
        db.session.add(shipment)
        db.session.commit()
        shipment_id = shipment.id
    client.sign_in("coord@acme.example")
    sent = client.post(f"/t/acme/collateral/events/{event_id}/take", {
        "item_id": str(item_id), "location_id": str(location_id), "quantity": "500", "shipment_id": str(shipment_id)},
        htmx=True)
    assert sent.status_code == 200
    page = client.get(f"/t/acme/events/{event_id}/shipments/{shipment_id}")
    assert f.shows(page, "Brochure 2027 (IT, 2027)") and f.shows(page, "500 pieces")
    packing = client.get(f"/t/acme/events/{event_id}/shipments/{shipment_id}/packing-list")
    assert f.shows(packing, "Brochure 2027 (IT, 2027)") and '<html lang="it">' in text_of(packing)
    assert on_hand(app, world.acme, item_id)[0] == 1500
