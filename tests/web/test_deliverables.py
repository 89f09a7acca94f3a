"""Deliverables: added, changed in place without overwriting, proven by a link or a checked file, the week."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from tenants.db import db
from tenants.scoping import tenant_context
from web.deliverables.models import Deliverable

from .. import factories as f
from .contract_helpers import SIGNED, get_row


def test_three_deliverables_one_delivered_inline_with_a_proof_link(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    client.sign_in("coord@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        from web.deliverables import service

        kinds = {k.key: k.id for k in service.kinds()}
        db.session.commit()
    for kind, details in (("ad_placement", "Full page, issue 3"), ("web_banner", "Homepage banner, April"),
                          ("discount", "15% off the spring booth")):
        row = client.post(f"/t/acme/contracts/{contract_id}/deliverables", {
            "kind_id": kinds[kind], "details": details, "due_on": "2026-12-01", "responsible_id": str(world.coordinator.id),
            "status": "planned"}, htmx=True)
        assert row.status_code == 200 and details.replace("%", "%") in row.get_data(as_text=True)
    with app.app_context(), tenant_context(world.acme.id):
        deliverable_id = db.session.scalar(select(Deliverable.id).where(Deliverable.details == "Full page, issue 3"))
        version = db.session.get(Deliverable, deliverable_id).version
    row = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status",
                      {"status": "delivered", "version": version}, htmx=True)
    assert row.status_code == 200
    assert row.get_data(as_text=True).lstrip().startswith(f'<tr id="deliverable-{deliverable_id}"')
    proof = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/proof",
                        {"proof_url": "https://magazine.example.com/issue3.pdf"}, htmx=True)
    assert proof.status_code == 200 and "https://magazine.example.com/issue3.pdf" in proof.get_data(as_text=True)
    with app.app_context(), tenant_context(world.acme.id):
        d = db.session.get(Deliverable, deliverable_id)
        assert (d.status, d.delivered_on, d.proof_url) == ("delivered", date.today(), "https://magazine.example.com/issue3.pdf")


def test_the_proof_form_is_asked_for_when_opened_and_goes_back_where_it_was_opened(app, client, world, cf):
    """A row leaves its proof form out (issue 15): opening "Add proof" fetches it in place, carrying the list's
    query when opened from the list; without JavaScript its link opens the form on a page of its own; a proof sent
    with an error comes back in the row with the form open and what was typed in it."""
    import html as html_lib

    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    deliverable_id = cf.deliverable(world.acme, contract_id, details="Full page, issue 3", due_on=date.today())
    client.sign_in("coord@acme.example")
    address = f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/proof"
    listed = client.get("/t/acme/deliverables", query_string={"period": "quarter"}).get_data(as_text=True)
    row = listed[listed.index(f'<tr id="deliverable-{deliverable_id}"'):]
    row = row[:row.index("</tr>")]
    assert 'name="proof_url"' not in row
    opener = html_lib.unescape(re.search(r'<details class="proof-form" hx-get="([^"]+)"', row).group(1))
    assert opener == f"{address}?in_list=period%3Dquarter"
    part = client.get(opener, htmx=True).get_data(as_text=True)
    assert 'name="proof_url"' in part and 'name="in_list" value="period=quarter"' in part and "<html" not in part
    on_its_page = client.get(address).get_data(as_text=True)
    assert "<html" in on_its_page and 'name="proof_file"' in on_its_page and "Full page, issue 3" in on_its_page
    assert 'name="in_list"' not in on_its_page  # opened from the contract: the form goes back to the contract
    wrong = client.post(address, {"proof_url": "not a link"}, htmx=True)
    assert wrong.status_code == 422
    back = wrong.get_data(as_text=True)
    assert '<details class="proof-form" open>' in back and 'value="not a link"' in back
    assert client.get(f"/t/acme/contracts/{contract_id}/deliverables/999999/proof", htmx=True).status_code == 404


def test_a_stale_inline_status_change_is_a_conflict(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep)
    deliverable_id = cf.deliverable(world.acme, contract_id)
    client.sign_in("coord@acme.example")
    client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status", {"status": "in_progress", "version": "1"})
    stale = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status",
                        {"status": "missed", "version": "1"}, htmx=True)
    assert stale.status_code == 409 and "Someone changed this deliverable" in stale.get_data(as_text=True)
    assert get_row(app, world.acme, Deliverable, deliverable_id).status == "in_progress"


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_proof_file_is_checked_for_size_and_type(app, client, world, tmp_path, cf):
    app.config.update(UPLOAD_FOLDER=str(tmp_path), UPLOAD_MAX_BYTES=1024)
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep)
    deliverable_id = cf.deliverable(world.acme, contract_id)
    client.sign_in("coord@acme.example")
    url = f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/proof"

    def upload(name, data, **extra):
        return client.post(url, {"proof_file": (io.BytesIO(data), name), **extra}, htmx=True,
                           content_type="multipart/form-data")

    too_big = upload("proof.pdf", PDF + b"x" * 2000, proof_url="https://keep.example.com/me")
    assert too_big.status_code == 422 and "larger than" in too_big.get_data(as_text=True)
    assert "https://keep.example.com/me" in too_big.get_data(as_text=True)  # what was typed stays
    script = upload("proof.exe", b"MZ\x90\x00")
    assert script.status_code == 422 and "Files of this type are not accepted" in script.get_data(as_text=True)
    disguised = upload("proof.pdf", b"<html><script>alert(1)</script>")
    assert disguised.status_code == 422 and "does not match its name" in disguised.get_data(as_text=True)
    assert list(tmp_path.rglob("*")) == []  # nothing refused was kept
    nul = upload("proof\x00.pdf", PDF)
    assert nul.status_code == 422 and "a NUL byte" in nul.get_data(as_text=True)
    ok = upload("Proof of issue 3.pdf", PDF)
    assert ok.status_code == 200
    download = client.get(f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/proof-file")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_week_view_puts_overdue_first(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator)
    today = date.today()
    cf.deliverable(world.acme, contract_id, details="Late banner", due_on=today - timedelta(days=10),
                   responsible=world.coordinator)
    cf.deliverable(world.acme, contract_id, details="Due page", due_on=today, responsible=world.coordinator)
    cf.deliverable(world.acme, contract_id, details="Next month", due_on=today + timedelta(days=40),
                   responsible=world.coordinator)
    cf.deliverable(world.acme, contract_id, details="Already done", due_on=today - timedelta(days=3),
                   responsible=world.coordinator, status="delivered")
    client.sign_in("coord@acme.example")
    page = client.get("/t/acme/deliverables", query_string={"scope": "mine"}).get_data(as_text=True)
    assert page.index("Late banner") < page.index("Due page")
    assert "Next month" not in page and "Already done" not in page
    home = client.get("/t/acme/").get_data(as_text=True)
    assert "Late banner" in home and "Due page" in home


def test_an_unknown_status_is_a_422_and_a_status_without_its_version_is_a_conflict(app, client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    deliverable_id = cf.deliverable(world.acme, contract_id)
    client.sign_in("coord@acme.example")
    url = f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}/status"
    for htmx in (True, False):
        unknown = client.post(url, {"status": "exploded", "version": "1"}, htmx=htmx)
        assert unknown.status_code == 422 and f.shows(unknown, "Choose one of the options.")
    blind = client.post(url, {"status": "delivered"}, htmx=True)  # a stale page, or a script, without the version
    assert blind.status_code == 409 and f.shows(blind, "Someone changed this deliverable a moment ago")
    assert get_row(app, world.acme, Deliverable, deliverable_id).status == "planned"


def test_a_new_deliverable_asks_what_it_is_and_is_the_contract_coordinators(app, client, world, cf):
    import re

    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator, signed_on=SIGNED)
    client.sign_in("manager@acme.example")
    opener = f"/t/acme/contracts/{contract_id}/deliverables/new"
    contract_page = client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True)
    # The page leaves the form out: opening "Add a deliverable" asks for it (htmx), or follows its link.
    assert f'hx-get="{opener}"' in contract_page and 'name="kind_id"' not in contract_page
    page = client.get(opener, htmx=True).get_data(as_text=True)
    assert "<html" not in page and 'hx-target="#deliverables"' in page
    whole = client.get(opener).get_data(as_text=True)  # no script: the contract's page with the form open
    assert "<html" in whole and re.search(r'<details class="add-form" open>\s*<summary[^>]*>Add a deliverable', whole)
    assert 'name="kind_id"' in whole
    kind = re.search(r'<select[^>]*name="kind_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option selected value="">Choose what</option>', kind)
    responsible = re.search(r'<select[^>]*name="responsible_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'<option selected value="{world.coordinator.id}">' in responsible
    refused = client.post(f"/t/acme/contracts/{contract_id}/deliverables", {
        "kind_id": "", "details": "Booth at the fair", "due_on": "2026-12-01", "status": "planned"}, htmx=True)
    assert refused.status_code == 422 and f.shows(refused, "Choose what is to be delivered.")
    assert 'value="Booth at the fair"' in refused.get_data(as_text=True)


def test_a_new_workspace_adds_its_first_deliverable_with_the_kind_the_page_offered(app, client, world, cf):
    """The built-in kinds made while showing a page are kept: the id the page offered is the one the post finds."""
    import re

    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator, signed_on=SIGNED)
    client.sign_in("coord@acme.example")
    # The first form that needs the built-in kinds.
    page = client.get(f"/t/acme/contracts/{contract_id}/deliverables/new", htmx=True).get_data(as_text=True)
    ad = re.search(r'<option value="(\d+)">Ad placement</option>', page).group(1)
    added = client.post(f"/t/acme/contracts/{contract_id}/deliverables", {
        "kind_id": ad, "details": "Full page, issue 3", "due_on": "2026-12-01", "status": "planned"}, htmx=True)
    assert added.status_code == 200 and f.shows(added, "Full page, issue 3")
    assert f.shows(added, "The deliverable is added.")  # into the page's live region
    listed = client.get("/t/acme/deliverables", query_string={"kind": ad, "due_from": "", "due_to": ""})
    assert _listed(listed) == ["Full page, issue 3"] and not f.shows(listed, "Some filters could not be read")


# --- the list: a range, filters, overdue first, pages ---------------------------------------------------------


def _listed(page) -> list[str]:
    """The details of each deliverable the list shows, top to bottom."""
    import html
    import re

    text = page if isinstance(page, str) else page.get_data(as_text=True)
    return [html.unescape(m) for m in re.findall(r'<span class="details">([^<]*)</span>', text)]


def _plan(world, cf, today):
    """A coordinator's contract with deliverables overdue, due soon, due next quarter, done and missed."""
    from web.deliverables.service import quarter_bounds

    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, coordinator=world.coordinator, signed_on=SIGNED)
    next_quarter = quarter_bounds(quarter_bounds(today)[1] + timedelta(days=1))[0] + timedelta(days=10)
    for details, due, extra in (
            ("Late banner", today - timedelta(days=10), {"kind": "web_banner", "responsible": world.coordinator}),
            ("Due today page", today, {"responsible": world.coordinator}),
            ("Booth in three weeks", today + timedelta(days=21), {"kind": "event_booth", "responsible": world.manager}),
            ("Print run next quarter", next_quarter, {"responsible": world.coordinator}),
            ("Delivered last week", today - timedelta(days=5), {"responsible": world.coordinator,
                                                               "status": "delivered"}),
            ("Missed discount", today - timedelta(days=2), {"kind": "discount", "status": "missed"}),
            ("Nobody's banner", today + timedelta(days=3), {"kind": "web_banner"})):
        cf.deliverable(world.acme, contract_id, details=details, due_on=due, **extra)
    return contract_id, next_quarter


