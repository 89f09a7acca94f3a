"""Each person's profile, password and sessions; the language order and the reader's timezone."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from tenants.audit import AuditEvent
from tenants.db import db
from tenants.models import Membership, User
from tenants.scoping import tenant_context

from .. import factories as f
from ..conftest import Client


def test_a_person_sets_name_language_timezone_and_display_currency(app, client, world):
    client.login("rep@acme.example")
    response = client.post("/profile", {"name": "Marco R.", "locale": "vi", "timezone": "Asia/Tokyo",
                                         "display_currency": "JPY"})
    assert response.status_code == 303
    page = client.get("/profile").get_data(as_text=True)
    assert '<html lang="vi"' in page and 'value="Marco R."' in page
    with app.app_context():
        user = db.session.get(User, world.rep.id)
        assert (user.locale, user.timezone, user.display_currency) == ("vi", "Asia/Tokyo", "JPY")


def test_bad_profile_input_is_refused_with_422_and_kept(client, world):
    client.login("rep@acme.example")
    response = client.post("/profile", {"name": "Marco Nuovo", "locale": "xx", "timezone": "Nowhere/City",
                                         "display_currency": "ABC"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Marco Nuovo"' in page
    assert "Choose one of the options" in page and "Choose a timezone" in page and "Choose a currency" in page


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(client, make_client, world):
    other = make_client()
    other.login("rep@acme.example")
    client.login("rep@acme.example")
    wrong = client.post("/profile/password", {"current_password": "nope", "new_password": "fresh pages 2027 x"})
    assert wrong.status_code == 422
    ok = client.post("/profile/password", {"current_password": f.PASSWORD, "new_password": "fresh pages 2027 x"})
    assert ok.status_code == 303
    assert client.get("/t/acme/").status_code == 200
    assert other.get("/t/acme/").status_code == 302


def test_locale_order_profile_then_session_then_tenant_then_browser(app, client, world):
    # Anonymous: the browser's language, until the picker is used.
    assert '<html lang="it"' in client.get("/login", headers={"Accept-Language": "it"}).get_data(as_text=True)
    client.post("/language", {"locale": "vi", "next": "/login"})
    assert '<html lang="vi"' in client.get("/login", headers={"Accept-Language": "it"}).get_data(as_text=True)
    # A person without a language of their own reads the tenant's default.
    with app.app_context():
        user = db.session.get(User, world.manager.id)
        user.locale = None
        db.session.commit()
        tenant = db.session.get(type(world.acme), world.acme.id)
        tenant.default_locale = "it"
        db.session.commit()
    manager = Client(client.app)
    manager.login("manager@acme.example")
    assert '<html lang="it"' in manager.get("/t/acme/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    # The profile's language beats everything.
    coordinator = Client(client.app)
    coordinator.login("coord@acme.example")
    assert '<html lang="it"' in coordinator.get("/t/acme/", headers={"Accept-Language": "vi"}).get_data(as_text=True)


def test_htmx_requests_render_in_the_same_language(client, world):
    client.login("admin@acme.example")
    client.post("/language", {"locale": "it", "next": "/"})
    with client.app.app_context(), tenant_context(world.acme.id):
        member_id = db.session.scalar(select(Membership.id).where(Membership.user_id == world.rep.id))
    row = client.post(f"/t/acme/team/members/{member_id}/role", {"role": "manager"}, htmx=True)
    assert f.shows(row.get_data(as_text=True), f.translated("Manager", "it"))


def test_dates_and_times_are_shown_in_the_readers_timezone(app, client, world):
    with app.app_context(), tenant_context(world.acme.id):
        event = AuditEvent(action="tenant.created", actor_id=world.admin.id,
                           created_at=datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc))
        db.session.add(event)
        db.session.commit()
    client.login("admin@acme.example")
    client.post("/profile", {"name": "Adam Admin", "locale": "en", "timezone": "Asia/Tokyo", "display_currency": ""})
    tokyo = client.get("/t/acme/audit").get_data(as_text=True)
    assert "11/24/26, 8:30" in tokyo  # 23:30 UTC is the next morning in Tokyo
    client.post("/profile", {"name": "Adam Admin", "locale": "it", "timezone": "America/New_York", "display_currency": ""})
    new_york = client.get("/t/acme/audit").get_data(as_text=True)
    assert "23/11/26, 18:30" in new_york  # Italian order, New York time


def test_html_carries_lang_and_dir(client):
    page = client.get("/login", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert '<html lang="vi" dir="ltr">' in page


def test_right_to_left_languages_mirror_the_layout():
    from i18n.locales import text_direction

    assert text_direction("ar") == "rtl" and text_direction("he_IL") == "rtl" and text_direction("vi") == "ltr"


def test_profile_page_in_italian_and_vietnamese(client, world):
    client.login("rep@acme.example")
    for language in ("it", "vi"):
        client.post("/language", {"locale": language, "next": "/profile"})
        page = client.get("/profile").get_data(as_text=True)
        assert f.shows(page, f.translated("Where you are signed in", language))
        assert f.shows(page, f.translated("Sign out everywhere else", language))
    with client.app.app_context():
        assert db.session.scalar(select(User.locale).where(User.id == world.rep.id)) == "vi"
