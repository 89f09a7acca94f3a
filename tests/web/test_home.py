"""The home page of a new workspace opens with its first steps, each ticked from the data as it is done, shown
to those who can do it, hidden for the whole workspace by an admin, and never across tenants."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from tenants.db import db
from tenants.models import Role, Tenant

from .. import factories as f
from .. import lead_factories
from ..conftest import Client

SIGNUP = {"company_name": "Lotus Events", "slug": "lotus", "base_currency": "EUR", "default_locale": "en",
          "timezone": "Europe/Rome", "owner_name": "Linh Owner", "email": "linh@lotus.example",
          "password": "lotus river 2026 kite", "nonce": "nonce-lotus"}
ALL_STEPS = ["Invite your team", "Confirm the base currency and exchange rates", "Add your first account",
             "Add a contract", "List what a contract promised", "Write the qualifying questionnaire",
             "Add or import your leads"]
SETTINGS = {"name": "Lotus Events", "base_currency": "EUR", "default_locale": "en", "timezone": "Europe/Rome",
            "fx_use_ecb": "y"}


def steps(page) -> dict[str, bool] | None:
    """The first steps the home page shows, each with whether it is ticked; None when there are none."""
    text = page if isinstance(page, str) else page.get_data(as_text=True)
    section = re.search(r'<section class="card first-steps".*?</section>', text, re.S)
    if section is None:
        return None
    items = re.findall(r'<li class="(done|todo)">.*?<a href="[^"]*">([^<]+)</a>(.*?)</li>', section.group(0), re.S)
    shown = {}
    for state, title, rest in items:
        # The tick is said in words (a "Done" badge), not only drawn.
        assert (state == "done") == ('<span class="badge ok">Done</span>' in rest)
        shown[html.unescape(title)] = state == "done"
    return shown


@pytest.fixture
def lf(app):
    return lead_factories.Bound(app)


def _signed_up(client):
    assert client.post("/signup", SIGNUP).status_code == 303
    client.forget_token()


def _lotus(app) -> Tenant:
    with app.app_context():
        return f.detach(db.session.scalar(select(Tenant).where(Tenant.slug == "lotus")))


def test_a_new_workspace_ticks_its_first_steps_as_the_owner_does_them(app, client):
    _signed_up(client)
    assert steps(client.get("/t/lotus/")) == dict.fromkeys(ALL_STEPS, False)

    account = client.post("/t/lotus/accounts", {"name": "Harbor Lane Outfitters", "country": "US", "language": "en",
                                                "currency": "USD"})
    assert account.status_code == 303
    shown = steps(client.get("/t/lotus/"))
    assert shown["Add your first account"] and not shown["Add a contract"]

    assert client.post("/t/lotus/team/invitations", {"email": "giulia@lotus.example", "role": "coordinator",
                                                     "locale": "it"}).status_code == 303
    assert client.post("/t/lotus/settings", SETTINGS).status_code == 303  # saved as it was: confirmed all the same
    assert client.post("/t/lotus/leads/questionnaire", {"kind": "yes_no", "text_en": "Do they exhibit at fairs?"},
                       ).status_code == 303
    shown = steps(client.get("/t/lotus/"))
    assert [title for title, done in shown.items() if not done] == [
        "Add a contract", "List what a contract promised", "Add or import your leads"]


def test_the_last_step_done_takes_the_checklist_away(app, client, cf, lf):
    _signed_up(client)
    lotus = _lotus(app)
    client.post("/t/lotus/settings", SETTINGS)
    with app.app_context():
        rep = f.person(lotus, "tuan@lotus.example", Role.rep)
    account_id = cf.account(lotus)
    cf.deliverable(lotus, cf.contract(lotus, account_id, rep))
    lf.question(lotus)
    assert steps(client.get("/t/lotus/")) == {title: title != "Add or import your leads" for title in ALL_STEPS}

    lf.lead(lotus)
    page = client.get("/t/lotus/")
    assert page.status_code == 200 and steps(page) is None


def test_a_workspace_with_every_step_done_is_not_asked_again_until_a_while_has_passed(app, client, cf, lf, queries,
                                                                                       monkeypatch):
    """Home stops asking about a checklist it would not show; a step undone meanwhile shows again once the kept
    answer has expired."""
    from sqlalchemy import delete

    from tenants.scoping import tenant_context
    from web.home import firstrun
    from web.leads.models import Lead

    _signed_up(client)
    lotus = _lotus(app)
    client.post("/t/lotus/settings", SETTINGS)
    with app.app_context():
        rep = f.person(lotus, "tuan@lotus.example", Role.rep)
    cf.deliverable(lotus, cf.contract(lotus, cf.account(lotus), rep))
    lf.question(lotus)
    lf.lead(lotus)
    assert steps(client.get("/t/lotus/")) is None
    with queries() as asked:
        assert steps(client.get("/t/lotus/")) is None
    with queries() as asked_again:
        client.get("/t/lotus/")
    assert len(asked) == len(asked_again)
    with app.app_context(), tenant_context(lotus.id):
        db.session.execute(delete(Lead))
        db.session.commit()
    assert steps(client.get("/t/lotus/")) is None  # the kept answer
    monkeypatch.setattr(firstrun, "ALL_DONE_KEPT", 0.0)
    with queries() as expired:
        shown = steps(client.get("/t/lotus/"))
    assert shown == {title: title != "Add or import your leads" for title in ALL_STEPS}
    assert len(expired) == len(asked) + 1  # the checklist's one statement


def test_each_role_sees_the_steps_it_can_do(app, make_client, world):
    # acme has a team already; nothing else is set up.
    seen = {}
    for who in ("owner", "admin", "manager", "coordinator", "rep"):
        client = make_client()
        client.sign_in(getattr(world, who).email)
        seen[who] = steps(client.get("/t/acme/"))
    # Six people are in already: the team step is ticked, the rest is still to do.
    assert seen["owner"] == seen["admin"] == {title: title == "Invite your team" for title in ALL_STEPS}
    assert list(seen["manager"]) == list(seen["coordinator"]) == [
        "Add your first account", "Add a contract", "List what a contract promised", "Add or import your leads"]
    assert seen["rep"] is None
    # Only admins may hide the steps for everyone.
    assert "Hide for everyone" not in client.get("/t/acme/").get_data(as_text=True)


def test_an_admin_hides_the_steps_for_the_workspace_and_only_for_it(app, client, make_client, world):
    coordinator = make_client()
    coordinator.sign_in(world.coordinator.email)
    assert coordinator.post("/t/acme/first-steps/hide").status_code == 403
    rival = make_client()
    rival.sign_in(world.rival_owner.email)
    # Another tenant's admin cannot reach this workspace's steps at all.
    assert rival.post("/t/acme/first-steps/hide").status_code == 404

    client.sign_in(world.admin.email)
    assert steps(client.get("/t/acme/")) is not None
    assert "Hide for everyone" in client.get("/t/acme/").get_data(as_text=True)
    hidden = client.post("/t/acme/first-steps/hide")
    assert hidden.status_code == 303 and hidden.headers["Location"].endswith("/t/acme/")
    assert f.shows(client.get("/t/acme/"), "The first steps are hidden for everyone.")
    assert steps(client.get("/t/acme/")) is None
    assert steps(coordinator.get("/t/acme/")) is None  # for the whole workspace

    assert steps(rival.get("/t/rival/")) is not None  # the other workspace keeps its own
    with app.app_context():
        assert db.session.scalar(select(Tenant.first_run_dismissed_at).where(Tenant.slug == "rival")) is None
    assert f.shows(client.get("/t/acme/audit"), "First steps hidden")  # who hid them, in the audit trail


def test_another_tenants_data_never_ticks_a_step(app, client, make_client, world, cf, lf):
    rival_account = cf.account(world.rival)
    cf.contract(world.rival, rival_account, world.rival_owner)
    lf.question(world.rival)
    client.sign_in(world.owner.email)
    shown = steps(client.get("/t/acme/"))
    assert not shown["Add your first account"] and not shown["Add a contract"]
    assert not shown["Write the qualifying questionnaire"]


def test_the_checklist_costs_one_query_however_much_is_done(app, make_client, world, queries, cf, lf):
    client = make_client()
    client.sign_in(world.owner.email)

    def home_queries() -> int:
        client.get("/t/acme/")  # rates and sessions warm
        with queries() as statements:
            response = client.get("/t/acme/")
        assert response.status_code == 200
        return len(statements)

    empty = home_queries()
    account_id = cf.account(world.acme)
    for _ in range(3):
        cf.deliverable(world.acme, cf.contract(world.acme, account_id, world.rep))
    lf.question(world.acme)
    assert home_queries() == empty
    # Hidden, it asks nothing at all.
    client.post("/t/acme/first-steps/hide")
    assert home_queries() == empty - 1


def test_the_first_steps_in_italian_and_vietnamese(app, client, make_client, world, cf):
    cf.account(world.acme)
    client.login(world.coordinator.email)  # Giulia reads Italian
    page = client.get("/t/acme/")
    assert '<html lang="it"' in page.get_data(as_text=True)
    assert f.shows(page, f'<span class="badge ok">{f.translated("Done", "it")}</span>')
    assert f.shows(page, f.translated("Import CSV", "it"))
    with app.app_context():
        lan = f.person(world.acme, "lan@acme.example", Role.manager, locale="vi")
    reader = make_client()
    reader.login(lan.email)
    page = reader.get("/t/acme/")
    assert '<html lang="vi"' in page.get_data(as_text=True)
    assert f.shows(page, f'<span class="badge ok">{f.translated("Done", "vi")}</span>')


def test_workspaces_already_at_work_when_the_first_steps_arrive_are_not_shown_them(tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from tests.conftest import app_config
    from web import create_app

    # Its own SQLite database, taken through the migrations as `coordina db upgrade` takes a live one.
    app = create_app(app_config({"DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}", "DATABASE_ADMIN_URL": None}))
    with app.app_context():
        upgrade(revision="0007")
        db.session.execute(text("INSERT INTO tenants (slug, name, base_currency, default_locale, timezone, fx_use_ecb, "
                                "fx_use_live, created_at) VALUES ('old', 'Old', 'EUR', 'en', 'Europe/Rome', 1, 0, "
                                "'2026-01-02 03:04:05.000000')"))
        db.session.commit()
        upgrade()
        old = f.detach(db.session.scalar(select(Tenant).where(Tenant.slug == "old")))
        assert old.settings_confirmed_at == old.created_at  # they have worked in their base currency
        veteran = f.person(old, "owner@old.example", Role.owner)
        newcomer = f.person(f.tenant("new"), "owner@new.example", Role.owner)
    try:
        client = Client(app)
        client.sign_in(veteran.email)
        home = client.get("/t/old/")
        assert home.status_code == 200 and steps(home) is None
        client = Client(app)
        client.sign_in(newcomer.email)
        assert steps(client.get("/t/new/")) is not None  # a workspace made after the upgrade gets them
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_home_panels_built_once_answer_each_reader_with_their_own_work(app, make_client, world, lf):
    """Home's reads are built once and run with the reader's id and today's date (tenants.scoping.built_once): two reps
    taking turns each see only their own follow-ups; a statement kept with the first reader's id would show the
    second one the first one's work."""
    from datetime import date, timedelta

    marco_lead = lf.lead(world.acme, company="Bottega Verdi", owner=world.rep)
    rosa_lead = lf.lead(world.acme, company="Nordwind Reisen", owner=world.rep2)
    yesterday = date.today() - timedelta(days=1)
    lf.activity(world.acme, marco_lead, subject="Call Verdi about the renewal", due_on=yesterday, assignee=world.rep)
    lf.activity(world.acme, rosa_lead, subject="Send Nordwind the rate card", due_on=yesterday, assignee=world.rep2)
    lf.activity(world.acme, rosa_lead, subject="Visit Nordwind next month", due_on=date.today() + timedelta(days=30),
                assignee=world.rep2)
    marco, rosa = make_client(), make_client()
    marco.sign_in("rep@acme.example")
    rosa.sign_in("rep2@acme.example")
    for _ in range(2):
        for reader, own, other in ((marco, "Call Verdi", "Nordwind"), (rosa, "Send Nordwind", "Call Verdi")):
            page = html.unescape(reader.get("/t/acme/").get_data(as_text=True))
            assert own in page and other not in page and "Visit Nordwind" not in page
