"""A list's rows are rendered once for what they show and kept (web/row_cache.py): what a reader sees must still be
the data as it is now, in their own language and format, with their workspace's links."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import update

from tenants.db import db
from tenants.scoping import tenant_context
from web.accounts.models import Account
from web.leads.models import Lead
from web.row_cache import RowCache

from ..factories import shows


def _rows(page) -> list[str]:
    text = page if isinstance(page, str) else page.get_data(as_text=True)
    return re.findall(r"<tr>\s*<td.*?</tr>", text.split("<tbody>", 1)[1].split("</tbody>", 1)[0], re.S)


def _cache(app) -> RowCache:
    return app.extensions["row_cache"]


def test_a_list_seen_again_reuses_its_rows_and_shows_every_change(app, client, world, cf):
    account = cf.account(world.acme, name="Harbor Lane Outfitters")
    cf.contract(world.acme, account, world.rep, title="Spring campaign", value="27500")
    cf.contract(world.acme, account, world.rep, title="Autumn campaign", value="1200")
    client.sign_in("admin@acme.example")
    first = client.get("/t/acme/contracts")
    assert len(_rows(first)) == 2 and shows(first, "Harbor Lane Outfitters") and shows(first, "$27,500.00")
    misses = _cache(app).misses
    again = client.get("/t/acme/contracts")
    assert _rows(again) == _rows(first)
    assert _cache(app).misses == misses  # both rows came from the cache

    # A renamed account is other data: its rows are rendered anew, never the kept ones with the old name.
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Account).where(Account.id == account).values(name="Harbor Lane Group"))
        db.session.commit()
    renamed = client.get("/t/acme/contracts")
    assert shows(renamed, "Harbor Lane Group") and not shows(renamed, "Harbor Lane Outfitters")
    assert _cache(app).misses == misses + 2


def test_the_same_rows_read_in_each_readers_language_and_format(app, client, make_client, world, cf):
    account = cf.account(world.acme)
    cf.contract(world.acme, account, world.rep, value="27500", ends=date.today() + timedelta(days=200))
    client.sign_in("admin@acme.example")
    english = client.get("/t/acme/contracts").get_data(as_text=True)
    italian_reader = make_client()
    italian_reader.login("coord@acme.example")  # Giulia reads Italian, in Rome
    italian = italian_reader.get("/t/acme/contracts").get_data(as_text=True)
    assert "$27,500.00" in english and 'data-label="Account"' in english
    assert "27.500,00" in italian and 'data-label="Cliente"' in italian
    assert "$27,500.00" not in italian
    # And the English reader still gets English rows after the Italian ones were kept.
    assert _rows(client.get("/t/acme/contracts")) == _rows(english)


def test_lead_rows_follow_their_status_tags_and_owner(app, client, world):
    client.sign_in("admin@acme.example")
    created = client.post("/t/acme/leads", data={"company": "Osteria Bella", "contact_name": "Paola Neri",
                                                 "country": "IT", "language": "it", "source": "cold_research",
                                                 "owner_id": str(world.rep.id), "tags": "fiera, vino"})
    assert created.status_code == 303, created.get_data(as_text=True)[:500]
    row = _rows(client.get("/t/acme/leads"))[0]
    assert "Osteria Bella" in row and "Marco Rep" in row and ">fiera<" in row and ">vino<" in row
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Lead).values(owner_id=world.rep2.id, status="qualified"))
        db.session.commit()
    row = _rows(client.get("/t/acme/leads"))[0]
    assert "Rosa Rep" in row and "Marco Rep" not in row and "Qualified" in row


def test_the_cache_keeps_the_most_recently_used_rows_within_its_size():
    cache = RowCache(size=2)
    cache.put("a", "<tr>a</tr>")
    cache.put("b", "<tr>b</tr>")
    assert cache.get("a") == "<tr>a</tr>"  # a is now the most recent
    cache.put("c", "<tr>c</tr>")
    assert cache.get("b") is None and cache.get("a") == "<tr>a</tr>" and cache.get("c") == "<tr>c</tr>"
    assert len(cache.rows) == 2


def test_a_lists_labels_follow_each_readers_language_turn_by_turn(app, client, make_client, world, cf):
    """The deliverables list's kind and status labels are translated once a process for each language, not once a
    request: readers of two languages taking turns each read their own."""
    contract_id = cf.contract(world.acme, cf.account(world.acme), world.rep)
    cf.deliverable(world.acme, contract_id, kind="event_booth")
    client.sign_in("admin@acme.example")
    italian_reader = make_client()
    italian_reader.login("coord@acme.example")  # Giulia reads Italian
    turns = [reader.get("/t/acme/deliverables").get_data(as_text=True)
             for reader in (client, italian_reader, client, italian_reader)]
    for english, italian in (turns[0:2], turns[2:4]):
        assert "Event booth" in english and "Open: planned or in progress" in english
        assert "Stand a un evento" in italian and "Aperte: pianificate o in corso" in italian
        assert "Event booth" not in italian and "Stand a un evento" not in english


def test_the_leads_filter_bar_is_kept_per_choice_person_page_and_language(app, client, world):
    """The leads filter bar is rendered once for what it shows (web.row_cache.kept_part): the status chosen is the
    one selected, a renamed colleague shows at once, the board's bar asks the board, Italian reads Italian."""
    from tenants.models import User

    client.sign_in("coord@acme.example")

    def bar(path, **args):
        page = client.get(path, query_string=args).get_data(as_text=True)
        return page[page.index('<form class="filters lead-filters"'):page.index("</form>", page.index("lead-filters"))]

    plain, qualified = bar("/t/acme/leads"), bar("/t/acme/leads", status="qualified")
    assert '<option value="qualified" selected>' in qualified and '<option value="qualified" selected>' not in plain
    assert 'action="/t/acme/leads"' in plain and 'action="/t/acme/leads/board"' in bar("/t/acme/leads/board")
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.rep.id).values(name="Marco Renamed"))
        db.session.commit()
    assert ">Marco Renamed</option>" in bar("/t/acme/leads")
    client.post("/language", {"locale": "it", "next": "/"})
    assert "Qualsiasi stato" in bar("/t/acme/leads")


def test_the_contract_filter_bar_is_kept_per_choice_rep_and_language(app, client, world):
    """The contract list's filter bar (kept_part): the status and country chosen are selected, a renamed rep shows at
    once, Italian reads Italian; a search's fragment has no bar."""
    from tenants.models import User

    client.sign_in("coord@acme.example")

    def bar(**args):
        page = client.get("/t/acme/contracts", query_string=args).get_data(as_text=True)
        return page[page.index('<form class="filters"'):page.index("</form>", page.index('<form class="filters"'))]

    chosen = bar(status="active", country="IT")
    assert '<option value="active" selected>' in chosen and '<option value="IT" selected>' in chosen
    assert '<option value="active" selected>' not in bar()
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.rep.id).values(name="Marco Renamed"))
        db.session.commit()
    assert ">Marco Renamed</option>" in bar()
    assert '<form class="filters"' not in client.get("/t/acme/contracts", query_string={"q": "x"},
                                                      htmx=True).get_data(as_text=True)
    client.post("/language", {"locale": "it", "next": "/"})
    assert "Tutti i Paesi" in bar()
