"""A workspace's reference data kept per process: read once, and seen changed at once, whoever changed it."""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from tenants import reference
from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context
from web.questionnaire import service as questionnaire
from web.questionnaire.models import Question

from .. import lead_factories as lf
from ..conftest import count_queries
from ..web.lead_helpers import make_questionnaire, text_of


def _questionnaire_reads(statements) -> int:
    return sum(1 for s in statements if "FROM lead_questions" in s or "FROM lead_settings" in s)


def test_a_leads_page_reads_the_questionnaire_once_and_shows_each_change_at_once(app, client, make_client, world):
    budget, *_ = make_questionnaire(app, world)
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    client.login("manager@acme.example")
    assert "Is there a budget this year?" in text_of(client.get(f"/t/acme/leads/{lead.id}"))
    with count_queries(app) as statements:
        again = text_of(client.get(f"/t/acme/leads/{lead.id}"))
    assert "Is there a budget this year?" in again and _questionnaire_reads(statements) == 0
    assert "threshold of" not in again

    admin = make_client()
    admin.login("admin@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        version = db.session.get(Question, budget.id).version
    assert admin.post(f"/t/acme/leads/questionnaire/{budget.id}", {
        "kind": "yes_no", "text_en": "Did they set a budget?", "points_yes": "10", "points_no": "-5",
        "version": str(version)}).status_code == 303
    assert admin.post("/t/acme/leads/questionnaire/threshold", {"threshold": "-3"}).status_code == 303
    with count_queries(app) as statements:
        changed = text_of(client.get(f"/t/acme/leads/{lead.id}"))
    assert "Did they set a budget?" in changed and "Is there a budget this year?" not in changed
    assert _questionnaire_reads(statements) == 2  # read again once: the questions, the threshold
    assert "Did they set a budget?" in text_of(client.get(f"/t/acme/leads/{lead.id}"))


def test_a_change_committed_elsewhere_is_seen_by_the_next_request(app, client, world):
    """Another process's change: committed outside this app's requests, it reaches the next page all the same."""
    budget, *_ = make_questionnaire(app, world)
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    client.login("manager@acme.example")
    assert "Is there a budget this year?" in text_of(client.get(f"/t/acme/leads/{lead.id}"))
    with app.app_context(), tenant_context(world.acme.id):
        stamp = db.session.scalar(select(Tenant.reference_stamp).where(Tenant.id == world.acme.id))
        db.session.get(Question, budget.id).texts = {"en": "Who holds the budget?"}
        db.session.commit()
        assert db.session.scalar(select(Tenant.reference_stamp).where(Tenant.id == world.acme.id)) != stamp
    assert "Who holds the budget?" in text_of(client.get(f"/t/acme/leads/{lead.id}"))


def test_what_a_request_changed_and_rolled_back_is_never_kept(app, world):
    make_questionnaire(app, world)
    with app.test_request_context(), tenant_context(world.acme.id):
        g.tenant = db.session.get(Tenant, world.acme.id)
        kept = questionnaire.questions()
        assert questionnaire.questions()[0] is kept[0]  # the same objects: kept
        assert kept[0] not in db.session  # in no session: a commit cannot expire them
        first = db.session.get(Question, kept[0].id)
        first.texts = {"en": "Changed, then rolled back"}
        while_changing = questionnaire.questions()  # read in the request's session, with its change
        assert while_changing[0].texts == {"en": "Changed, then rolled back"}
        db.session.flush()
        db.session.rollback()
        assert questionnaire.questions()[0].texts["en"] != "Changed, then rolled back"
    with app.test_request_context(), tenant_context(world.acme.id):
        g.tenant = db.session.get(Tenant, world.acme.id)
        assert questionnaire.questions()[0].texts["en"] == "Is there a budget this year?"
        assert reference.kept("test", lambda session: object()) is reference.kept("test", lambda session: object())


def _reps_filter(client) -> str:
    """The contract list's sales rep filter: the workspace's people who sell."""
    page = text_of(client.get("/t/acme/contracts"))
    return page[page.index('id="contract-owner"'):page.index("</select>", page.index('id="contract-owner"'))]


def test_a_lists_people_are_read_once_and_follow_renames_arrivals_and_departures(app, client, make_client, world):
    from .. import factories as f

    client.login("manager@acme.example")
    assert "Marco Rep" in _reps_filter(client)
    with count_queries(app) as statements:
        assert "Marco Rep" in _reps_filter(client)
    assert not [s for s in statements if "JOIN memberships" in s]  # the people were kept

    rep = make_client()
    rep.login("rep@acme.example")
    assert rep.post("/profile", {"name": "Marco Rossi", "locale": "en", "timezone": "Europe/Rome",
                                 "display_currency": "EUR"}).status_code == 303
    people = _reps_filter(client)
    assert "Marco Rossi" in people and "Marco Rep" not in people
    with app.app_context():
        f.person(world.acme, "luca@acme.example", "rep", name="Luca Nuovo")  # joined meanwhile, elsewhere
    assert "Luca Nuovo" in _reps_filter(client)
    admin = make_client()
    admin.login("admin@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        from tenants.models import Membership
        membership_id = db.session.scalar(select(Membership.id).where(Membership.user_id == world.rep2.id))
    assert admin.post(f"/t/acme/team/members/{membership_id}/remove").status_code == 303
    assert "Rosa Rep" not in _reps_filter(client)


def test_deliverable_kinds_and_corporate_rates_are_read_once_until_an_admin_changes_them(app, client, make_client,
                                                                                        world):
    from ..web import distributor_helpers

    distributor_helpers.vnd_rate(app, world.acme, "27450")
    with app.app_context():
        lf.lead(world.acme, company="Saigon Print", value="54900000", currency="VND")
    client.login("manager@acme.example")
    assert "Podcast spot" not in text_of(client.get("/t/acme/deliverables"))  # the built-in kinds made, once
    client.get("/t/acme/deliverables")
    assert "€2,000.00" in text_of(client.get("/t/acme/leads"))  # the pipeline, converted at the corporate rate
    with count_queries(app) as statements:
        client.get("/t/acme/deliverables")
        assert "€2,000.00" in text_of(client.get("/t/acme/leads"))
    assert not [s for s in statements if "FROM deliverable_kinds" in s or "FROM corporate_rates" in s]
    admin = make_client()
    admin.login("admin@acme.example")
    assert admin.post("/t/acme/rates/corporate", {"currency": "VND", "day": "2026-06-01",
                                                  "rate": "30500"}).status_code == 303
    assert "€1,800.00" in text_of(client.get("/t/acme/leads"))
    assert admin.post("/t/acme/contracts/settings/kinds", {"name": "Podcast spot"}).status_code == 303
    assert "Podcast spot" in text_of(client.get("/t/acme/deliverables"))


def test_a_partner_is_never_handed_what_the_staff_read_nor_the_staff_what_a_partner_read(app, world):
    from tenants.scoping import partner_context
    from web.distributors import service as distributors

    from ..web import distributor_helpers

    p = distributor_helpers.partners(app, world)
    for partner_first in (False, True):
        with app.test_request_context(), tenant_context(world.acme.id):
            g.tenant = db.session.get(Tenant, world.acme.id)
            if partner_first:
                with partner_context(p.lotus.id):
                    assert [d.name for d in distributors.all_by_name()] == ["Lotus Trading"]
            staff = [d.name for d in distributors.all_by_name()]
            assert staff == ["Lotus Trading", "Merlion Distribution"]
            with partner_context(p.merlion.id):
                assert [d.name for d in distributors.all_by_name()] == ["Merlion Distribution"]
    distributor_helpers.distributor(app, world.acme, "Ayutthaya Imports", countries=("TH",))
    with app.test_request_context(), tenant_context(world.acme.id):
        g.tenant = db.session.get(Tenant, world.acme.id)
        assert "Ayutthaya Imports" in [d.name for d in distributors.all_by_name()]
