"""Activities: calls and follow-ups on leads and accounts, on the home page when due."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import g
from sqlalchemy import select

from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context
from web.accounts.models import Account
from web.activities.models import Activity

from .. import factories as f
from .. import lead_factories as lf
from .lead_helpers import (
    text_of,
)


def test_activities_and_follow_ups_show_on_the_lead_and_on_the_home_page(app, client, world):
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi", owner=world.coordinator)
    client.login("coord@acme.example")
    today = date.today()
    logged = client.post(f"/t/acme/activities/leads/{lead.id}", {"kind": "call", "subject": "Spoke to the assistant",
                                                                 "notes": "CEO back on Monday"}, htmx=True)
    assert logged.status_code == 200 and text_of(logged).startswith('<section class="card" id="activities"')
    client.post(f"/t/acme/activities/leads/{lead.id}", {"kind": "call", "subject": "Call the CEO",
                                                        "due_on": today.isoformat()})
    client.post(f"/t/acme/activities/leads/{lead.id}", {"kind": "email", "subject": "Send the price list",
                                                        "due_on": (today - timedelta(days=3)).isoformat()})
    client.post(f"/t/acme/activities/leads/{lead.id}", {"kind": "meeting", "subject": "Visit in Milan",
                                                        "due_on": (today + timedelta(days=9)).isoformat()})
    bad = client.post(f"/t/acme/activities/leads/{lead.id}", {"kind": "fax", "subject": "", "due_on": "soon"}, htmx=True)
    assert bad.status_code == 422 and f.shows(bad, f.translated("Enter a date (YYYY-MM-DD).", "it"))
    home = text_of(client.get("/t/acme/"))
    assert "Call the CEO" in home and "Send the price list" in home and "Visit in Milan" not in home
    assert "Spoke to the assistant" not in home  # history, not a follow-up
    assert home.count(f'<a href="/t/acme/leads/{lead.id}">Bottega Verdi</a>') == 2  # each says whose it is
    with app.app_context(), tenant_context(world.acme.id):
        overdue = db.session.scalar(select(Activity.id).where(Activity.subject == "Send the price list"))
    assert client.post(f"/t/acme/activities/{overdue}/done", {"back": "home"}).status_code == 303
    client.get("/t/acme/")  # the flash message
    assert "Send the price list" not in text_of(client.get("/t/acme/"))
    assert "Visit in Milan" in text_of(client.get("/t/acme/activities"))


def test_activities_on_an_account(app, client, make_client, world):
    account = lf.Bound(app).account(world.acme, name="Officine Rossi")
    client.login("manager@acme.example")
    # Due on the workspace's day (Rome, tests/factories.py), which is the server's next day for an hour each night.
    workspace_today = datetime.now(ZoneInfo("Europe/Rome")).date()
    done = client.post(f"/t/acme/activities/accounts/{account.id}", {"kind": "meeting", "subject": "Quarterly review",
                                                                     "due_on": workspace_today.isoformat(),
                                                                     "assignee_id": str(world.rep.id)}, htmx=True)
    assert done.status_code == 200 and "Quarterly review" in text_of(done)
    from web.activities import service as activities

    with app.app_context(), tenant_context(world.acme.id):
        listed = activities.of_account(account.id)
        assert [a.subject for a in listed] == ["Quarterly review"] and listed[0].assignee_id == world.rep.id
    rep = make_client()
    rep.login("rep@acme.example")
    assert "Quarterly review" in text_of(rep.get("/t/acme/"))
    stranger = make_client()
    stranger.login("rep2@acme.example")
    assert stranger.post(f"/t/acme/activities/{listed[0].id}/done").status_code == 403
    with app.test_request_context(), tenant_context(world.acme.id):  # the panel the account page includes
        from flask import render_template

        from web.activities.routes import account_panel

        g.tenant = db.session.get(Tenant, world.acme.id)
        template, context = account_panel(db.session.get(Account, account.id))
        panel = render_template(template, panel=context)
    # The form is asked for when "Log an activity" is opened, and posts to the account's activities.
    assert "Quarterly review" in panel and f'hx-get="/t/acme/activities/accounts/{account.id}/new"' in panel
    # Who logged it, for whom, and that it is due today.
    assert "Mia Manager" in panel and "for Marco Rep" in panel and "due today" in panel
    opened = client.get(f"/t/acme/activities/accounts/{account.id}/new", htmx=True)
    assert opened.status_code == 200 and f'action="/t/acme/activities/accounts/{account.id}"' in text_of(opened)
    assert "<html" not in text_of(opened)
    whole = text_of(client.get(f"/t/acme/activities/accounts/{account.id}/new"))  # no script: a page, form open
    assert "<html" in whole and "Quarterly review" in whole and 'name="subject"' in whole


def test_an_account_shows_its_activities_and_takes_a_follow_up(app, client, world, cf):
    account_id = cf.account(world.acme)
    client.sign_in("coord@acme.example")
    page = client.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert 'id="activities"' in page
    opener = re.search(r'hx-get="(/t/acme/activities/accounts/\d+/new)"', page).group(1)
    form_action = re.search(r'action="(/t/acme/activities/accounts/\d+)"', client.get(opener, htmx=True)
                            .get_data(as_text=True)).group(1)
    added = client.post(form_action, {"kind": "call", "subject": "Call Emily about the renewal",
                                      "due_on": date.today().isoformat(), "assignee_id": str(world.coordinator.id)})
    assert added.status_code in (200, 303)
    assert "Call Emily about the renewal" in client.get(f"/t/acme/accounts/{account_id}").get_data(as_text=True)
    assert "Call Emily about the renewal" in client.get("/t/acme/").get_data(as_text=True)  # today's follow-up

