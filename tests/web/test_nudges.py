"""Nudges: a rule (a banner not live, a discount not claimed, a contract N days old) makes one nudge per deliverable
or contract whatever the ticks; after its hold the tick emails the client contact in their language (or makes a
check-in task); the coordinator previews, edits, skips or sends now; the contract's page says what came of it."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select, update

from tenants.db import db, utcnow
from tenants.scoping import tenant_context
from web import tick
from web.accounts import service as accounts
from web.activities.models import Activity
from web.deliverables.models import DeliverableKind
from web.nudges import rules, service
from web.nudges.models import Nudge, NudgeRule, NudgeTemplate
from web.reports.service import set_support
from web.traffic.models import Placement, TrafficDay

from .. import factories as f
from .distributor_helpers import partners
from .lead_helpers import count_rows, set_locale, text_of

TODAY = date.today()


def _contract(app, world, cf, *, language="it", contact_language="it", email="lucia@bottega.example",
              name="Lucia Verdi", owner=None, signed_on=None, account="Bottega Verdi"):
    account_id = cf.account(world.acme, name=account, country="IT")
    with app.app_context(), tenant_context(world.acme.id):
        row = accounts.get_account(account_id)
        row.language = language
        if email:
            accounts.add_contact(row, accounts.ContactData(name=name, email=email, language=contact_language),
                                 actor_id=None)
        db.session.commit()
    return cf.contract(world.acme, account_id, owner or world.rep, signed_on=signed_on or TODAY - timedelta(days=100),
                       title="Spring campaign")


def _rules(app, world, **hold):
    """The three shipped rules in acme; hold hours per trigger can be changed (0 by default: sent at once)."""
    with app.app_context(), tenant_context(world.acme.id):
        rules.add_builtin_rules(db.session.get(type(world.acme), world.acme.id), actor_id=None)
        for rule in db.session.scalars(select(NudgeRule)):
            rule.hold_hours = hold.get(rule.trigger, 0)
        db.session.commit()
        return {r.trigger: r.id for r in db.session.scalars(select(NudgeRule))}


def _words(page: str) -> str:
    """The page's text as a reader sees it: no tags, single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" :", ":")


def _nudges(app, world):
    with app.app_context(), tenant_context(world.acme.id):
        return [f.detach(n) for n in db.session.scalars(select(Nudge).order_by(Nudge.id))]


def _discount(app, world, cf, contract_id, days=10, details="15% off the autumn fair stand"):
    return cf.deliverable(world.acme, contract_id, kind="discount", details=details,
                          due_on=TODAY + timedelta(days=days))


def test_an_unused_discount_sends_one_reminder_in_italian_however_many_ticks(app, client, world, cf, smtp):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    _rules(app, world)
    for _ in range(3):
        tick.run(app)
    [message] = smtp.to("lucia@bottega.example")
    assert message["Content-Language"] == "it"
    assert message["Subject"] == "Il Suo sconto non è ancora stato utilizzato"
    body = message.get_body(("plain",)).get_content()
    assert "Gentile Lucia Verdi" in body and "15% off the autumn fair stand" in body
    due = TODAY + timedelta(days=10)
    from babel.dates import format_date
    assert format_date(due, format="long", locale="it") in body  # the date in the contact's language
    assert "{" not in body and len(smtp.messages) == 1
    [nudge] = _nudges(app, world)
    assert nudge.status == "sent" and nudge.to_email == "lucia@bottega.example" and nudge.locale == "it"


