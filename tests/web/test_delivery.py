"""How responses travel (issue 15): large text gzipped, static files fingerprinted and cached for a year, the
session cookie not re-sent on every answer."""
from __future__ import annotations

import gzip
import re


def _untokened(page: bytes) -> bytes:
    return re.sub(rb'("X-CSRFToken": "|name="csrf_token" value=")[^"]+', rb"\1-", page)


def test_a_large_page_is_gzipped_for_a_browser_that_accepts_it(client, world, cf):
    for n in range(30):
        cf.account(world.acme, name=f"Harbor Lane Outfitters {n}")
    client.login("coord@acme.example")
    plain = client.get("/t/acme/accounts")
    packed = client.get("/t/acme/accounts", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    # The same page; its CSRF token is signed with the second it was made in, so two requests a second apart
    # differ there (seen under load): the token is left out of the comparison.
    assert _untokened(gzip.decompress(packed.data)) == _untokened(plain.data)
    assert len(packed.data) < len(plain.data) / 3
    small = client.get("/t/acme/contracts/total", headers={"Accept-Encoding": "gzip", "HX-Request": "true"})
    assert "Content-Encoding" not in small.headers  # under 1 KB: not worth it


def test_static_files_are_fingerprinted_and_cached_for_a_year(client, world):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page)
    assert css, "the stylesheet's address carries its content hash"
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable
    unversioned = client.get("/static/css/app.css")
    assert unversioned.cache_control.max_age != 365 * 24 * 3600  # no fingerprint, no long cache
    unversioned.close()
    response.close()


def test_the_session_cookie_is_not_sent_again_on_every_answer(client, world):
    client.login("coord@acme.example")
    client.get("/t/acme/")  # the first page after sign-in stores the new session's CSRF token
    first = client.get("/t/acme/contracts")
    second = client.get("/t/acme/accounts")
    cookies = [h for h in (first.headers.getlist("Set-Cookie") + second.headers.getlist("Set-Cookie"))
               if h.startswith("coordina_session=")]
    assert cookies == []


def test_row_links_are_the_links_url_for_builds(app, client, world):
    """Links put together from a cached shape (issue 15) are exactly what Flask's url_for writes."""
    from flask import g, url_for

    from web.links import fast_url_for

    with app.test_request_context("/t/acme/contracts"):
        g.tenant = world.acme
        for endpoint, values in [("contracts.show", {"contract_id": 7}), ("contracts.show", {"contract_id": 0}),
                                 ("deliverables.edit", {"contract_id": 12, "deliverable_id": 345}),
                                 ("contracts.index", {"after": "abc", "q": "a b&c"}), ("contracts.index", {}),
                                 ("contracts.index", {"page": 3}), ("static", {"filename": "css/app.css"})]:
            for _ in range(2):  # built, then from the cache
                assert fast_url_for(endpoint, **values) == url_for(endpoint, **values)


def test_production_builds_a_static_files_address_once_and_keeps_its_mount_point(database_urls, tmp_path,
                                                                               monkeypatch):
    """In production a static file's address (its content hash in it) is made once per process, and an app mounted
    under a path still links under that path."""
    from web import create_app

    from ..conftest import app_config
    from .test_security import STRONG

    monkeypatch.setenv("COORDINA_INSTANCE", str(tmp_path))
    production = create_app(app_config(database_urls, ENV="production", SECRET_KEY=STRONG))
    client = production.test_client()
    css = re.compile(r'href="([^"]*/static/css/app\.css\?v=[0-9a-f]{12})"')
    first = css.search(client.get("/login").get_data(as_text=True)).group(1)
    served = client.get(first)
    served.close()
    assert first.startswith("/static/") and served.status_code == 200
    assert css.search(client.get("/login").get_data(as_text=True)).group(1) == first
    mounted = css.search(client.get("/login", environ_overrides={"SCRIPT_NAME": "/crm"}).get_data(as_text=True))
    assert mounted.group(1) == "/crm" + first


def test_a_cookie_read_once_is_still_checked_and_each_request_gets_its_own_copy(app, client, world, monkeypatch):
    """The session cookie's reading is kept (web.delivery.SessionInterface): a request that changes its session
    leaves the next one's untouched, a cookie past its lifetime signs out even when kept, and a forged one is
    refused."""
    from web import delivery

    client.login("coord@acme.example")
    assert client.get("/t/acme/").status_code == 200  # the first page after sign-in stores the CSRF token
    cookie = client.get_cookie("coordina_session").value
    assert client.get("/t/acme/contracts").status_code == 200
    assert client.get_cookie("coordina_session").value == cookie
    assert cookie in delivery.SessionInterface._read  # read once, kept

    interface = app.session_interface
    with app.test_request_context("/", headers={"Cookie": f"coordina_session={cookie}"}) as ctx:
        first = interface.open_session(app, ctx.request)
        first["locale"] = "vi"
        first.pop("sid")
        second = interface.open_session(app, ctx.request)
    assert second.get("sid") and second.get("locale") != "vi"  # the kept reading was not changed through a copy

    forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    client.set_cookie("coordina_session", forged)
    assert client.get("/t/acme/contracts").status_code == 302  # a bad signature: no session, sign in again

    client.set_cookie("coordina_session", cookie)
    assert client.get("/t/acme/contracts").status_code == 200
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = delivery.time.time()
    monkeypatch.setattr(delivery.time, "time", lambda: now + lifetime + 60)
    assert client.get("/t/acme/contracts").status_code == 302  # kept, yet expired: signed out as before
