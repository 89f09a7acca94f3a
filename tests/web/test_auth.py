"""Signing in and out, rate limits, and the emailed password reset."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tenants.audit import AuditEvent
from tenants.db import db
from tenants.models import AuthSession
from tenants.scoping import outbox_access, tenant_context
from web.auth import service as auth_service
from web.extensions import limiter
from web.mail.models import OutboxMessage

from .. import factories as f


def _sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuthSession))


def test_sign_in_starts_a_new_session_and_lands_in_the_workspace(app, client, world):
    client.get("/login")
    before = client.http.get_cookie("coordina_session").value
    response = client.post("/login", {"email": "Coord@Acme.example ", "password": f.PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.http.get_cookie("coordina_session").value != before
    assert client.get("/").headers["Location"].endswith("/t/acme/")
    assert _sessions(app) == 1
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.actor_id == world.coordinator.id)) == "auth.sign_in"


def test_a_person_of_two_workspaces_signs_in_and_each_workspace_records_it(app, client, world):
    """Each workspace's audit trail gets the sign-in. On PostgreSQL the second one's membership, read again after the
    first one's commit outside its workspace, was hidden by its row policy: the sign-in answered 500."""
    from tenants.members import add_member
    from tenants.models import Role, Tenant

    with app.app_context(), tenant_context(world.rival.id):
        add_member(db.session.get(Tenant, world.rival.id), db.session.merge(world.admin), Role.rep)
        db.session.commit()
    assert client.post("/login", {"email": "admin@acme.example", "password": f.PASSWORD}).status_code == 303
    assert client.get("/t/rival/").status_code == 200 and client.get("/t/acme/").status_code == 200
    for tenant in (world.acme, world.rival):
        with app.app_context(), tenant_context(tenant.id):
            assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.actor_id == world.admin.id, AuditEvent.action == "auth.sign_in")) == 1


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app, client, world):
    wrong = client.post("/login", {"email": "coord@acme.example", "password": "not the password"})
    unknown = client.post("/login", {"email": "nobody@acme.example", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 422
    assert "do not match an account" in wrong.get_data(as_text=True)
    assert "do not match an account" in unknown.get_data(as_text=True)
    assert 'value="coord@acme.example"' in wrong.get_data(as_text=True)  # the email is kept
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(AuditEvent.action)) == "auth.sign_in_failed"


def test_the_sixth_wrong_password_in_a_minute_gets_429_with_retry_after(client, world):
    for _ in range(5):
        assert client.post("/login", {"email": "rep@acme.example", "password": "wrong guess"}).status_code == 422
    sixth = client.post("/login", {"email": "rep@acme.example", "password": f.PASSWORD})
    assert sixth.status_code == 429
    assert int(sixth.headers["Retry-After"]) > 0
    assert "Too many attempts" in sixth.get_data(as_text=True)
    # Another account from the same address is not locked out by someone else's guesses.
    assert client.post("/login", {"email": "rep2@acme.example", "password": f.PASSWORD}).status_code == 303


def test_a_limited_form_says_how_many_tries_are_left_and_other_pages_say_nothing(client, world):
    """Rate-limit headers on a response of a limited view (the sign-in), counting down; none on a page that has no
    limit (the limiter's hooks run only for a request that met a limit)."""
    first = client.post("/login", {"email": "rep@acme.example", "password": "wrong guess"})
    second = client.post("/login", {"email": "rep@acme.example", "password": "wrong guess"})
    assert first.headers["X-RateLimit-Limit"] == second.headers["X-RateLimit-Limit"]
    assert int(second.headers["X-RateLimit-Remaining"]) < int(first.headers["X-RateLimit-Remaining"])
    assert "X-RateLimit-Limit" not in client.get("/login").headers


def test_the_429_page_is_in_the_readers_language(client, world):
    for _ in range(6):
        last = client.post("/login", {"email": "rep@acme.example", "password": "wrong guess"},
                           headers={"Accept-Language": "vi"})
    assert last.status_code == 429
    assert f.shows(last.get_data(as_text=True), f.translated("Too many attempts", "vi"))


def test_logout_ends_the_session_on_the_server(app, client, world):
    client.login("owner@acme.example")
    stolen = client.http.get_cookie("coordina_session").value
    assert client.post("/logout").status_code == 303
    assert _sessions(app) == 0
    thief = app.test_client()
    thief.set_cookie("coordina_session", stolen)
    assert thief.get("/t/acme/").status_code == 302  # back to sign-in: the copied cookie is worthless


def test_next_only_goes_to_a_path_on_this_site(client, world):
    ok = client.post("/login", {"email": "owner@acme.example", "password": f.PASSWORD, "next": "/t/acme/team"})
    assert ok.headers["Location"] == "/t/acme/team"
    client.post("/logout")
    client.forget_token()
    evil = client.post("/login", {"email": "owner@acme.example", "password": f.PASSWORD, "next": "//evil.example/x"})
    assert evil.headers["Location"] == "/"


def test_tenant_pages_send_strangers_to_sign_in_and_back(client, world):
    response = client.get("/t/acme/team")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/t/acme/team")


def _reset_link(app, email: str) -> str:
    with app.app_context(), outbox_access():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == email).order_by(OutboxMessage.id.desc())
        ).first()
    assert message is not None, "no email queued"
    return re.search(r"http://localhost(/password/reset/\S+)", message.body_text).group(1)