def test_the_list_shows_overdue_and_the_next_4_weeks_open_overdue_first_and_marked(app, client, world, cf):
    today = date.today()
    _plan(world, cf, today)
    client.sign_in("coord@acme.example")
    page = client.get("/t/acme/deliverables")
    assert page.status_code == 200
    assert _listed(page) == ["Late banner", "Due today page", "Nobody's banner", "Booth in three weeks"]
    text = page.get_data(as_text=True)
    overdue_group = text[text.index('class="overdue-group"'):text.index("Due today page")]
    assert "Late banner" in overdue_group and f.shows(overdue_group, "overdue")
    assert f.shows(page, "4 deliverables") and f.shows(page, "Overdue and the next 4 weeks")
    # The form says which range it is: no start (so everything overdue), and four weeks from today.
    assert f'name="due_to" type="date" value="{(today + timedelta(weeks=4)).isoformat()}"' in text
    assert 'name="due_from" type="date" value=""' in text


def test_a_coordinator_plans_a_quarter_ahead_and_is_told_what_is_overdue_outside_it(app, client, world, cf):
    today = date.today()
    _contract_id, next_quarter = _plan(world, cf, today)
    client.sign_in("coord@acme.example")
    page = client.get("/t/acme/deliverables", query_string={"period": "next-quarter"})
    assert _listed(page) == ["Print run next quarter"]
    assert f.shows(page, "1 overdue deliverable is not in this range.")
    # The same range typed as dates, and a range with no end: everything from today on.
    typed = client.get("/t/acme/deliverables", query_string={
        "due_from": next_quarter.isoformat(), "due_to": (next_quarter + timedelta(days=1)).isoformat()})
    assert _listed(typed) == ["Print run next quarter"]
    onwards = client.get("/t/acme/deliverables", query_string={"due_from": today.isoformat(), "due_to": ""})
    assert _listed(onwards) == ["Due today page", "Nobody's banner", "Booth in three weeks", "Print run next quarter"]
    everything = client.get("/t/acme/deliverables", query_string={"due_from": "", "due_to": "", "status": "any"})
    assert len(_listed(everything)) == 7 and _listed(everything)[0] == "Late banner"


