"""Admins invite people with a role; invitations are signed, expire and work once; roles and removals."""
from __future__ import annotations

import re

from sqlalchemy import select

from tenants.audit import AuditEvent
from tenants.db import db
from tenants.models import Membership, User
from tenants.scoping import outbox_access, tenant_context
from web.mail.models import OutboxMessage
from web.team import service as team_service

from .. import factories as f


def _invite_link(app, email: str) -> str:
    with app.app_context(), outbox_access():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == email).order_by(OutboxMessage.id.desc())
        ).first()
    assert message is not None, "no invitation email queued"
    return re.search(r"http://localhost(/invitations/\S+)", message.body_text).group(1)


def _role(app, tenant, email):
    with app.app_context(), tenant_context(tenant.id):
        return db.session.scalar(
            select(Membership.role).join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id == tenant.id, User.email == email)
        )


def test_an_admin_invites_a_coordinator_who_accepts_and_lands_in_the_workspace(app, client, make_client, world):
    client.login("admin@acme.example")
    sent = client.post("/t/acme/team/invitations", {"email": "New.Person@Acme.example", "role": "coordinator",
                                                     "locale": "vi"})
    assert sent.status_code == 303
    page = client.get("/t/acme/team").get_data(as_text=True)
    assert "new.person@acme.example" in page  # listed as pending

    link = _invite_link(app, "new.person@acme.example")
    invitee = make_client()
    form = invitee.get(link)
    assert form.status_code == 200 and "Acme Media" in form.get_data(as_text=True)
    joined = invitee.post(link, {"name": "Nguyễn Văn An", "password": "paper lantern 88 river"})
    assert joined.status_code == 303 and joined.headers["Location"].endswith("/t/acme/")
    home = invitee.get("/t/acme/")
    assert home.status_code == 200 and '<html lang="vi"' in home.get_data(as_text=True)
    assert _role(app, world.acme, "new.person@acme.example") == "coordinator"
    with app.app_context(), tenant_context(world.acme.id):
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"team.invited", "team.invitation_accepted"} <= actions


def test_the_invitation_email_is_in_the_language_the_admin_chose(app, client, world):
    client.login("admin@acme.example")
    client.post("/t/acme/team/invitations", {"email": "it@acme.example", "role": "rep", "locale": "it"})
    with app.app_context(), outbox_access():
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.locale == "it"
    assert f.translated("Accept the invitation", "it") in message.body_html


def test_an_invitation_link_works_once(app, client, make_client, world):
    client.login("admin@acme.example")
    client.post("/t/acme/team/invitations", {"email": "once@acme.example", "role": "rep", "locale": "en"})
    link = _invite_link(app, "once@acme.example")
    first = make_client()
    assert first.post(link, {"name": "Once Only", "password": "paper lantern 88 river"}).status_code == 303
    again = make_client()
    assert again.get(link).status_code == 404
    assert again.post(link, {"name": "Twice", "password": "paper lantern 88 river"}).status_code == 404


def test_a_forged_expired_or_withdrawn_invitation_does_not_work(app, client, make_client, world, monkeypatch):
    client.login("admin@acme.example")
    client.post("/t/acme/team/invitations", {"email": "gone@acme.example", "role": "rep", "locale": "en"})
    link = _invite_link(app, "gone@acme.example")
    stranger = make_client()
    assert stranger.get(link[:-3] + "abc").status_code == 404
    monkeypatch.setattr(team_service, "INVITATION_DAYS", -1)
    assert stranger.get(link).status_code == 404
    monkeypatch.undo()
    assert stranger.get(link).status_code == 200
    with app.app_context(), tenant_context(world.acme.id):
        invitation_id = db.session.scalar(select(team_service.Invitation.id))
    assert client.post(f"/t/acme/team/invitations/{invitation_id}/revoke").status_code == 303
    assert stranger.get(link).status_code == 404


def test_someone_with_an_account_joins_with_their_existing_password(app, client, make_client, world):
    client.login("admin@acme.example")
    client.post("/t/acme/team/invitations", {"email": "owner@rival.example", "role": "manager", "locale": "en"})
    link = _invite_link(app, "owner@rival.example")
    rita = make_client()
    wrong = rita.post(link, {"password": "not hers at all"})
    assert wrong.status_code == 422
    assert rita.post(link, {"password": f.PASSWORD}).status_code == 303
    assert _role(app, world.acme, "owner@rival.example") == "manager"
    assert _role(app, world.rival, "owner@rival.example") == "owner"


