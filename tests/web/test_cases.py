"""Cases: SLA deadlines over business hours (weekends, DST, the wait on the client), the list and home ordered by
breach, the thread (notes, an email to the contact in their language over SMTP), status, priority and assignee with
optimistic locking, who sees what, the public case form, query counts and the pages in Italian and Vietnamese."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from tenants.audit import AuditEvent
from tenants.db import db, utcnow
from tenants.scoping import tenant_context
from web.accounts import service as accounts
from web.accounts.models import Account
from web.cases import business_hours, service
from web.cases.models import Case, CaseEntry, CaseSettings

from .. import factories as f
from .distributor_helpers import distributor, portal_user
from .lead_helpers import count_rows, text_of

ROME = ZoneInfo("Europe/Rome")
HOURS = business_hours.Hours("Europe/Rome")


def rome(*args) -> datetime:
    return datetime(*args, tzinfo=ROME).astimezone(timezone.utc)


# --- SLA maths ---------------------------------------------------------------------------------------------------


def test_a_friday_evening_case_in_rome_is_due_on_monday():
    friday = rome(2026, 11, 27, 17, 30)  # a Friday, half an hour before closing
    assert business_hours.add_business_minutes(friday, 60, HOURS) == rome(2026, 11, 30, 9, 30)
    assert business_hours.add_business_minutes(friday, 30, HOURS) == rome(2026, 11, 27, 18, 0)
    # Written in on Saturday: the clock starts on Monday morning.
    assert business_hours.add_business_minutes(rome(2026, 11, 28, 11, 0), 4 * 60, HOURS) == rome(2026, 11, 30, 13, 0)
    assert business_hours.business_minutes_between(friday, rome(2026, 11, 30, 9, 30), HOURS) == 60


def test_the_deadlines_follow_the_clock_change():
    # The last Sunday of October 2026 Italy goes from UTC+2 to UTC+1: Monday 10:00 is 09:00 UTC, not 08:00.
    friday = rome(2026, 10, 23, 17, 0)
    due = business_hours.add_business_minutes(friday, 2 * 60, HOURS)
    assert due == rome(2026, 10, 26, 10, 0) and due == datetime(2026, 10, 26, 9, 0, tzinfo=timezone.utc)
    assert business_hours.business_minutes_between(friday, due, HOURS) == 120
    # Spring: 9 working hours on the Monday after the change are still 9.
    assert business_hours.business_minutes_between(rome(2026, 3, 27, 18, 0), rome(2026, 3, 30, 18, 0), HOURS) == 9 * 60


def _open(app, world, *, priority="normal", now=None, **values):
    with app.app_context(), tenant_context(world.acme.id):
        case = service.open_case(subject=values.pop("subject", "Banner link broken"), channel="phone",
                                 priority=priority, now=now, **values)
        db.session.commit()
        return case.id


def _case(app, world, case_id) -> Case:
    with app.app_context(), tenant_context(world.acme.id):
        return f.detach(db.session.get(Case, case_id))


def _rome_tenant(app, world):
    with app.app_context():
        world.acme.timezone = "Europe/Rome"
        db.session.merge(world.acme)
        db.session.commit()


def test_waiting_on_the_client_moves_both_deadlines_on_by_the_working_time_waited(app, world):
    _rome_tenant(app, world)
    monday = rome(2026, 11, 30, 9, 0)
    case_id = _open(app, world, now=monday)
    before = _case(app, world, case_id)
    assert before.first_answer_due_at == rome(2026, 11, 30, 18, 0)  # normal: 9 business hours
    assert before.resolution_due_at == rome(2026, 12, 4, 18, 0)  # 5 working days
    with app.app_context(), tenant_context(world.acme.id):
        case = db.session.get(Case, case_id)
        service.update(case, status="waiting", priority="normal", assignee_id=None, version=case.version,
                       actor_id=world.coordinator.id, now=rome(2026, 11, 30, 10, 0))
        case = db.session.get(Case, case_id)
        # Waiting from Monday 10:00 to Tuesday 12:00: 8 + 3 = 11 working hours.
        service.update(case, status="open", priority="normal", assignee_id=None, version=case.version,
                       actor_id=world.coordinator.id, now=rome(2026, 12, 1, 12, 0))
    after = _case(app, world, case_id)
    assert after.waiting_since is None
    assert after.first_answer_due_at == business_hours.add_business_minutes(rome(2026, 11, 30, 18, 0), 11 * 60,
                                                                     business_hours.Hours("Europe/Rome"))
    assert after.first_answer_due_at == rome(2026, 12, 2, 11, 0)
    # Friday 18:00 + 11h: over the weekend, 9 hours on Monday, 2 on Tuesday.
    assert after.resolution_due_at == rome(2026, 12, 8, 11, 0)
    # A new priority counts again from when the case came in, the 11 hours waited still added.
    with app.app_context(), tenant_context(world.acme.id):
        case = db.session.get(Case, case_id)
        service.update(case, status="open", priority="urgent", assignee_id=None, version=case.version,
                       actor_id=world.coordinator.id, now=rome(2026, 12, 1, 13, 0))
    urgent = _case(app, world, case_id)
    assert urgent.first_answer_due_at == rome(2026, 12, 1, 12, 0)  # Monday 9:00 + 1h + 11h waited
    assert urgent.resolution_due_at == rome(2026, 12, 1, 15, 0)  # Monday 9:00 + 4h + 11h


def test_a_new_priority_counts_the_deadlines_again_from_when_the_case_came_in(app, world):
    _rome_tenant(app, world)
    monday = rome(2026, 11, 30, 9, 0)
    case_id = _open(app, world, now=monday)
    with app.app_context(), tenant_context(world.acme.id):
        case = db.session.get(Case, case_id)
        service.update(case, status="new", priority="urgent", assignee_id=None, version=case.version,
                       actor_id=world.coordinator.id, now=rome(2026, 11, 30, 15, 0))
        assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == case_id)).all() == [
            "case.opened", "case.priority"]
    after = _case(app, world, case_id)
    assert after.first_answer_due_at == rome(2026, 11, 30, 10, 0) and after.resolution_due_at == rome(2026, 11, 30, 13, 0)


# --- the pages ---------------------------------------------------------------------------------------------------


def _account(app, world, cf, *, name="Pasticceria Dolce", language="it", owner=None):
    account_id = cf.account(world.acme, name=name, country="IT", currency="EUR")
    with app.app_context(), tenant_context(world.acme.id):
        account = db.session.get(Account, account_id)
        contact = accounts.add_contact(account, accounts.ContactData(name="Lucia Bianchi",
                                                                     email=f"lucia@{name.split()[0].lower()}.example",
                                                                     language=language), actor_id=None)
        db.session.commit()
        contact_id = contact.id
    contract_id = cf.contract(world.acme, account_id, owner or world.rep, currency="EUR")
    return account_id, contact_id, contract_id


def _new(client, account_id, **values):
    form = {"account": str(account_id), "contact": "", "contract": "", "deliverable": "", "channel": "phone",
            "priority": "normal", "assignee": "", "subject": "The banner links to a dead page",
            "description": "Their homepage banner gives a 404 since Monday.", **values}
    return client.post("/t/acme/cases", form)


def test_a_coordinator_opens_a_case_answers_the_contact_in_italian_and_solves_it(app, client, world, cf, smtp):
    from web import tick

    account_id, contact_id, contract_id = _account(app, world, cf)
    client.sign_in("manager@acme.example")
    form = client.get(f"/t/acme/cases/new?account_id={account_id}")
    assert form.status_code == 200 and "Lucia Bianchi" in text_of(form)
    # Choosing an account (htmx or the no-JS button) brings its contacts and contracts, keeping what was typed.
    refreshed = client.get(f"/t/acme/cases/new?account={account_id}&subject=Half+typed", htmx=True)
    assert "Lucia Bianchi" in text_of(refreshed) and 'value="Half typed"' in text_of(refreshed)
    created = _new(client, account_id, contact=str(contact_id), contract=str(contract_id), priority="high",
                   assignee=str(world.coordinator.id))
    assert created.status_code == 303
    case_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = text_of(client.get(f"/t/acme/cases/{case_id}"))
    assert "The banner links to a dead page" in page and "First answer due in" in page
    assert client.post(f"/t/acme/cases/{case_id}/notes", {"note": "Checked: the landing page is gone."}).status_code == 303
    assert _case(app, world, case_id).first_answered_at is None  # a note is not an answer to the client
    sent = client.post(f"/t/acme/cases/{case_id}/emails", {"message": "Ci scusiamo: stiamo correggendo il link."})
    assert sent.status_code == 303
    case = _case(app, world, case_id)
    assert case.first_answered_at is not None and case.status == "open"
    tick.run(app)
    mail = smtp.to("lucia@pasticceria.example")[0]
    assert mail["Subject"] == f"[Caso #{case_id}] The banner links to a dead page"
    assert "Ci scusiamo" in mail.get_body(("plain",)).get_content()
    version = case.version
    assert client.post(f"/t/acme/cases/{case_id}", {"status": "solved", "priority": "high",
                                                    "assignee": str(world.coordinator.id),
                                                    "version": str(version)}).status_code == 303
    # Someone with the old page open is told, and nothing is overwritten.
    stale = client.post(f"/t/acme/cases/{case_id}", {"status": "closed", "priority": "low", "assignee": "",
                                                     "version": str(version)})
    assert stale.status_code == 409 and f.shows(stale, "Someone changed this case while you were looking at it")
    assert _case(app, world, case_id).status == "solved" and _case(app, world, case_id).priority == "high"
    thread = text_of(client.get(f"/t/acme/cases/{case_id}"))
    assert thread.index("Checked: the landing page") < thread.index("Ci scusiamo") < thread.index("Status: Open → Solved")
    with app.app_context(), tenant_context(world.acme.id):
        kinds = db.session.scalars(select(CaseEntry.kind).where(CaseEntry.case_id == case_id)
                                   .order_by(CaseEntry.id)).all()
        assert kinds == ["system", "note", "email", "status", "status"]
        actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == "case")))
        assert {"case.opened", "case.status"} <= actions
    # Reopened, it is open again; the account and contract pages list it.
    case = _case(app, world, case_id)
    assert client.post(f"/t/acme/cases/{case_id}", {"status": "open", "priority": "high",
                                                    "assignee": str(world.coordinator.id),
                                                    "version": str(case.version)}).status_code == 303
    assert _case(app, world, case_id).solved_at is None
    for url, panel_id in ((f"/t/acme/accounts/{account_id}", "cases-account"),
                          (f"/t/acme/contracts/{contract_id}", "cases-contract")):
        page = text_of(client.get(url))
        panel = page[page.index(f'id="{panel_id}"'):]
        panel = panel[:panel.index("</section>")]
        # Each line: the case, its status, who has it and the deadline it answers to.
        assert "The banner links to a dead page" in panel and "Open" in panel and "Giulia Coordinator" in panel
        assert "Resolution due in" in panel, panel


def test_a_note_marked_answered_by_phone_is_the_first_answer(app, client, world, cf):
    account_id, _contact, _contract = _account(app, world, cf)
    client.sign_in("coord@acme.example")
    case_id = int(_new(client, account_id).headers["Location"].rsplit("/", 1)[1])
    client.post(f"/t/acme/cases/{case_id}/notes", {"note": "Richiamata la cliente", "answered": "y"})
    assert _case(app, world, case_id).first_answered_at is not None


def test_bad_input_is_a_422_with_everything_kept(app, client, world, cf):
    account_id, contact_id, _contract = _account(app, world, cf)
    other_id, other_contact, _c = _account(app, world, cf, name="Ferramenta Rossi")
    client.sign_in("coord@acme.example")
    no_subject = _new(client, account_id, subject="", description="Chiamata alle 10, molto arrabbiato")
    assert no_subject.status_code == 422 and f.shows(no_subject, "Say in a few words what it is about.")
    assert "Chiamata alle 10, molto arrabbiato" in text_of(no_subject)
    wrong_contact = _new(client, account_id, contact=str(other_contact))
    assert wrong_contact.status_code == 422
    assert _new(client, "").status_code == 422
    assert count_rows(app, world.acme, Case) == 0
    case_id = int(_new(client, account_id).headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/t/acme/cases/{case_id}/notes", {"note": "  "}).status_code == 422
    bad_status = client.post(f"/t/acme/cases/{case_id}", {"status": "nonsense", "priority": "normal",
                                                          "version": "1"})
    assert bad_status.status_code == 422
    assert count_rows(app, world.acme, CaseEntry, CaseEntry.kind == "note") == 0


def test_an_email_needs_someone_to_go_to(app, client, world, cf):
    account_id = cf.account(world.acme, name="No Contacts Srl")
    client.sign_in("coord@acme.example")
    case_id = int(_new(client, account_id).headers["Location"].rsplit("/", 1)[1])
    response = client.post(f"/t/acme/cases/{case_id}/emails", {"message": "Hello"})
    assert response.status_code == 422 and f.shows(response, "has no contact with an email address")


def test_the_list_filters_and_says_where_each_case_stands(app, client, world, cf):
    account_id, _c, _k = _account(app, world, cf)
    now = utcnow()
    late = _open(app, world, subject="Late one", account_id=account_id, now=now - timedelta(days=20),
                 assignee_id=world.coordinator.id)
    _open(app, world, subject="Fresh one", account_id=account_id, priority="low", assignee_id=world.manager.id)
    client.sign_in("coord@acme.example")
    page = text_of(client.get("/t/acme/cases"))
    assert "Late one" in page and "Fresh one" in page and "First answer overdue by" in page
    assert "First answer due in" in page
    mine = text_of(client.get("/t/acme/cases?assignee=mine"))
    assert "Late one" in mine and "Fresh one" not in mine
    overdue = text_of(client.get("/t/acme/cases?overdue=1"))
    assert "Late one" in overdue and "Fresh one" not in overdue
    assert "Late one" not in text_of(client.get("/t/acme/cases?priority=low"))
    assert "Late one" not in text_of(client.get("/t/acme/cases?q=fresh"))
    assert "Fresh one" not in text_of(client.get("/t/acme/cases?status=solved"))
    assert late


def test_the_list_in_deadline_order_puts_the_longest_breached_first_and_pages(app, client, world, cf):
    account_id, _c, _k = _account(app, world, cf)
    now = utcnow()
    for days, subject in ((3, "Three days"), (30, "Thirty days"), (0, "Today"), (10, "Ten days")):
        _open(app, world, subject=subject, account_id=account_id, now=now - timedelta(days=days))
    client.sign_in("coord@acme.example")
    page = text_of(client.get("/t/acme/cases?sort=due"))
    order = [page.index(s) for s in ("Thirty days", "Ten days", "Three days", "Today")]
    assert order == sorted(order)
    newest = text_of(client.get("/t/acme/cases"))
    assert newest.index("Today") < newest.index("Thirty days")
    with app.app_context(), tenant_context(world.acme.id):
        me = db.session.get(type(world.coordinator), world.coordinator.id)
        first = service.list_page(me, "coordinator", service.Filters(sort="due"), after=None, now=now, limit=2)
        second = service.list_page(me, "coordinator", service.Filters(sort="due"), after=first.next, now=now,
                                   limit=2)
        assert [c.subject for c in first.rows + second.rows] == ["Thirty days", "Ten days", "Three days", "Today"]
        assert second.next is None
    # A cursor edited by hand is refused, never a 500.
    import base64

    edited = base64.urlsafe_b64encode(b'["yesterday",1]').decode().rstrip("=")
    assert client.get(f"/t/acme/cases?sort=due&after={edited}").status_code == 400


def test_home_lists_the_readers_cases_overdue_first_in_order_of_breach(app, client, world, cf):
    account_id, _c, _k = _account(app, world, cf)
    now = utcnow()
    _open(app, world, subject="Broken two days ago", account_id=account_id, priority="urgent",
          now=now - timedelta(days=4), assignee_id=world.coordinator.id)
    _open(app, world, subject="Broken weeks ago", account_id=account_id, priority="normal",
          now=now - timedelta(days=30), assignee_id=world.coordinator.id)
    _open(app, world, subject="Not mine", account_id=account_id, now=now - timedelta(days=30),
          assignee_id=world.manager.id)
    _open(app, world, subject="Not late", account_id=account_id, priority="low", assignee_id=world.coordinator.id)
    client.sign_in("coord@acme.example")
    home = text_of(client.get("/t/acme/"))
    assert "Broken weeks ago" in home and "2 overdue" in home
    panel = home[home.index('id="cases-overdue"'):]
    assert panel[:panel.index("</section>")].count("Pasticceria Dolce") == 3  # each case says whose it is
    # The longest breached on top, then the next breached, then what is not late yet; never someone else's.
    assert home.index("Broken weeks ago") < home.index("Broken two days ago") < home.index("Not late")
    assert "Not mine" not in home


def test_reps_see_their_clients_cases_only_and_distributors_nothing(app, client, make_client, world, cf):
    mine, _c, _k = _account(app, world, cf, name="Marco Client", owner=world.rep)
    theirs, _c2, _k2 = _account(app, world, cf, name="Rosa Client", owner=world.rep2)
    own = _open(app, world, subject="Marco's client case", account_id=mine)
    other = _open(app, world, subject="Rosa's client case", account_id=theirs)
    client.sign_in("rep@acme.example")
    listed = client.get("/t/acme/cases")
    assert f.shows(listed, "Marco's client case") and not f.shows(listed, "Rosa's client case")
    assert client.get(f"/t/acme/cases/{own}").status_code == 200
    assert client.get(f"/t/acme/cases/{other}").status_code == 404
    assert client.post(f"/t/acme/cases/{other}/notes", {"note": "x"}).status_code == 404
    assert _new(client, theirs).status_code == 422  # not an account of his
    partner = distributor(app, world.acme)
    portal_user(app, world.acme, partner, "minh@lotus.example")
    outsider = make_client()
    outsider.sign_in("minh@lotus.example")
    for url in ("/t/acme/cases", "/t/acme/cases/new", f"/t/acme/cases/{own}", "/t/acme/cases/settings"):
        assert outsider.get(url).status_code == 404, url


def test_another_tenants_case_is_a_404(app, client, make_client, world):
    case_id = _open(app, world, subject="Acme only")
    rival = make_client()
    rival.sign_in("owner@rival.example")
    for url in (f"/t/rival/cases/{case_id}", f"/t/acme/cases/{case_id}"):
        assert rival.get(url).status_code == 404
    assert rival.post(f"/t/rival/cases/{case_id}/notes", {"note": "x"}).status_code == 404
    assert rival.post(f"/t/rival/cases/{case_id}", {"status": "closed", "priority": "low", "version": "1"}).status_code == 404
    assert "Acme only" not in text_of(rival.get("/t/rival/cases"))


def test_admins_set_the_sla_and_business_hours(app, client, make_client, world):
    client.sign_in("admin@acme.example")
    assert client.get("/t/acme/cases/settings").status_code == 200
    form = {f"{p}_{k}": v for p in ("urgent", "high", "normal", "low") for k, v in (("first", "2"), ("resolution", "8"))}
    bad = client.post("/t/acme/cases/settings", {**form, "normal_resolution": "1", "workdays": ["1", "2"],
                                                 "day_starts": "9:00", "day_ends": "8:00"})
    assert bad.status_code == 422 and f.shows(bad, "The working day must end after it starts.")
    assert f.shows(bad, "Solving cannot take less time than the first answer.")
    ok = client.post("/t/acme/cases/settings", {**form, "workdays": ["1", "2", "3", "4", "5", "6"],
                                                "day_starts": "08:30", "day_ends": "17:00", "webform_enabled": "y",
                                                "webform_assignee": str(world.coordinator.id)})
    assert ok.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        row = db.session.scalars(select(CaseSettings)).one()
        assert (row.workdays, row.day_starts, row.day_ends, row.webform_enabled) == ("123456", 510, 1020, True)
        assert service.sla_minutes("urgent") == (120, 480)
    coordinator = make_client()
    coordinator.sign_in("coord@acme.example")
    assert coordinator.get("/t/acme/cases/settings").status_code == 403


# --- the public case form ----------------------------------------------------------------------------------------

VISITOR = {"name": "Lucia Bianchi", "email": "LUCIA@pasticceria.example", "company": "Pasticceria Dolce",
           "subject": "Il banner non funziona", "message": "Il link porta a una pagina 404.", "language": "it"}


def _enable_form(app, world):
    with app.app_context(), tenant_context(world.acme.id):
        row = service.settings()
        row.webform_enabled, row.webform_assignee_id = True, world.manager.id
        db.session.commit()


def test_the_public_form_is_off_until_an_admin_turns_it_on(app, client, world):
    assert client.get("/t/acme/cases/write").status_code == 404
    assert client.http.post("/t/acme/cases/write", data=VISITOR).status_code == 404
    _enable_form(app, world)
    page = client.get("/t/acme/cases/write?embed=1")
    assert page.status_code == 200 and "frame-ancestors *" in page.headers["Content-Security-Policy"]


def test_a_client_writes_in_and_gets_a_case_number_in_their_language(app, client, world, cf, smtp):
    from web import tick

    account_id, contact_id, _contract = _account(app, world, cf)
    _enable_form(app, world)
    sent = client.http.post("/t/acme/cases/write", data=VISITOR)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/t/acme/cases/write/thanks")
    with app.app_context(), tenant_context(world.acme.id):
        case = db.session.scalars(select(Case)).one()
        assert (case.account_id, case.contact_id, case.channel, case.requester_locale) == (
            account_id, contact_id, "web_form", "it")
        assert case.assignee_id == world.rep.id  # the account's rep has no coordinator: the rep
        case_id = case.id
    tick.run(app)
    mail = smtp.to("lucia@pasticceria.example")[0]
    assert f"#{case_id}" in mail["Subject"] and "Abbiamo ricevuto" in mail["Subject"]
    assert "http://localhost/t/acme/cases/write" in mail.get_body(("plain",)).get_content()


def test_a_stranger_writing_in_goes_to_the_forms_person(app, client, world):
    _enable_form(app, world)
    assert client.http.post("/t/acme/cases/write", data={**VISITOR, "email": "new@stranger.example",
                                                         "language": "vi"}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        case = db.session.scalars(select(Case)).one()
        assert (case.account_id, case.assignee_id, case.requester_email) == (None, world.manager.id,
                                                                             "new@stranger.example")


def test_the_public_form_refuses_bots_and_bad_input_and_is_rate_limited(app, client, world):
    _enable_form(app, world)
    bot = client.http.post("/t/acme/cases/write", data={**VISITOR, "url": "http://spam.example"})
    assert bot.status_code == 422 and f.shows(bot, "leave the last field empty")
    bad = client.http.post("/t/acme/cases/write", data={**VISITOR, "email": "lucia-at-dolce", "subject": ""})
    assert bad.status_code == 422 and f.shows(bad, "Enter a valid email address")
    assert "Il link porta a una pagina 404." in text_of(bad)
    assert count_rows(app, world.acme, Case) == 0
    codes = [client.http.post("/t/acme/cases/write", data=VISITOR).status_code for _ in range(9)]
    assert codes[:8] == [303] * 8 and codes[8] == 429  # ten a minute, the two refused ones included
    assert count_rows(app, world.acme, Case) == 8


# --- query counts and languages ----------------------------------------------------------------------------------


def _bulk(app, world, account_id, count, assignee_id):
    now = utcnow()
    rows = [dict(tenant_id=world.acme.id, subject=f"Bulk case {i}", channel="phone", priority="normal",
                 status="new", account_id=account_id, assignee_id=assignee_id, created_at=now - timedelta(days=30),
                 updated_at=now, first_answer_due_at=now - timedelta(days=i % 20 + 1),
                 resolution_due_at=now + timedelta(days=1), version=1) for i in range(count)]
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(insert(Case), rows)
        db.session.commit()


def test_the_list_and_home_run_the_same_queries_with_10_and_5000_cases(app, client, world, cf, queries):
    account_id = cf.account(world.acme, name="Bulk Client")
    client.sign_in("coord@acme.example")

    def measure(url):
        with queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    _bulk(app, world, account_id, 10, world.coordinator.id)
    client.get("/t/acme/cases")
    small = {url: measure(url) for url in ("/t/acme/cases", "/t/acme/cases?overdue=1&assignee=mine&sort=due",
                                           "/t/acme/")}
    _bulk(app, world, account_id, 4990, world.coordinator.id)
    large = {url: measure(url) for url in small}
    assert large == small, (small, large)


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_the_case_pages_in_italian_and_vietnamese(app, client, world, cf, locale):
    account_id, _c, _k = _account(app, world, cf)
    case_id = _open(app, world, subject="Banner", account_id=account_id, now=utcnow() - timedelta(days=10))
    with app.app_context():
        f.person(world.acme, f"cases-{locale}@acme.example", "admin", locale=locale)
    client.login(f"cases-{locale}@acme.example")
    listed = text_of(client.get("/t/acme/cases"))
    assert f.translated("Cases", locale) in listed and f.translated("Overdue only", locale) in listed
    shown = text_of(client.get(f"/t/acme/cases/{case_id}"))
    assert f.translated("Email the client", locale) in shown and f.translated("Add a note", locale) in shown
    assert f.translated("Case settings", locale) in text_of(client.get("/t/acme/cases/settings"))
    assert f.translated("New case", locale) in text_of(client.get("/t/acme/cases/new"))


def test_a_case_on_a_contract_goes_to_its_coordinator_or_to_whoever_covers_for_them(app, world, cf):
    from datetime import date

    from web.cases import service as cases
    from web.cover import service as cover

    account_id = cf.account(world.acme, name="Covered Client")
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator)
    today = date.today()
    with app.app_context(), tenant_context(world.acme.id):
        first = cases.open_case(subject="Banner link dead", channel="link_check", contract_id=contract_id,
                                account_id=account_id)
        assert first.assignee_id == world.coordinator.id
        db.session.commit()
        cover.set_away(user_id=world.coordinator.id, cover_id=world.manager.id, starts_on=today - timedelta(days=1),
                       ends_on=today + timedelta(days=3), note=None, actor_id=None)
        second = cases.open_case(subject="Invoice question", channel="phone", contract_id=contract_id,
                                 account_id=account_id)
        assert second.assignee_id == world.manager.id


def test_the_kept_spans_say_what_babel_says_for_every_length_and_language(app):
    """web.cases.routes._span keeps a due time's words by the unit and number shown: for lengths around every
    unit's edge, in each shipped language, they are Babel's own words for that very length."""
    from datetime import timedelta

    import flask_babel

    from web.cases.routes import _span

    lengths = [timedelta(minutes=1), timedelta(minutes=59), timedelta(minutes=66), timedelta(hours=25),
               timedelta(hours=26.4), timedelta(days=1.1), timedelta(days=7.4), timedelta(days=7.6),
               timedelta(days=8), timedelta(days=31), timedelta(days=33), timedelta(days=380), timedelta(seconds=0.4)]
    for locale in ("en", "it", "vi"):
        with app.test_request_context("/"), flask_babel.force_locale(locale):
            for _ in range(2):  # worked out, then kept
                for length in lengths:
                    assert _span(length) == flask_babel.format_timedelta(length, threshold=1.1), (locale, length)