def test_the_list_filters_by_kind_person_and_status(app, client, world, cf):
    today = date.today()
    _plan(world, cf, today)
    with app.app_context(), tenant_context(world.acme.id):
        from web.deliverables import service

        banner = service.kind_by_key("web_banner").id
    client.sign_in("coord@acme.example")

    def listed(**args):
        return _listed(client.get("/t/acme/deliverables", query_string=args))

    assert listed(kind=banner) == ["Late banner", "Nobody's banner"]
    assert listed(responsible=str(world.manager.id)) == ["Booth in three weeks"]
    assert listed(responsible="none") == ["Nobody's banner"]
    # Mine: what I am responsible for and what is on contracts I coordinate (here, all of them).
    assert listed(responsible="mine") == ["Late banner", "Due today page", "Nobody's banner", "Booth in three weeks"]
    assert listed(status="delivered") == ["Delivered last week"]
    assert listed(status="missed", kind=str(banner)) == []
    assert listed(status="any") == ["Late banner", "Delivered last week", "Missed discount", "Due today page",
                                    "Nobody's banner", "Booth in three weeks"]
    # A rep sees their own contracts' deliverables, theirs by default: here the rep's contract has them all.
    rep = client.__class__(app)
    rep.sign_in("rep2@acme.example")
    assert _listed(rep.get("/t/acme/deliverables")) == []


