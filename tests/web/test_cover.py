"""Cover: an away rep's new leads, hand-offs and renewal reminders reach the cover person (home page at once,
mail by the tick, once); the rep's accounts say who to contact; bad dates are a 422."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tenants.db import db
from tenants.scoping import tenant_context
from web.cover.models import Away
from web.leads.models import Handoff, Lead
from web.renewals.models import ContractReminder

from .. import factories as f
from .lead_helpers import count_rows, text_of

TODAY = date.today()


def _supported(app, world):
    """The coordinator supports Marco (the reports feature's "who supports whom")."""
    from web.reports.models import Support

    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(Support(rep_id=world.rep.id, coordinator_id=world.coordinator.id))
        db.session.commit()


def _away(client, **values):
    form = {"starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=5)).isoformat(), "cover": "", **values}
    return client.post("/t/acme/cover", form)


def test_bad_away_periods_are_refused_and_what_was_typed_stays(app, client, world):
    client.sign_in("rep@acme.example")
    backwards = _away(client, ends_on=(TODAY - timedelta(days=1)).isoformat(), note="Holiday in Sicily")
    assert backwards.status_code == 422 and "Holiday in Sicily" in backwards.get_data(as_text=True)
    assert _away(client, starts_on="soon").status_code == 422
    assert _away(client).status_code == 422  # nobody supports Marco and nobody was named
    assert _away(client, cover=str(world.rep.id)).status_code == 422
    assert count_rows(app, world.acme, Away) == 0


def test_what_comes_in_for_an_away_rep_reaches_the_coordinator(app, client, make_client, world, cf, smtp):
    from web import tick

    _supported(app, world)
    rep = make_client()
    rep.sign_in("rep@acme.example")
    assert _away(rep, note="Fair in Singapore").status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        away = db.session.scalars(select(Away)).one()
        assert (away.user_id, away.cover_id) == (world.rep.id, world.coordinator.id)  # the default: his coordinator
    account_id = cf.account(world.acme, name="Cover Account")
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=TODAY - timedelta(days=200))
    with app.app_context(), tenant_context(world.acme.id):
        # Handed to the rep and made his: listed once, as the hand-off.
        urgent = Lead(company="Urgent: booth request", source="web_form", status="handed_off",
                      handed_to_id=world.rep.id, owner_id=world.rep.id)
        own = Lead(company="Walk-in at the fair", source="event", status="new", owner_id=world.rep.id)
        db.session.add_all([urgent, own])
        db.session.flush()
        db.session.add(Handoff(lead_id=urgent.id, from_id=world.coordinator.id, to_id=world.rep.id, note="Call today"))
        db.session.add(ContractReminder(contract_id=contract_id, recipient_id=world.rep.id, threshold_days=30,
                                        deadline=TODAY + timedelta(days=30)))
        db.session.commit()
    client.sign_in("coord@acme.example")
    home = text_of(client.get("/t/acme/"))
    assert "You cover for Marco Rep" in home
    assert "Lead handed to Marco Rep:" in home and home.count("Urgent: booth request") == 1
    assert "New lead for Marco Rep:" in home and "Walk-in at the fair" in home
    assert "Renewal reminder for Marco Rep:" in home and "Cover Account" in home
    assert "Marco Rep is away until" in text_of(client.get(f"/t/acme/accounts/{account_id}"))
    assert tick.run(app)["cover"] == {"sent": 3}
    assert tick.run(app)["cover"] == {"sent": 0}  # each once
    mails = smtp.to("coord@acme.example")
    assert len(mails) == 3 and any("Urgent: booth request" in m["Subject"] for m in mails)
    # Someone else's home shows nothing of it; back early, the cover ends.
    other = make_client()
    other.sign_in("rep2@acme.example")
    assert "Urgent: booth request" not in text_of(other.get("/t/acme/"))
    assert other.post(f"/t/acme/cover/{away.id}/end").status_code == 404
    assert rep.post(f"/t/acme/cover/{away.id}/end").status_code == 303
    assert "You cover for" not in text_of(client.get("/t/acme/"))


def test_a_manager_says_a_rep_is_away_and_names_the_cover(app, client, world):
    client.sign_in("manager@acme.example")
    assert _away(client, who=str(world.rep2.id), cover=str(world.coordinator.id)).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        away = db.session.scalars(select(Away)).one()
        assert (away.user_id, away.cover_id, away.created_by_id) == (world.rep2.id, world.coordinator.id,
                                                                     world.manager.id)
    page = text_of(client.get("/t/acme/cover"))
    assert "Rosa Rep" in page and "Giulia Coordinator" in page


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_cover_in_italian_and_vietnamese(app, client, world, locale):
    _supported(app, world)
    with app.app_context():
        f.person(world.acme, f"cv-{locale}@acme.example", "manager", locale=locale)
    client.login(f"cv-{locale}@acme.example")
    assert _away(client, who=str(world.rep.id)).status_code == 303
    assert f.translated("Away and cover", locale) in text_of(client.get("/t/acme/cover"))
    coordinator = client
    coordinator.login("coord@acme.example")  # Italian, from their own profile
    if locale == "it":
        assert f.translated("What came in for them", "it") in text_of(coordinator.get("/t/acme/"))


def test_the_cover_persons_home_runs_the_same_queries_with_few_and_many_arrivals(app, client, world, queries):
    _supported(app, world)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(Away(user_id=world.rep.id, cover_id=world.coordinator.id, starts_on=TODAY,
                            ends_on=TODAY + timedelta(days=3)))
        db.session.commit()

    def add(count):
        with app.app_context(), tenant_context(world.acme.id):
            db.session.add_all([Lead(company=f"In {i}", source="event", status="new", owner_id=world.rep.id)
                                for i in range(count)])
            db.session.commit()

    def measure():
        with queries() as statements:
            assert client.get("/t/acme/").status_code == 200
        return len(statements)

    client.sign_in("coord@acme.example")
    add(5)
    client.get("/t/acme/")
    small = measure()
    add(400)
    assert measure() == small
