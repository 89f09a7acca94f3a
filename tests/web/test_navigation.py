"""The sidebar is rendered once per workspace, language, role and place and kept: what it shows must still follow
the page, the reader's language and role, and the workspace's name."""
from __future__ import annotations

import re

from sqlalchemy import select

from tenants.db import db
from tenants.models import Tenant


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