def test_the_kept_filter_form_follows_new_kinds_renamed_people_the_reader_and_the_language(app, client, world, cf):
    """The filter form is rendered once for what it depends on (web.deliverables.routes._filters_part): a kind added
    and a person renamed show on the next view, a rep's form defaults to their own, Italian reads Italian."""
    from sqlalchemy import update

    from tenants.models import User

    _plan(world, cf, date.today())
    client.sign_in("admin@acme.example")
    before = client.get("/t/acme/deliverables").get_data(as_text=True)
    assert "Podcast spot" not in before and "Giulia Renamed" not in before
    assert client.post("/t/acme/contracts/settings/kinds", {"name": "Podcast spot"}).status_code == 303
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.manager.id).values(name="Giulia Renamed"))
        db.session.commit()
    after = client.get("/t/acme/deliverables").get_data(as_text=True)
    assert ">Podcast spot</option>" in after and ">Giulia Renamed</option>" in after
    rep = client.__class__(app)
    rep.sign_in("rep2@acme.example")
    assert '<option selected value="mine">' in rep.get("/t/acme/deliverables").get_data(as_text=True)
    assert '<option selected value="">' in client.get("/t/acme/deliverables").get_data(as_text=True)
    client.post("/language", {"locale": "it", "next": "/"})
    assert "Tutti i tipi" in client.get("/t/acme/deliverables").get_data(as_text=True)


