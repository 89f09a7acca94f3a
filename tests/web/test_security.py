"""Headers, cookies, CSRF, error pages and production's refusal of unsafe settings."""
from __future__ import annotations

import pytest

from tenants.scoping import tenant_context
from web import create_app
from web.config import ConfigError

from .. import factories as f
from ..conftest import app_config

STRONG = "kx9Y!q2Z#w4V%e6R&t8U*p0O(i9U)y7T-r5E+w3Q"


def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_html_response_carries_the_security_headers(client, world):
    anonymous = ["/", "/login", "/signup", "/password/forgot", "/t/acme/", "/nowhere", "/invitations/forged"]
    for url in anonymous:
        _assert_security_headers(client.get(url))
    client.login("owner@acme.example")
    for url in ["/t/acme/", "/t/acme/team", "/t/acme/audit", "/profile", "/t/rival/", "/t/acme/team?x=1"]:
        response = client.get(url)
        _assert_security_headers(response)
        assert response.headers.get("Cache-Control") == "no-store" or response.status_code == 404


def test_pages_carry_no_inline_script_or_style(client, world):
    client.login("owner@acme.example")
    for url in ["/t/acme/", "/t/acme/team", "/profile"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and " onclick=" not in page
        assert 'src="/static/vendor/htmx-2.0.' in page


def test_the_session_cookie_is_httponly_and_lax_and_secure_in_production(client, database_urls):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    production = create_app(app_config(database_urls, ENV="production", SECRET_KEY=STRONG))
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert "Strict-Transport-Security" in production.test_client().get("/login").headers


def test_a_post_without_the_csrf_token_is_refused_in_the_readers_language(client, world):
    response = client.http.post("/login", data={"email": "owner@acme.example", "password": f.PASSWORD},
                                headers={"Accept-Language": "it"})
    assert response.status_code == 400
    assert f.shows(response.get_data(as_text=True), f.translated("Your session expired or the form was already sent. Reload the page and try again.", "it"))


def test_htmx_requests_send_the_csrf_token_from_the_layout(client, world):
    client.login("owner@acme.example")
    page = client.get("/t/acme/team").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    with client.app.app_context(), tenant_context(world.acme.id):
        from sqlalchemy import select

        from tenants.db import db
        from tenants.models import Membership

        member_id = db.session.scalar(select(Membership.id).where(Membership.user_id == world.rep.id))
    response = client.http.post(f"/t/acme/team/members/{member_id}/role", data={"role": "manager"},
                                headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("language", ["it", "vi"])
def test_error_pages_speak_the_readers_language(client, world, language):
    missing = client.get("/nowhere", headers={"Accept-Language": language})
    assert missing.status_code == 404
    assert f.shows(missing.get_data(as_text=True), f.translated("Not found", language))
    client.login("rep@acme.example")
    forbidden = client.get("/t/acme/audit", headers={"Accept-Language": language})
    assert forbidden.status_code == 403
    # The rep's own language (English) wins over the browser's: the profile is the person's choice.
    assert "Not allowed" in forbidden.get_data(as_text=True)


def test_an_unexpected_error_gets_a_500_page_in_the_readers_language(app, database_urls):
    app = create_app(app_config(database_urls, PROPAGATE_EXCEPTIONS=False))

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaput")

    response = app.test_client().get("/boom", headers={"Accept-Language": "vi"})
    assert response.status_code == 500
    assert f.shows(response.get_data(as_text=True), f.translated("Something went wrong", "vi"))
    assert "kaput" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "changeme"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "a" * 40}, "SECRET_KEY is weak"),
        ({"DEBUG": True, "SECRET_KEY": STRONG}, "DEBUG is on"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(database_urls, monkeypatch, overrides, message):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match=message):
        create_app({**app_config(database_urls), "ENV": "production", **overrides})