def test_the_hold_keeps_a_nudge_in_the_queue_until_it_has_passed(app, client, world, cf, smtp):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    _rules(app, world, not_claimed=24)
    tick.run(app)
    assert smtp.messages == []
    [nudge] = _nudges(app, world)
    assert nudge.status == "scheduled"
    client.sign_in("admin@acme.example")
    queue = text_of(client.get("/t/acme/nudges"))
    assert "Il Suo sconto non è ancora stato utilizzato" in queue  # the preview, in the contact's language
    assert "1 nudge waiting" in text_of(client.get("/t/acme/"))  # the home page says so until it goes
    client.sign_in("rep2@acme.example")
    assert "nudge waiting" not in text_of(client.get("/t/acme/"))  # not one of Rosa's contracts
    client.sign_in("admin@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Nudge).values(due_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    tick.run(app)
    assert len(smtp.to("lucia@bottega.example")) == 1
    assert "nudge waiting" not in text_of(client.get("/t/acme/"))
    assert "Il Suo sconto" not in text_of(client.get("/t/acme/nudges")).split("Recently")[0]


def test_a_coordinator_edits_one_nudge_and_it_goes_with_that_text(app, client, world, cf, smtp):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    _rules(app, world, not_claimed=48)
    tick.run(app)
    [nudge] = _nudges(app, world)
    client.sign_in("admin@acme.example")
    page = text_of(client.get(f"/t/acme/nudges/{nudge.id}"))
    assert "Gentile Lucia Verdi" in page and "Italian" in page
    assert "Gentile {contact_name}," in page  # the edit starts from the text with its placeholders
    edited = {"subject": "Lo sconto per {account}", "body": "Cara {contact_name},\n\nci pensi!", "version": nudge.version}
    assert client.post(f"/t/acme/nudges/{nudge.id}", edited).status_code == 303
    page = text_of(client.get(f"/t/acme/nudges/{nudge.id}"))
    assert "Lo sconto per Bottega Verdi" in page and "Cara Lucia Verdi" in page
    stale = client.post(f"/t/acme/nudges/{nudge.id}", {**edited, "subject": "Another", "version": nudge.version})
    assert stale.status_code == 409 and "Another" in text_of(stale)
    with app.app_context(), tenant_context(world.acme.id):  # the rule's template is untouched
        assert db.session.scalar(select(NudgeTemplate.subject).where(
            NudgeTemplate.rule_id == nudge.rule_id, NudgeTemplate.locale == "it")).startswith("Il Suo sconto")
    assert client.post(f"/t/acme/nudges/{nudge.id}/send").status_code == 303
    tick.run(app)
    [message] = smtp.to("lucia@bottega.example")
    assert message["Subject"] == "Lo sconto per Bottega Verdi"
    assert "Cara Lucia Verdi" in message.get_body(("plain",)).get_content()
    assert client.post(f"/t/acme/nudges/{nudge.id}/send").status_code == 303  # already sent: said, not sent again
    tick.run(app)
    assert len(smtp.messages) == 1
    panel = text_of(client.get(f"/t/acme/contracts/{contract_id}"))
    assert "to lucia@bottega.example" in panel and "by Adam Admin" in panel


def test_an_unknown_placeholder_is_a_422_and_nothing_typed_is_lost(app, client, world, cf):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    _rules(app, world, not_claimed=48)
    tick.run(app)
    [nudge] = _nudges(app, world)
    client.login("coord@acme.example")  # Giulia reads Italian
    refused = client.post(f"/t/acme/nudges/{nudge.id}", {"subject": "Promemoria", "body": "Gentile {nome},",
                                                         "version": nudge.version})
    assert refused.status_code == 422
    page = text_of(refused)
    assert "Gentile {nome}," in page and "Promemoria" in page
    assert f.translated("Unknown placeholder {%(name)s}: use one of %(known)s.", "it", name="nome",
                        known="{contact_name}, {account}, {contract}, {deliverable}, {due_date}, {coordinator}") in page
    assert _nudges(app, world)[0].subject is None
    with app.app_context(), tenant_context(world.acme.id):
        kind_id = db.session.scalar(select(DeliverableKind.id).where(DeliverableKind.key == "web_banner"))
    form = {"name": "Banner check", "trigger": "not_live", "days": "5", "kind": str(kind_id), "action": "email",
            "hold_hours": "0", "active": "y", "subject_en": "Hello {who}", "body_en": "Your banner {deliverable}",
            "subject_it": "", "body_it": "", "subject_vi": "", "body_vi": ""}
    refused = client.post("/t/acme/nudges/rules", form)
    assert refused.status_code == 422 and "Banner check" in text_of(refused) and "Hello {who}" in text_of(refused)
    assert client.post("/t/acme/nudges/rules", {**form, "subject_en": "Hi", "kind": ""}).status_code == 422
    assert client.post("/t/acme/nudges/rules", {**form, "subject_en": "Hi", "days": "-1"}).status_code == 422
    assert count_rows(app, world.acme, NudgeRule) == 3
    assert client.post("/t/acme/nudges/rules", {**form, "subject_en": "Hi {account}"}).status_code == 303
    assert count_rows(app, world.acme, NudgeRule) == 4


def test_a_skipped_nudge_never_goes_and_the_contract_says_who_and_why(app, client, world, cf, smtp):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    _rules(app, world, not_claimed=1)
    tick.run(app)
    [nudge] = _nudges(app, world)
    client.sign_in("admin@acme.example")
    assert client.post(f"/t/acme/nudges/{nudge.id}/skip", {"reason": "Called her yesterday"}).status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Nudge).values(due_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    tick.run(app)
    assert smtp.messages == [] and _nudges(app, world)[0].status == "skipped"
    panel = text_of(client.get(f"/t/acme/contracts/{contract_id}"))
    assert "Skipped by Adam Admin: Called her yesterday" in _words(panel)
    assert "Nudge skipped" in panel  # the contract's history, in words


def test_a_new_contract_gets_a_check_in_task_for_the_coordinator_who_supports_its_rep(app, client, world, cf):
    with app.app_context(), tenant_context(world.acme.id):
        set_support(world.rep.id, world.coordinator.id, actor_id=None)
    contract_id = _contract(app, world, cf, signed_on=TODAY - timedelta(days=15))
    old_id = _contract(app, world, cf, signed_on=TODAY - timedelta(days=400), account="Old Friends")
    _rules(app, world)
    tick.run(app)
    tick.run(app)
    [nudge] = _nudges(app, world)  # the contract signed long before the rule: never
    assert nudge.contract_id == contract_id and nudge.status == "sent"
    with app.app_context(), tenant_context(world.acme.id):
        [task] = db.session.scalars(select(Activity)).all()
        assert task.assignee_id == world.coordinator.id and task.done_at is None
        assert task.subject.startswith("Sentire Bottega Verdi")  # Giulia reads Italian
    client.login("coord@acme.example")
    panel = text_of(client.get(f"/t/acme/contracts/{contract_id}"))
    assert f.translated("still open", "it") in panel
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Activity).values(done_at=utcnow()))
        db.session.commit()
    assert f.translated("done", "it") in text_of(client.get(f"/t/acme/contracts/{contract_id}"))
    assert "contract-nudges" not in text_of(client.get(f"/t/acme/contracts/{old_id}"))