def test_the_lists_statements_built_once_answer_each_reader_and_filter_anew(app, make_client, world, cf):
    """The list's first page and counts run statements built once per shape of filters (deliverables.service._shape)
    with each request's values: one rep after another sees their own, one person's filter after another's, one
    range after another."""
    today = date.today()
    account_id = cf.account(world.acme)
    marcos = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    rosas = cf.contract(world.acme, account_id, world.rep2, signed_on=SIGNED)
    cf.deliverable(world.acme, marcos, details="Marco's page", due_on=today, responsible=world.rep)
    cf.deliverable(world.acme, rosas, details="Rosa's banner", due_on=today + timedelta(days=3), responsible=world.rep2)
    marco, rosa, giulia = make_client(), make_client(), make_client()
    marco.sign_in("rep@acme.example")
    rosa.sign_in("rep2@acme.example")
    giulia.sign_in("coord@acme.example")
    for _ in range(2):
        assert _listed(marco.get("/t/acme/deliverables")) == ["Marco's page"]
        assert _listed(rosa.get("/t/acme/deliverables")) == ["Rosa's banner"]
        for person, shown in ((world.rep, "Marco's page"), (world.rep2, "Rosa's banner")):
            page = giulia.get("/t/acme/deliverables", query_string={"responsible": str(person.id)})
            assert _listed(page) == [shown] and "1 deliverable" in page.get_data(as_text=True)
        for day, shown in ((today, ["Marco's page"]), (today + timedelta(days=3), ["Rosa's banner"])):
            args = {"due_from": day.isoformat(), "due_to": day.isoformat(), "responsible": ""}
            assert _listed(giulia.get("/t/acme/deliverables", query_string=args)) == shown


def test_unreadable_filters_are_left_out_with_a_message_never_an_error(app, client, world, cf):
    today = date.today()
    _plan(world, cf, today)
    client.sign_in("coord@acme.example")
    default = _listed(client.get("/t/acme/deliverables"))
    for args, message in (
            ({"due_from": "tomorrow"}, "Enter a date (YYYY-MM-DD)."),
            ({"due_to": "2026-02-30"}, "Enter a date (YYYY-MM-DD)."),
            ({"kind": "banner"}, "Choose one of the options."),
            ({"kind": "99999999999"}, "Choose one of the options."),
            ({"responsible": str(world.rival_owner.id)}, "Choose one of the options."),
            ({"status": "exploded"}, "Choose one of the options."),
            ({"due_from": "2026-06-01", "due_to": "2026-05-01"}, "Choose a day on or after the start.")):
        page = client.get("/t/acme/deliverables", query_string=args)
        assert page.status_code == 200, args
        assert f.shows(page, message) and f.shows(page, "Some filters could not be read"), args
        assert 'aria-invalid="true"' in page.get_data(as_text=True), args
    # What could not be read is left out and the rest applies: no start here, so everything overdue is in.
    four_weeks = (today + timedelta(weeks=4)).isoformat()
    assert _listed(client.get("/t/acme/deliverables", query_string={"due_from": "tomorrow", "due_to": four_weeks})) \
        == default
    left_out = client.get("/t/acme/deliverables", query_string={"due_from": "tomorrow", "due_to": "", "kind": "x"})
    assert _listed(left_out) == [*default, "Print run next quarter"]
    unknown_period = client.get("/t/acme/deliverables", query_string={"period": "someday"})
    assert unknown_period.status_code == 200 and _listed(unknown_period) == default
    assert f.shows(unknown_period, "Some filters could not be read")
    forged = client.get("/t/acme/deliverables", query_string={"after": "not-a-page"})
    assert forged.status_code == 400 and f.shows(forged, "This page address is not one of ours.")
    # In the reader's language.
    client.post("/language", {"locale": "it", "next": "/"})
    italian = client.get("/t/acme/deliverables", query_string={"due_from": "domani"})
    assert italian.status_code == 200 and f.shows(italian, f.translated("Enter a date (YYYY-MM-DD).", "it"))


