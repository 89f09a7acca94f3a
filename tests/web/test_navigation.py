"""The sidebar is rendered once per workspace, language, role and place and kept: what it shows must still follow
the page, the reader's language and role, and the workspace's name."""
from __future__ import annotations

import re

from sqlalchemy import select

from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context

from .. import factories as f


def _sidebar(page) -> str:
    text = page if isinstance(page, str) else page.get_data(as_text=True)
    return re.search(r'<nav class="sidebar".*?</nav>', text, re.S).group(0)


def _current(page) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)</a>', _sidebar(page))


def test_the_sidebar_marks_the_page_in_the_readers_language_and_role(app, client, make_client, world):
    client.sign_in("admin@acme.example")
    assert _current(client.get("/t/acme/contracts")) == ["Contracts"]
    assert _current(client.get("/t/acme/leads")) == ["Leads"]
    # An admin page marks its own entry, not its area's (contract settings live under contracts).
    assert _current(client.get("/t/acme/contracts/settings")) == ["Contract settings"]
    assert _current(client.get("/t/acme/")) == ["Home"]
    assert "Audit trail" in _sidebar(client.get("/t/acme/"))
    # A rep has no admin entries on the same page; in Italian, the same page's sidebar is in Italian.
    rep = make_client()
    rep.sign_in("rep@acme.example")
    assert _current(rep.get("/t/acme/contracts")) == ["Contracts"]
    assert "Audit trail" not in _sidebar(rep.get("/t/acme/contracts"))
    coordinator = make_client()
    coordinator.login("coord@acme.example")  # Giulia reads Italian
    sidebar = _sidebar(coordinator.get("/t/acme/contracts"))
    assert "Audit trail" not in sidebar and "Registro" not in sidebar
    assert _current(coordinator.get("/t/acme/contracts")) == ["Contratti"]
    # The other workspace's sidebar carries its own name and links.
    rival = make_client()
    rival.sign_in("owner@rival.example")
    sidebar = _sidebar(rival.get("/t/rival/contracts"))
    assert "Rival Publishing" in sidebar and 'href="/t/rival/leads"' in sidebar and "/t/acme/" not in sidebar


def test_a_renamed_workspace_shows_its_new_name_in_the_sidebar(app, client, world):
    client.sign_in("admin@acme.example")
    assert "Acme Media" in _sidebar(client.get("/t/acme/contracts"))
    with app.app_context():
        db.session.scalar(select(Tenant).where(Tenant.slug == "acme")).name = "Acme Worldwide"
        db.session.commit()
    sidebar = _sidebar(client.get("/t/acme/contracts"))
    assert "Acme Worldwide" in sidebar and "Acme Media" not in sidebar


def _topbar(page) -> str:
    text = page if isinstance(page, str) else page.get_data(as_text=True)
    return re.search(r'<header class="topbar">.*?</header>', text, re.S).group(0)


def test_the_top_bar_is_kept_but_each_page_gets_its_own_way_back_and_token(app, client, make_client, world):
    """The top bar is rendered once per workspace, person, workspaces and language (web.navigation.topbar): the
    language form still returns to the page it was on, with this session's token, and the switcher says where the
    person is, in their language."""
    from tenants.members import add_member
    from tenants.models import Role

    with app.app_context(), tenant_context(world.rival.id):  # memberships have a row policy on PostgreSQL
        add_member(db.session.get(Tenant, world.rival.id), db.session.merge(world.admin), Role.rep)
        db.session.commit()
    client.sign_in("admin@acme.example")
    first = _topbar(client.get("/t/acme/contracts?status=draft&q=a%26b"))
    assert 'name="next" value="/t/acme/contracts?status=draft&amp;q=a%26b"' in first
    second = _topbar(client.get("/t/acme/leads"))
    assert 'name="next" value="/t/acme/leads"' in second
    # Both workspaces, this one marked, each with the person's role there; the person's own name in the menu.
    assert re.search(r'href="/t/acme/" class="current" aria-current="true">Acme Media <small>· Admin</small>', second)
    assert 'href="/t/rival/">Rival Publishing <small>· Sales rep</small>' in second
    assert "Adam Admin" in second
    token = re.search(r'name="csrf_token" value="([^"]+)"', second).group(1)
    assert token != "coordina-topbar-csrf-0000"
    # The kept bar's token is this session's: the language form posts with it and the language changes.
    switched = client.http.post("/language", data={"csrf_token": token, "locale": "it", "next": "/t/acme/leads"})
    assert switched.status_code == 303 and switched.headers["Location"].endswith("/t/acme/leads")
    italian = _topbar(client.get("/t/acme/leads"))
    assert f"Rival Publishing <small>· {f.translated('Sales rep', 'it')}</small>" in italian
    assert '<option value="it" selected>' in italian
    # Another person's bar is their own, whatever was kept before.
    other = make_client()
    other.sign_in("rep@acme.example")
    bar = _topbar(other.get("/t/acme/leads"))
    assert "Marco Rep" in bar and "Adam Admin" not in bar and "Rival Publishing" not in bar
    colleague = make_client()  # same workspace, role and language: only the name differs
    colleague.sign_in("rep2@acme.example")
    bar = _topbar(colleague.get("/t/acme/leads"))
    assert "Rosa Rep" in bar and "Marco Rep" not in bar