def test_a_banner_not_live_is_nudged_and_the_contract_says_when_it_went_live(app, client, world, cf, smtp):
    contract_id = _contract(app, world, cf, contact_language="vi", email="minh@banner.example", name="Trần Minh")
    live_id = _contract(app, world, cf, account="Already Live", email="ok@live.example")
    banner = cf.deliverable(world.acme, contract_id, kind="web_banner", details="300×250 home page",
                            due_on=TODAY - timedelta(days=20))
    live = cf.deliverable(world.acme, live_id, kind="web_banner", details="Leaderboard", due_on=TODAY)
    with app.app_context(), tenant_context(world.acme.id):
        for deliverable_id, cid, token in ((banner, contract_id, "tok1"), (live, live_id, "tok2")):
            db.session.add(Placement(deliverable_id=deliverable_id, contract_id=cid, landing_url="https://x.example",
                                     starts_on=TODAY - timedelta(days=8), token=token))
        db.session.flush()
        placement = db.session.scalar(select(Placement).where(Placement.token == "tok2"))
        db.session.add(TrafficDay(placement_id=placement.id, day=TODAY - timedelta(days=2), clicks=3, impressions=90))
        db.session.commit()
    _rules(app, world)
    tick.run(app)
    [nudge] = _nudges(app, world)
    assert nudge.deliverable_id == banner
    # On the first of a month (where the tenant is) the same tick also sends the contact last month's banner
    # report: the nudge is the one mail about the banner not being live.
    [message] = [m for m in smtp.to("minh@banner.example") if m["Subject"] == "Banner của quý khách chưa được đăng"]
    assert message["Content-Language"] == "vi"
    client.sign_in("admin@acme.example")
    assert "Not live yet" in text_of(client.get(f"/t/acme/contracts/{contract_id}"))
    with app.app_context(), tenant_context(world.acme.id):
        placement = db.session.scalar(select(Placement).where(Placement.token == "tok1"))
        db.session.add(TrafficDay(placement_id=placement.id, day=TODAY, clicks=1, impressions=40))
        db.session.commit()
    assert "Live since" in text_of(client.get(f"/t/acme/contracts/{contract_id}"))