def test_the_list_is_swapped_in_place_and_its_url_says_what_it_shows(app, client, world, cf):
    today = date.today()
    _plan(world, cf, today)
    client.sign_in("coord@acme.example")
    fragment = client.get("/t/acme/deliverables", query_string={"period": "next-quarter"}, htmx=True)
    text = fragment.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="deliverables-list"') and "<html" not in text
    assert "HX-Request" in fragment.headers["Vary"]
    assert _listed(fragment) == ["Print run next quarter"]
    # The form and the quick ranges are plain GETs (they work without JavaScript) that keep the other filters.
    assert 'method="get"' in text and 'hx-push-url="true"' in text
    assert 'href="/t/acme/deliverables?period=quarter&amp;kind=&amp;responsible=&amp;status=open"' in text


def test_a_status_changed_on_the_list_stays_in_its_row_and_says_so(app, client, world, cf):
    today = date.today()
    contract_id, _ = _plan(world, cf, today)
    with app.app_context(), tenant_context(world.acme.id):
        late = db.session.scalar(select(Deliverable).where(Deliverable.details == "Late banner"))
        late_id, version = late.id, late.version
    client.sign_in("coord@acme.example")
    url = f"/t/acme/contracts/{contract_id}/deliverables/{late_id}/status"
    row = client.post(url, {"status": "delivered", "version": version, "in_list": "period=quarter&status=open"},
                      htmx=True)
    text = row.get_data(as_text=True)
    assert row.status_code == 200 and text.lstrip().startswith(f'<tr id="deliverable-{late_id}"')
    assert 'class="overdue"' not in text.split(">")[0]  # delivered: no longer overdue
    assert "C-" in text and "Harbor Lane Outfitters" in text  # the list's row still names its contract
    assert 'name="in_list" value="period=quarter&amp;status=open"' in text
    assert f.shows(row, "Status of “Late banner” saved: Delivered.")  # into the page's live region
    # Without JavaScript the change returns to the same list, filters and all, at the row.
    back = client.post(url, {"status": "in_progress", "version": version + 1, "in_list": "period=quarter&evil=1"})
    assert back.status_code == 303
    assert back.headers["Location"].endswith(f"/t/acme/deliverables?period=quarter#deliverable-{late_id}")
    proof = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{late_id}/proof",
                        {"proof_url": "https://print.example.com/proof.pdf", "in_list": ""}, htmx=True)
    assert proof.status_code == 200 and f.shows(proof, "The proof of “Late banner” is saved.")
    removed = client.post(f"/t/acme/contracts/{contract_id}/deliverables/{late_id}/delete", {"in_list": "status=any"})
    assert removed.status_code == 303 and removed.headers["Location"].endswith("/t/acme/deliverables?status=any")


