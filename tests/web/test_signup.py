"""A company signs up and lands in its own tenant; bad input is refused in the reader's language."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Membership, Tenant, User
from tenants.scoping import acting_as

from .. import factories as f

GOOD = {
    "company_name": "Nhà Xuất Bản Trẻ",
    "slug": "nxb-tre",
    "base_currency": "VND",
    "default_locale": "vi",
    "timezone": "Asia/Ho_Chi_Minh",
    "owner_name": "Trần Văn Minh",
    "email": "Minh@NXBTre.vn",
    "password": "lotus river 2026 kite",
    "nonce": "nonce-1",
}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_company_signs_up_and_the_owner_lands_on_its_home_page(app, client):
    response = client.post("/signup", GOOD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/t/nxb-tre/")
    home = client.get("/t/nxb-tre/")
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert "Nhà Xuất Bản Trẻ" in page
    assert '<html lang="vi"' in page  # the owner's language is the one chosen for the company
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "nxb-tre"))
        assert (tenant.base_currency, tenant.default_locale, tenant.timezone) == ("VND", "vi", "Asia/Ho_Chi_Minh")
        owner = db.session.scalar(select(User).where(User.email == "minh@nxbtre.vn"))
        assert owner.password_hash.startswith("$argon2id$")
        with acting_as(owner.id):  # the person's memberships, whichever tenant
            assert db.session.scalar(select(Membership.role).where(Membership.user_id == owner.id)) == "owner"


def test_a_double_submit_creates_one_tenant_and_both_land_in_it(app, client, make_client):
    # A double click sends the same form twice with the same cookie, before either answer arrives.
    token = client.token()
    twin = make_client()
    twin.http.set_cookie("coordina_session", client.http.get_cookie("coordina_session").value)
    first = client.post("/signup", GOOD)
    second = twin.post("/signup", {**GOOD, "csrf_token": token})
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"].endswith("/t/nxb-tre/")
    with app.app_context():
        assert _count(Tenant) == 1 and _count(User) == 1
        with acting_as(db.session.scalar(select(User.id))):
            assert _count(Membership) == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("slug", "taken", "This address is already taken"),
        ("slug", "Bad Slug!", "Use 3 to 40 lowercase letters"),
        ("password", "password123", "too easy to guess"),
        ("password", "short", "at least 10 characters"),
        ("email", "minh@", "Enter a valid email address"),
        ("base_currency", "XYZ", "Choose a currency from the list"),
        ("timezone", "Mars/Olympus", "Choose a timezone from the list"),
    ],
)
def test_bad_input_gets_422_with_the_message_and_every_value_kept(app, client, field, value, message):
    with app.app_context():
        f.tenant("taken")
    data = {**GOOD, field: value}
    response = client.post("/signup", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    for kept in ("Nhà Xuất Bản Trẻ", "Trần Văn Minh"):
        assert kept in page
    if field in ("slug", "email"):
        assert f'value="{value}"' in page
    assert 'value="nxb-tre"' in page or field == "slug"
    with app.app_context():
        assert _count(Tenant) == 1  # only the pre-existing one


def test_a_nonce_with_a_nul_byte_gets_422_and_no_tenant(app, client):
    """The hidden nonce is the form's own: one carrying a NUL byte (no database keeps one; PostgreSQL refused the
    look-up with an error) is refused as a stale form, everything typed kept."""
    response = client.post("/signup", {**GOOD, "nonce": "a\x00b"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nhà Xuất Bản Trẻ" in page and 'value="nxb-tre"' in page
    with app.app_context():
        assert _count(Tenant) == 0


@pytest.mark.parametrize("language", ["it", "vi"])
def test_the_refusal_speaks_the_readers_language(app, client, language):
    with app.app_context():
        f.tenant("taken")
    response = client.post("/signup", {**GOOD, "slug": "taken", "password": "x"}, headers={"Accept-Language": language})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f.shows(page, f.translated("This address is already taken. Choose another.", language))
    assert f.shows(page, f.translated("Use at least %(num)d characters for the password.", language, num=10))
    assert f.shows(page, f.translated("Create your workspace", language))
    assert f'<html lang="{language}"' in page


def test_the_address_is_suggested_from_the_company_name_and_checked(app, client):
    with app.app_context():
        f.tenant("nha-xuat-ban-tre")
    fragment = client.get("/signup/slug", query_string={"company_name": "Nhà Xuất Bản Trẻ", "slug": ""}, htmx=True)
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert 'value="nha-xuat-ban-tre-2"' in html and "This address is free" in html
    typed = client.get("/signup/slug", query_string={"company_name": "x", "slug": "nha-xuat-ban-tre",
                                                     "slug_suggested": "x"}, htmx=True).get_data(as_text=True)
    assert 'value="nha-xuat-ban-tre"' in typed and "already taken" in typed


def test_someone_with_an_account_adds_a_company_with_their_own_password(app, client):
    with app.app_context():
        f.person(f.tenant("first"), "minh@nxbtre.vn", "owner")
    wrong = client.post("/signup", GOOD)
    assert wrong.status_code == 422
    assert "already has a Coordina account" in wrong.get_data(as_text=True)
    right = client.post("/signup", {**GOOD, "password": f.PASSWORD, "nonce": "nonce-2"})
    assert right.status_code == 303
    with app.app_context():
        assert _count(User) == 1
        with acting_as(db.session.scalar(select(User.id))):
            assert _count(Membership) == 2


def test_the_sign_up_form_lists_currencies_in_the_readers_language(client):
    page = client.get("/signup", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "USD · dollaro statunitense" in page
    assert "JPY · yen giapponese" in page