def test_a_password_reset_link_works_once_and_ends_every_session(app, client, make_client, world):
    other_browser = make_client()
    other_browser.login("rep@acme.example")
    assert client.post("/password/forgot", {"email": "rep@acme.example"}).status_code == 303
    link = _reset_link(app, "rep@acme.example")
    assert client.get(link).status_code == 200
    done = client.post(link, {"password": "a brand new secret 42"})
    assert done.status_code == 303
    assert other_browser.get("/t/acme/").status_code == 302  # signed out by the reset
    assert client.get(link).status_code == 404  # spent
    assert "no longer works" in client.get(link).get_data(as_text=True)
    fresh = make_client()
    assert fresh.post("/login", {"email": "rep@acme.example", "password": "a brand new secret 42"}).status_code == 303


def test_a_reset_link_expires(app, client, world, monkeypatch):
    client.post("/password/forgot", {"email": "rep@acme.example"})
    link = _reset_link(app, "rep@acme.example")
    monkeypatch.setattr(auth_service, "RESET_MAX_AGE", -1)
    assert client.get(link).status_code == 404


def test_forgot_password_says_the_same_for_unknown_addresses_and_sends_nothing(app, client, world):
    response = client.post("/password/forgot", {"email": "ghost@acme.example"})
    assert response.status_code == 303
    with app.app_context(), outbox_access():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_reset_email_is_in_the_recipients_language(app, client, world):
    client.post("/password/forgot", {"email": "coord@acme.example"})
    with app.app_context(), outbox_access():
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.locale == "it"
    assert message.subject == f.translated("Choose a new Coordina password", "it")


def test_a_weak_new_password_is_refused_with_422(app, client, world):
    client.post("/password/forgot", {"email": "rep@acme.example"})
    link = _reset_link(app, "rep@acme.example")
    response = client.post(link, {"password": "qwertyuiop"})
    assert response.status_code == 422
    assert "too easy to guess" in response.get_data(as_text=True)