def test_inviting_a_member_or_a_malformed_address_is_refused_with_422_and_kept(client, world):
    client.login("admin@acme.example")
    member = client.post("/t/acme/team/invitations", {"email": "rep@acme.example", "role": "rep", "locale": "en"})
    assert member.status_code == 422
    assert "already a member" in member.get_data(as_text=True)
    bad = client.post("/t/acme/team/invitations", {"email": "not-an-address", "role": "rep", "locale": "en"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Enter a valid email address" in page and 'value="not-an-address"' in page


def test_only_admins_invite_or_change_roles(client, world):
    client.login("coord@acme.example")
    assert client.get("/t/acme/team").status_code == 200  # everyone sees the team
    assert client.post("/t/acme/team/invitations", {"email": "x@acme.example", "role": "rep", "locale": "en"}).status_code == 403
    rep_id = _membership_id(client.app, world.acme, "rep@acme.example")
    assert client.post(f"/t/acme/team/members/{rep_id}/role", {"role": "admin"}).status_code == 403
    assert _role(client.app, world.acme, "rep@acme.example") == "rep"


def _membership_id(app, tenant, email):
    with app.app_context(), tenant_context(tenant.id):
        return db.session.scalar(
            select(Membership.id).join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id == tenant.id, User.email == email)
        )


def test_an_admin_changes_a_role_inline_and_it_is_audited(app, client, world):
    client.login("admin@acme.example")
    member_id = _membership_id(app, world.acme, "rep@acme.example")
    row = client.post(f"/t/acme/team/members/{member_id}/role", {"role": "manager"}, htmx=True)
    assert row.status_code == 200
    html = row.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="member-{member_id}"')  # the row only, for the swap
    assert _role(app, world.acme, "rep@acme.example") == "manager"
    with app.app_context(), tenant_context(world.acme.id):
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "team.role_changed")).one()
    assert event.details["role"] == ["rep", "manager"] and event.actor_id == world.admin.id


def test_the_last_owner_keeps_ownership_and_admins_cannot_touch_owners(app, client, make_client, world):
    owner_id = _membership_id(app, world.acme, "owner@acme.example")
    client.login("admin@acme.example")
    refused = client.post(f"/t/acme/team/members/{owner_id}/role", {"role": "rep"}, htmx=True)
    assert refused.status_code == 422 and "Only an owner" in refused.get_data(as_text=True)
    owner = make_client()
    owner.login("owner@acme.example")
    assert owner.post(f"/t/acme/team/members/{owner_id}/remove").status_code == 303
    assert _role(app, world.acme, "owner@acme.example") == "owner"


def test_a_removed_member_is_signed_out_at_once(app, client, make_client, world):
    removed = make_client()
    removed.login("rep@acme.example")
    assert removed.get("/t/acme/").status_code == 200
    client.login("admin@acme.example")
    member_id = _membership_id(app, world.acme, "rep@acme.example")
    assert client.post(f"/t/acme/team/members/{member_id}/remove").status_code == 303
    assert removed.get("/t/acme/").status_code == 302  # session ended: back to sign-in
    removed.forget_token()
    removed.login("rep@acme.example")
    assert removed.get("/t/acme/").status_code == 404  # and no longer a member
    with app.app_context(), tenant_context(world.acme.id):
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "team.member_removed"))


def test_the_team_page_in_italian_and_vietnamese(client, world):
    client.login("admin@acme.example")
    for language in ("it", "vi"):
        client.post("/language", {"locale": language, "next": "/t/acme/team"})
        page = client.get("/t/acme/team").get_data(as_text=True)
        assert f'<html lang="{language}"' in page
        assert f.shows(page, f.translated("Invite someone", language))
        assert f.shows(page, f.translated("Sales rep", language))


def test_an_invitation_link_is_on_the_public_address_whatever_the_host(app, client, world):
    client.login("admin@acme.example")
    # The admin's own browser, tricked into the forged host (a proxy that passes Host through, say).
    client.token()
    client.http.set_cookie("coordina_session", client.http.get_cookie("coordina_session").value, domain="evil.example")
    client.post("/t/acme/team/invitations", {"email": "new@acme.example", "role": "rep", "locale": "en"},
                headers={"Host": "evil.example"})
    with app.app_context(), outbox_access():
        message = db.session.scalars(select(OutboxMessage)).one()
    assert "evil.example" not in message.body_text and "http://localhost/invitations/" in message.body_text


def test_an_invitation_takes_no_more_password_guesses_than_the_login(app, client, make_client, world):
    """Someone holding an invitation link for an existing account cannot try passwords without end."""
    client.login("admin@acme.example")
    client.post("/t/acme/team/invitations", {"email": "owner@rival.example", "role": "rep", "locale": "en"})
    path = _invite_link(app, "owner@rival.example")
    guesser = make_client()
    codes = [guesser.post(path, {"password": f"guess number {i}"}).status_code for i in range(6)]
    assert codes[:5] == [422] * 5 and codes[5] == 429
    assert make_client().post(path, {"password": f.PASSWORD}).status_code == 429  # the account's budget is spent


def test_an_unknown_role_is_refused_with_or_without_htmx(app, client, world):
    client.login("admin@acme.example")
    member_id = _membership_id(app, world.acme, "rep@acme.example")
    for htmx in (True, False):
        response = client.post(f"/t/acme/team/members/{member_id}/role", {"role": "emperor"}, htmx=htmx)
        assert response.status_code == 422
    assert _role(app, world.acme, "rep@acme.example") == "rep"


def test_an_admin_alone_is_told_to_invite_the_team_until_someone_is_invited(app, client):
    with app.app_context():
        lotus = f.tenant("lotus")
        owner = f.person(lotus, "linh@lotus.example", "owner")
    client.sign_in(owner.email)
    alone = client.get("/t/lotus/team").get_data(as_text=True)
    assert "It is just you so far." in alone and '<a class="btn small" href="#invite">Invite someone</a>' in alone
    client.post("/t/lotus/team/invitations", {"email": "giulia@lotus.example", "role": "coordinator", "locale": "it"})
    assert "It is just you so far." not in client.get("/t/lotus/team").get_data(as_text=True)