def test_a_bounced_reminder_shows_on_the_contract(app, client, world, cf, smtp):
    contract_id = _contract(app, world, cf, email="gone@dead-box.example")
    _discount(app, world, cf, contract_id)
    _rules(app, world)
    smtp.refuse = {"gone@dead-box.example"}
    tick.run(app)
    client.sign_in("admin@acme.example")
    panel = text_of(client.get(f"/t/acme/contracts/{contract_id}"))
    assert "Bounced" in panel and "550" in panel


def test_reps_see_the_nudges_of_their_own_contracts_only_and_cannot_act(app, client, world, cf):
    mine = _contract(app, world, cf, owner=world.rep, account="Mine Srl")
    theirs = _contract(app, world, cf, owner=world.rep2, account="Theirs Srl", email="x@theirs.example")
    _discount(app, world, cf, mine)
    _discount(app, world, cf, theirs)
    _rules(app, world, not_claimed=48)
    tick.run(app)
    by_contract = {n.contract_id: n.id for n in _nudges(app, world)}
    client.sign_in("rep@acme.example")
    queue = text_of(client.get("/t/acme/nudges"))
    assert "Mine Srl" in queue and "Theirs Srl" not in queue
    assert client.get(f"/t/acme/nudges/{by_contract[mine]}").status_code == 200
    assert client.get(f"/t/acme/nudges/{by_contract[theirs]}").status_code == 404
    assert client.post(f"/t/acme/nudges/{by_contract[mine]}/skip", {}).status_code == 404
    assert client.get("/t/acme/nudges/rules").status_code == 404
    client.sign_in("manager@acme.example")
    assert client.get("/t/acme/nudges/rules").status_code == 404  # rules are for admins and coordinators
    assert client.get(f"/t/acme/nudges/{by_contract[theirs]}").status_code == 200


def test_a_distributor_gets_404_on_every_nudges_page(app, client, world, cf):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    rules = _rules(app, world, not_claimed=48)
    tick.run(app)
    [nudge] = _nudges(app, world)
    ns = partners(app, world)
    client.sign_in(ns.lotus_user.email)
    for url in ("/t/acme/nudges", f"/t/acme/nudges/{nudge.id}", "/t/acme/nudges/rules",
                f"/t/acme/nudges/rules/{rules['not_live']}"):
        assert client.get(url).status_code == 404, url
    for url in (f"/t/acme/nudges/{nudge.id}/send", f"/t/acme/nudges/{nudge.id}/skip", "/t/acme/nudges/rules/builtin"):
        assert client.post(url, {}).status_code == 404, url
    assert _nudges(app, world)[0].status == "scheduled"


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_the_pages_in_italian_and_vietnamese(app, client, world, cf, locale):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    rules = _rules(app, world, not_claimed=48)
    tick.run(app)
    [nudge] = _nudges(app, world)
    set_locale(app, world.admin, locale)
    client.login("admin@acme.example")
    assert f.translated("Nudges", locale) in text_of(client.get("/t/acme/nudges"))
    assert f.translated("Send or skip", locale) in text_of(client.get(f"/t/acme/nudges/{nudge.id}"))
    assert f.translated("Nudge rules", locale) in text_of(client.get("/t/acme/nudges/rules"))
    assert f.translated("Change the rule", locale) in text_of(client.get(f"/t/acme/nudges/rules/{rules['not_live']}"))
    assert f.translated("Scheduled", locale) in text_of(client.get(f"/t/acme/contracts/{contract_id}"))