def test_a_forged_host_never_reaches_the_reset_link(app, client, world):
    """The link in the mail is on PUBLIC_URL (http://localhost here) whatever Host the request carried."""
    app.config["WTF_CSRF_ENABLED"] = False  # the forged host has no session cookie; the attacker posts directly
    try:
        client.http.post("/password/forgot", data={"email": "coord@acme.example"}, headers={"Host": "evil.example"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context(), outbox_access():
        message = db.session.scalars(select(OutboxMessage)).one()
    assert "evil.example" not in message.body_text + (message.body_html or "")
    assert re.search(r"http://localhost/password/reset/\S+", message.body_text)


def test_with_trusted_hosts_a_foreign_host_is_a_400(app, client, world):
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    try:
        assert client.get("/login").status_code == 200
        assert client.http.get("/login", headers={"Host": "evil.example"}).status_code == 400
        forged = client.http.post("/password/forgot", data={"email": "coord@acme.example", "csrf_token": client.token()},
                                  headers={"Host": "evil.example"})
        assert forged.status_code == 400
    finally:
        app.config["TRUSTED_HOSTS"] = None
    with app.app_context(), outbox_access():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_password_guesses_share_one_budget_across_login_sign_up_and_invitations(app, client, make_client, world):
    """Five wrong passwords for one account, whichever form they came through, and the next check is a 429."""
    signup = {"company_name": "Guess Ltd", "slug": "guess", "base_currency": "EUR", "default_locale": "en",
              "timezone": "Europe/Rome", "owner_name": "X", "email": "coord@acme.example", "password": "wrong horse 123"}
    for _ in range(3):
        assert client.post("/login", {"email": "coord@acme.example", "password": "nope nope"}).status_code == 422
    other = make_client()  # another browser, the same account
    for _ in range(2):
        assert other.post("/signup", {**signup, "nonce": f.PASSWORD}).status_code == 422
    blocked = make_client().post("/login", {"email": "coord@acme.example", "password": f.PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert make_client().post("/login", {"email": "admin@acme.example", "password": f.PASSWORD}).status_code == 303


def test_lookups_that_say_whether_something_exists_are_limited(app, client, world):
    app.config["GUARD_LIMIT_LOOKUP"] = "5 per minute"
    try:
        codes = [client.get("/signup/slug", query_string={"slug": f"taken{i}"}).status_code for i in range(6)]
    finally:
        app.config["GUARD_LIMIT_LOOKUP"] = "60 per minute;600 per hour"
    assert codes[:5] == [200] * 5 and codes[5] == 429


def test_a_nul_byte_at_sign_in_is_a_422_not_a_database_error(client, world):
    response = client.post("/login", {"email": "coord\x00@acme.example", "password": f.PASSWORD})
    assert response.status_code == 422 and f.shows(response, "a NUL byte")


def test_every_form_that_checks_a_password_is_limited(app, client, make_client, world):
    """Login, sign-up with an existing email, an invitation for an existing account, the profile's password
    change: each answers 429 once the account's budget of wrong passwords is spent."""
    client.login("admin@acme.example")
    client.post("/t/acme/team/invitations", {"email": "owner@rival.example", "role": "rep", "locale": "en"})
    with app.app_context(), outbox_access():
        body = db.session.scalars(select(OutboxMessage)).one().body_text
    invitation = re.search(r"http://localhost(/invitations/\S+)", body).group(1)
    signup = {"company_name": "Guess Ltd", "slug": "guess", "base_currency": "EUR", "default_locale": "en",
              "timezone": "Europe/Rome", "owner_name": "X", "email": "owner@rival.example", "nonce": "n1"}
    owner = make_client()
    owner.login("owner@rival.example")
    forms = [
        lambda c, p: c.post("/login", {"email": "owner@rival.example", "password": p}),
        lambda c, p: c.post("/signup", {**signup, "password": p}),
        lambda c, p: c.post(invitation, {"password": p}),
        lambda c, p: owner.post("/profile/password", {"current_password": p, "new_password": "a brand new one 99"}),
    ]
    for form in forms:
        limiter.reset()  # each form on a fresh budget: the point is that every one of them spends it
        codes = [form(make_client(), f"wrong guess {i}").status_code for i in range(6)]
        assert codes[:5] == [422] * 5 and codes[5] == 429, codes