def _many_deliverables(app, cf, world, count: int, tag: str) -> None:
    """`count` open deliverables due over the coming weeks, each on its own contract, of every kind and person."""
    from sqlalchemy import insert

    from web.contracts.models import Contract
    from web.deliverables import service

    account_id = cf.account(world.acme, name=f"Bulk account {tag}")
    start = date.today() + timedelta(days=1 + "abc".index(tag))  # a contract number is made of its start
    cf.many_contracts(world.acme, account_id, world.rep, world.coordinator, count, start=start)
    with app.app_context(), tenant_context(world.acme.id):
        kinds = [k.id for k in service.kinds()]
        contract_ids = list(db.session.scalars(select(Contract.id).where(Contract.account_id == account_id)))
        people = (world.coordinator.id, world.manager.id, None)
        db.session.execute(insert(Deliverable), [
            dict(tenant_id=world.acme.id, contract_id=contract_id, kind_id=kinds[i % len(kinds)],
                 details=f"Bulk {tag} {i}", responsible_id=people[i % 3], due_on=start + timedelta(days=i % 20),
                 status=("planned", "in_progress")[i % 2], value_share=100 + i,
                 proof_url="https://proof.example.com/x" if i % 2 else None, version=1)
            for i, contract_id in enumerate(contract_ids)])
        db.session.commit()


def test_the_list_runs_the_same_queries_for_5_and_50_rows_and_pages(app, client, world, cf, queries):
    _many_deliverables(app, cf, world, 5, "a")
    client.sign_in("coord@acme.example")
    client.get("/t/acme/deliverables")  # warm the per-process caches
    with queries() as small:
        page = client.get("/t/acme/deliverables")
    assert page.status_code == 200 and len(_listed(page)) == 5
    _many_deliverables(app, cf, world, 45, "b")
    with queries() as large:
        page = client.get("/t/acme/deliverables")
    assert page.status_code == 200 and len(_listed(page)) == 50
    assert len(large) == len(small), (len(small), len(large))
    assert len(small) <= 20
    # Five more make a second page; it shows the rest, none twice.
    _many_deliverables(app, cf, world, 5, "c")
    import re

    first = page = client.get("/t/acme/deliverables")
    assert f.shows(first, "55 deliverables") and len(_listed(first)) == 50
    after = re.search(r'href="([^"]*after=[^"]*)"', first.get_data(as_text=True)).group(1).replace("&amp;", "&")
    second = client.get(after)
    assert len(_listed(second)) == 5 and not set(_listed(second)) & set(_listed(first))


def test_past_the_cap_the_list_says_more_than_and_still_counts_below_it(app, client, world, cf, monkeypatch):
    """Counts stop at a cap (500 in production, 50 here) so the page costs the same at 100,000 rows."""
    from web.deliverables import service

    monkeypatch.setattr(service, "COUNT_CAP", 50)
    _many_deliverables(app, cf, world, 50, "a")
    client.sign_in("coord@acme.example")
    page = client.get("/t/acme/deliverables")
    assert f.shows(page, "50 deliverables") and not f.shows(page, "More than")
    _many_deliverables(app, cf, world, 5, "b")
    page = client.get("/t/acme/deliverables")
    assert f.shows(page, "More than 50 deliverables") and not f.shows(page, "55 deliverables")
    # A narrower filter is under the cap again and exact.
    started = client.get("/t/acme/deliverables", query_string={"status": "in_progress"})
    assert f.shows(started, "27 deliverables")


def test_a_status_change_in_place_returns_its_row_alone_in_a_few_statements(app, client, world, cf, queries):
    """An htmx status change answers with the changed row, not the contract page it sits on (issue 15: it ran 28
    statements rebuilding the whole page)."""
    _many_deliverables(app, cf, world, 20, "a")
    client.sign_in("coord@acme.example")
    with app.app_context(), tenant_context(world.acme.id):
        d = db.session.scalar(select(Deliverable).order_by(Deliverable.id))
        url = f"/t/acme/contracts/{d.contract_id}/deliverables/{d.id}/status"
        version = d.version
    client.get("/t/acme/deliverables")  # warm the per-process caches
    with queries() as statements:
        row = client.post(url, {"status": "in_progress", "version": version}, htmx=True)
    html = row.get_data(as_text=True)
    assert row.status_code == 200 and html.lstrip().startswith(f'<tr id="deliverable-{d.id}"')
    assert html.count("<tr") == 1
    work = [s for s in statements if "set_config(" not in s]  # PostgreSQL's row-level security settings aside
    assert len(work) <= 10, "\n".join(s[:150] for s in work)