def test_the_suggested_rules_are_added_with_their_text_in_every_language(app, client, world):
    client.login("coord@acme.example")
    assert client.post("/t/acme/nudges/rules/builtin").status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        texts = db.session.scalars(select(NudgeTemplate)).all()
        assert {t.locale for t in texts} == {"en", "it", "vi"} and len(texts) == 9
        for t in texts:
            service.check_text(t.subject)
            service.check_text(t.body)
    page = text_of(client.get("/t/acme/nudges/rules"))  # Giulia reads Italian; the names are the tenant's (en)
    assert "Banner not live 7 days after its start" in page and f.translated("Nudge rules", "it") in page


def test_the_queue_does_the_same_queries_at_10_and_5000_nudges(app, client, world, cf, queries):
    contract_id = _contract(app, world, cf)
    _rules(app, world)
    with app.app_context(), tenant_context(world.acme.id):
        rule_id = db.session.scalar(select(NudgeRule.id).where(NudgeRule.trigger == "contract_age"))

    def fill(start, count):
        with app.app_context(), tenant_context(world.acme.id):
            due = utcnow() + timedelta(days=3)
            db.session.execute(insert(Nudge), [dict(tenant_id=world.acme.id, rule_id=rule_id, target=f"contract:x{i}",
                                                    contract_id=contract_id, status="scheduled", due_at=due,
                                                    version=1) for i in range(start, start + count)])
            db.session.execute(insert(Nudge), [dict(tenant_id=world.acme.id, rule_id=rule_id, target=f"contract:y{i}",
                                                    contract_id=contract_id, status="skipped", due_at=due,
                                                    skipped_at=utcnow(), skip_reason="no", version=1)
                                               for i in range(start, start + count)])
            db.session.commit()

    client.sign_in("admin@acme.example")
    fill(0, 10)
    client.get("/t/acme/nudges")
    with queries() as small:
        assert client.get("/t/acme/nudges").status_code == 200
    fill(10, 4990)
    with queries() as large:
        page = client.get("/t/acme/nudges")
    assert page.status_code == 200 and "5000" in text_of(page).replace(",", "").replace(".", "")
    assert len(large) == len(small)


def test_another_tenants_nudges_and_rules_are_404_under_its_own_slug(app, client, world, cf):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    rules = _rules(app, world, not_claimed=48)
    tick.run(app)
    [nudge] = _nudges(app, world)
    client.sign_in("owner@rival.example")
    assert client.get("/t/rival/nudges").status_code == 200
    for url in (f"/t/rival/nudges/{nudge.id}", f"/t/rival/nudges/rules/{rules['not_live']}"):
        assert client.get(url).status_code == 404, url
    for url in (f"/t/rival/nudges/{nudge.id}", f"/t/rival/nudges/{nudge.id}/send", f"/t/rival/nudges/{nudge.id}/skip",
                f"/t/rival/nudges/rules/{rules['not_live']}"):
        assert client.post(url, {"subject": "x", "body": "y", "reason": "z"}).status_code == 404, url
    assert client.get(f"/t/acme/nudges/{nudge.id}").status_code == 404
    assert _nudges(app, world)[0].status == "scheduled" and _nudges(app, world)[0].subject is None