def test_development_generates_a_strong_key_once_into_the_instance_folder(database_urls, tmp_path, monkeypatch):
    monkeypatch.setenv("COORDINA_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({**app_config(database_urls), "ENV": "development", "SECRET_KEY": None})
    second = create_app({**app_config(database_urls), "ENV": "development", "SECRET_KEY": None})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_nul_byte_in_an_address_or_a_query_is_a_400(client, world):
    client.login("owner@acme.example")
    assert client.get("/t/acme/contracts", query_string={"q": "abc\x00"}).status_code == 400
    assert client.get("/t/acme/leads/duplicates", query_string={"company": "\x00"}).status_code == 400
    assert client.get("/t/ac%00me/").status_code in (400, 404)


def test_an_id_too_large_for_the_database_is_a_miss_not_a_500(client, world, cf):
    """PostgreSQL answers an id above 2^31 - 1 with an error, not a miss: a fuzz of the forms found the 500."""
    account_id = cf.account(world.acme)
    client.login("owner@acme.example")
    huge = "99999999999"
    for url in (f"/t/acme/contracts/{huge}", f"/t/acme/leads/{huge}", f"/t/acme/accounts/{huge}",
                f"/t/acme/contracts/{huge}/edit"):
        assert client.get(url).status_code == 404, url
    assert client.get("/t/acme/contracts", query_string={"owner": huge, "account": huge}).status_code == 200
    assert client.get("/t/acme/contracts/new", query_string={"account_id": huge}).status_code == 200
    refused = client.post("/t/acme/contracts", {"account_id": huge, "title": "Fair", "value_amount": "10",
                                                "value_currency": "EUR", "starts_on": "2026-11-01",
                                                "ends_on": "2027-10-31", "notice_days": "30"})
    assert refused.status_code == 422 and f.shows(refused, "This form is out of date")
    assert account_id


def test_production_keeps_compiled_templates_in_the_instance(database_urls, tmp_path, monkeypatch):
    """Templates compiled once and kept (a bytecode cache in the instance folder), not once per worker and restart."""
    monkeypatch.setenv("COORDINA_INSTANCE", str(tmp_path))
    production = create_app(app_config(database_urls, ENV="production", SECRET_KEY=STRONG))
    assert production.test_client().get("/login").status_code == 200
    kept = list((tmp_path / "jinja-cache").iterdir())
    assert kept and all(path.stat().st_size > 0 for path in kept)
    again = create_app(app_config(database_urls, ENV="production", SECRET_KEY=STRONG))
    assert again.jinja_env.bytecode_cache.directory == str(tmp_path / "jinja-cache")
    assert again.test_client().get("/login").status_code == 200
    # A template's compiled code is known by its source alone: how it is compiled (web.templating.Unindent) is in
    # the files' names, so a change there never serves code compiled the old way.
    from web.templating import COMPILE_VERSION
    assert all(path.name.startswith(f"__coordina_{COMPILE_VERSION}_") for path in kept)


def test_a_signed_csrf_token_is_given_again_to_its_own_session_only(app, make_client, world):
    """The token a page carries is signed once a minute per session (web.templating.csrf_token), not per page: the
    same session gets the same token and can post with it; another session gets its own, and the first one's is
    refused there."""
    import re

    def token_of(client):
        page = client.get("/t/acme/contracts").get_data(as_text=True)
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)

    giulia, mia = make_client(), make_client()
    giulia.login("coord@acme.example")
    mia.login("manager@acme.example")
    first = token_of(giulia)
    assert token_of(giulia) == first and token_of(mia) != first
    assert giulia.http.post("/language", data={"csrf_token": first, "locale": "en", "next": "/"}).status_code == 303
    assert mia.http.post("/language", data={"csrf_token": first, "locale": "en", "next": "/"}).status_code == 400


def _limited_app(default_limits):
    """A bare Flask app with its own limiter: one view limited to one request a minute, one not limited."""
    from flask import Flask
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    from web.extensions import check_limits_in_views_only

    app = Flask("limits")
    limiter = Limiter(key_func=get_remote_address, default_limits=default_limits, storage_uri="memory://")
    limiter.init_app(app)
    def limited():
        return "limited"

    def free():  # a function of its own name: Flask-Limiter tells views apart by their qualified names
        return "free"

    app.add_url_rule("/limited", "limited", limiter.limit("1 per minute")(limited))
    app.add_url_rule("/free", "free", free)
    check_limits_in_views_only(app, limiter)
    return app.test_client()


def test_a_views_own_limit_holds_when_the_limiter_no_longer_looks_before_every_request():
    client = _limited_app([])
    assert [client.get("/limited").status_code for _ in range(2)] == [200, 429]
    assert [client.get("/free").status_code for _ in range(3)] == [200, 200, 200]


def test_a_default_limit_keeps_the_look_before_every_request():
    client = _limited_app(["1 per minute"])
    assert [client.get("/free").status_code for _ in range(2)] == [200, 429]