def test_ticks_running_at_the_same_moment_send_one_reminder(app, world, cf, smtp):
    """Several machines' crons at once: the unique target and the guarded status change let one through."""
    import threading

    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    _discount(app, world, cf, contract_id, days=5, details="Second discount")
    _rules(app, world)
    barrier = threading.Barrier(3)
    errors = []

    def one_tick():
        barrier.wait()
        with app.app_context():
            result = tick.run(app)
        errors.extend(result[name]["error"] for name in ("nudges", "outbox") if "error" in result[name])

    threads = [threading.Thread(target=one_tick) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tick.run(app)
    assert errors == []
    assert len(smtp.to("lucia@bottega.example")) == 2  # one per discount, never more
    assert {n.status for n in _nudges(app, world)} == {"sent"} and len(_nudges(app, world)) == 2


def test_a_discount_used_during_the_hold_is_not_reminded(app, client, world, cf, smtp):
    from web.deliverables.models import Deliverable

    contract_id = _contract(app, world, cf)
    discount = _discount(app, world, cf, contract_id)
    _rules(app, world, not_claimed=24)
    tick.run(app)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Deliverable).where(Deliverable.id == discount)
                           .values(status="delivered", delivered_on=TODAY))
        db.session.execute(update(Nudge).values(due_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    tick.run(app)
    assert smtp.messages == []
    [nudge] = _nudges(app, world)
    assert nudge.status == "skipped" and nudge.skipped_by_id is None and nudge.skip_reason.startswith("No longer needed")


def test_a_coordinator_changes_a_rule_and_its_italian_text_and_a_stale_save_is_a_conflict(app, client, world, cf):
    rules = _rules(app, world)
    client.sign_in("coord@acme.example")
    url = f"/t/acme/nudges/rules/{rules['not_claimed']}"
    page = text_of(client.get(url))
    assert "Il Suo sconto non è ancora stato utilizzato" in page
    with app.app_context(), tenant_context(world.acme.id):
        rule = db.session.get(NudgeRule, rules["not_claimed"])
        form = {"name": "Sconto: ultimo mese", "trigger": "not_claimed", "days": "20", "kind": str(rule.kind_id),
                "contract": "", "action": "email", "hold_hours": "2", "active": "y", "version": str(rule.version)}
        for t in db.session.scalars(select(NudgeTemplate).where(NudgeTemplate.rule_id == rule.id)):
            form[f"subject_{t.locale}"], form[f"body_{t.locale}"] = t.subject, t.body
    form["subject_it"] = "Ultimo mese per il Suo sconto, {contact_name}"
    assert client.post(url, form).status_code == 303
    stale = client.post(url, {**form, "name": "Someone else's name"})
    assert stale.status_code == 409 and f.shows(stale, "Someone else's name")
    with app.app_context(), tenant_context(world.acme.id):
        rule = db.session.get(NudgeRule, rules["not_claimed"])
        assert (rule.name, rule.days, rule.hold_hours) == ("Sconto: ultimo mese", 20, 2)
        assert db.session.scalar(select(NudgeTemplate.subject).where(
            NudgeTemplate.rule_id == rule.id, NudgeTemplate.locale == "it")) == "Ultimo mese per il Suo sconto, {contact_name}"


def test_the_check_in_task_links_to_the_contract_on_the_public_address(app, world, cf):
    contract_id = _contract(app, world, cf, signed_on=TODAY - timedelta(days=14))
    _rules(app, world)
    tick.run(app)
    with app.app_context(), tenant_context(world.acme.id):
        task = db.session.scalars(select(Activity)).one()
        assert task.assignee_id == world.rep.id  # nobody supports the rep: the rep has it
        assert task.notes.endswith(f"{app.config['PUBLIC_URL'].rstrip('/')}/t/acme/contracts/{contract_id}")


def test_a_paused_rules_nudges_wait_and_a_sent_one_shows_what_went(app, client, world, cf, smtp):
    contract_id = _contract(app, world, cf)
    _discount(app, world, cf, contract_id)
    rules = _rules(app, world, not_claimed=1)
    tick.run(app)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(NudgeRule).where(NudgeRule.id == rules["not_claimed"]).values(active=False))
        db.session.execute(update(Nudge).values(due_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    tick.run(app)
    assert smtp.messages == [] and _nudges(app, world)[0].status == "scheduled"
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(NudgeRule).values(active=True))
        db.session.commit()
    tick.run(app)
    assert len(smtp.messages) == 1
    with app.app_context(), tenant_context(world.acme.id):  # the template changes afterwards...
        db.session.execute(update(NudgeTemplate).values(subject="Something else"))
        db.session.commit()
    client.sign_in("admin@acme.example")
    page = text_of(client.get(f"/t/acme/nudges/{_nudges(app, world)[0].id}"))
    assert "The email as it went" in page and "Il Suo sconto non è ancora stato utilizzato" in page  # ...not what went
    assert "Send now" not in page
