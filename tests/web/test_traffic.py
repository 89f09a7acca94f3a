"""Traffic: a web banner's tracked link (a click counted, then a redirect; no cookie, no address kept), its pixel,
exact counts under concurrency, the link checker (two failures in a row open one case; it never hangs), the reports
with CSV and site visits beside them, the monthly report mail, the rep's view, roles and languages."""
from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text, update
from werkzeug.serving import make_server

from tenants.db import db
from tenants.scoping import tenant_context
from web.accounts.models import Contact
from web.cases.models import Case
from web.traffic import checker, service
from web.traffic.models import Placement, SiteVisit, TrafficDay, TrafficReport

from .. import factories as f
from ..servers import silent_server
from .distributor_helpers import partners
from .lead_helpers import count_rows, text_of

# The day where the test tenant works (factories make it Europe/Rome): the app counts clicks, windows and months on
# that day, which is not the server's (UTC) day for an hour or two around midnight.
TODAY = service.tenant_today("Europe/Rome")


# --- helpers ----------------------------------------------------------------------------------------------


class Landing:
    """A local landing page that answers `status` (changed by the test), counting HEAD and GET."""

    def __init__(self):
        self.status = 200
        self.head_status = None  # None: as GET
        self.seen = []
        landing = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status):
                landing.seen.append(self.command)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(b"ok")

            def do_HEAD(self):
                self._answer(landing.head_status or landing.status)

            def do_GET(self):
                self._answer(landing.status)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/spring"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def landing():
    page = Landing()
    yield page
    page.close()


def _setup(app, world, cf, *, kind="web_banner", owner=None):
    account_id = cf.account(world.acme, name="Harbor Lane Outfitters")
    contract_id = cf.contract(world.acme, account_id, owner or world.rep, coordinator=world.coordinator,
                              signed_on=TODAY - timedelta(days=100))
    deliverable_id = cf.deliverable(world.acme, contract_id, kind=kind, details="Homepage banner, spring")
    return SimpleNamespace(account_id=account_id, contract_id=contract_id, deliverable_id=deliverable_id)


def _placement(app, world, ids, url="https://www.harbor.example/spring", starts=None, ends=None) -> Placement:
    from web.deliverables.models import Deliverable

    with app.app_context(), tenant_context(world.acme.id):
        row = service.save_placement(db.session.get(Deliverable, ids.deliverable_id), landing_url=url,
                                     starts_on=starts or TODAY - timedelta(days=5),
                                     ends_on=ends or TODAY + timedelta(days=30), where="Home page, top right",
                                     actor_id=None)
        db.session.commit()
        return f.detach(row)


def _placement_row(app, world, placement_id) -> Placement:
    with app.app_context(), tenant_context(world.acme.id):
        return f.detach(db.session.get(Placement, placement_id))


def _counts(app, world, placement_id) -> tuple[int, int]:
    with app.app_context(), tenant_context(world.acme.id):
        row = db.session.execute(select(func.coalesce(func.sum(TrafficDay.clicks), 0),
                                        func.coalesce(func.sum(TrafficDay.impressions), 0))
                                 .where(TrafficDay.placement_id == placement_id)).one()
        return int(row[0]), int(row[1])


def _form(ids, **values):
    return {"deliverable_id": str(ids.deliverable_id), "landing_url": "https://www.harbor.example/spring",
            "starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=30)).isoformat(),
            "placement": "Home page, top right", **values}


def _tick_checks(app, world, now=None):
    tenant = world.acme
    with app.test_request_context(), tenant_context(tenant.id):
        row = db.session.get(type(tenant), tenant.id)
        return checker.check_tenant(row, 40, now=now)


def _cases(app, world, deliverable_id):
    with app.app_context(), tenant_context(world.acme.id):
        return [f.detach(c) for c in db.session.scalars(select(Case).where(Case.deliverable_id == deliverable_id))]


# --- placements ------------------------------------------------------------------------------------------


def test_a_web_banner_gets_a_tracked_link_and_its_pixel(app, client, world, cf):
    ids = _setup(app, world, cf)
    client.sign_in("coord@acme.example")
    page = text_of(client.get(f"/t/acme/contracts/{ids.contract_id}"))
    assert "Web banners and links" in page and "Add a tracked link" in page
    opened = client.get(f"/t/acme/contracts/{ids.contract_id}/placements/new", htmx=True)
    assert opened.status_code == 200 and "Make the tracked link" in text_of(opened)
    response = client.post(f"/t/acme/contracts/{ids.contract_id}/placements", _form(ids))
    assert response.status_code == 303
    with app.app_context(), tenant_context(world.acme.id):
        placement = db.session.scalars(select(Placement)).one()
    assert len(placement.token) == 16 and placement.contract_id == ids.contract_id
    page = text_of(client.get(f"/t/acme/contracts/{ids.contract_id}"))
    # The public address comes from PUBLIC_URL, never from the request's Host.
    assert f"http://localhost/t/acme/go/{placement.token}" in page
    assert f"http://localhost/t/acme/px/{placement.token}.gif" in page  # the pixel snippet, to copy
    app.config["PUBLIC_URL"] = "https://coordina.acme.example"
    try:
        show = text_of(client.get(f"/t/acme/traffic/placements/{placement.id}"))
    finally:
        app.config["PUBLIC_URL"] = "http://localhost"
    assert f"https://coordina.acme.example/t/acme/px/{placement.token}.gif" in show


def test_a_deliverable_that_is_not_digital_has_no_tracked_link(app, client, world, cf):
    ids = _setup(app, world, cf, kind="discount")
    client.sign_in("coord@acme.example")
    assert "Web banners and links" not in text_of(client.get(f"/t/acme/contracts/{ids.contract_id}"))
    response = client.post(f"/t/acme/contracts/{ids.contract_id}/placements", _form(ids))
    assert response.status_code == 422
    assert count_rows(app, world.acme, Placement) == 0


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example/x", "www.harbor.example",
                                 "https://", "data:text/html,hi"])
def test_a_landing_url_that_is_not_http_is_refused_and_what_was_typed_stays(app, client, world, cf, url):
    ids = _setup(app, world, cf)
    client.sign_in("coord@acme.example")
    response = client.post(f"/t/acme/contracts/{ids.contract_id}/placements",
                           _form(ids, landing_url=url, placement="Sidebar, under the search box"))
    body = text_of(response)
    assert response.status_code == 422
    assert "starting with http:// or https://" in body and "Sidebar, under the search box" in body
    assert count_rows(app, world.acme, Placement) == 0


def test_an_end_before_the_start_is_refused(app, client, world, cf):
    ids = _setup(app, world, cf)
    client.sign_in("coord@acme.example")
    response = client.post(f"/t/acme/contracts/{ids.contract_id}/placements",
                           _form(ids, ends_on=(TODAY - timedelta(days=1)).isoformat()), htmx=True)
    assert response.status_code == 422 and "The end cannot be before the start." in text_of(response)
    assert count_rows(app, world.acme, Placement) == 0


def test_the_refusal_is_in_italian(app, client, world, cf):
    ids = _setup(app, world, cf)
    client.login("coord@acme.example")  # Italian, from her profile
    response = client.post(f"/t/acme/contracts/{ids.contract_id}/placements", _form(ids, landing_url="ftp://x"))
    assert response.status_code == 422
    assert f.translated("Enter the full address of the landing page, starting with http:// or https://, e.g. "
                        "https://www.example.com/offer", "it") in text_of(response)


def test_fixing_the_landing_url_keeps_the_link_and_resets_the_check(app, client, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Placement).values(check_failures=2, checked_at=datetime.now(timezone.utc)))
        db.session.commit()
    client.sign_in("coord@acme.example")
    form = {"landing_url": "https://www.harbor.example/summer", "starts_on": TODAY.isoformat(), "ends_on": "",
            "placement": "Sidebar", "version": str(placement.version)}
    assert client.post(f"/t/acme/traffic/placements/{placement.id}", {**form, "landing_url": "nope"}).status_code == 422
    assert client.post(f"/t/acme/traffic/placements/{placement.id}", form).status_code == 303
    row = _placement_row(app, world, placement.id)
    assert (row.landing_url, row.token, row.check_failures, row.checked_at) == (
        "https://www.harbor.example/summer", placement.token, 0, None)
    history = text_of(client.get(f"/t/acme/contracts/{ids.contract_id}"))
    assert "Landing page or run changed" in history and "landing page" in history and "landing_url" not in history
    stale = client.post(f"/t/acme/traffic/placements/{placement.id}", {**form, "placement": "Footer"})
    assert stale.status_code == 409 and "Footer" in text_of(stale)


# --- the public tracked link and pixel ------------------------------------------------------------------


def test_the_tracked_link_counts_a_click_and_redirects_without_cookie_or_address(app, client, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    visitor = app.test_client()
    response = visitor.get(f"/t/acme/go/{placement.token}", environ_base={"REMOTE_ADDR": "203.0.113.77"},
                           headers={"User-Agent": "Visitor browser 1.0"})
    assert response.status_code == 302
    assert response.headers["Location"] == "https://www.harbor.example/spring"
    assert "Set-Cookie" not in response.headers and "no-store" in response.headers["Cache-Control"]
    assert _counts(app, world, placement.id) == (1, 0)
    visitor.get(f"/t/acme/go/{placement.token}")
    assert _counts(app, world, placement.id) == (2, 0)
    # A HEAD (a link preview) redirects but counts nothing.
    assert visitor.head(f"/t/acme/go/{placement.token}").status_code == 302
    assert _counts(app, world, placement.id) == (2, 0)
    # The visitor's address is nowhere in the database.
    with app.app_context(), db.engine.connect() as conn:
        tables = [t for t in db.metadata.sorted_tables if t.name.startswith("traffic_")]
        for table in tables:
            for row in conn.execute(table.select()):
                assert "203.0.113.77" not in repr(tuple(row)), table.name
                assert "Visitor browser" not in repr(tuple(row)), table.name


def test_an_unknown_token_is_404_and_another_tenants_token_too(app, client, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    visitor = app.test_client()
    unknown = visitor.get("/t/acme/go/nosuchtoken12345")
    assert unknown.status_code == 404 and "Set-Cookie" not in unknown.headers
    assert visitor.get("/t/acme/px/nosuchtoken12345.gif").status_code == 404
    assert visitor.get(f"/t/rival/go/{placement.token}").status_code == 404
    assert visitor.get(f"/t/nowhere/go/{placement.token}").status_code == 404
    assert _counts(app, world, placement.id) == (0, 0)


def test_the_pixel_counts_an_impression_and_is_a_gif_never_cached(app, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    visitor = app.test_client()
    response = visitor.get(f"/t/acme/px/{placement.token}.gif")
    assert response.status_code == 200 and response.mimetype == "image/gif"
    assert response.data.startswith(b"GIF89a") and len(response.data) == 43
    assert "no-store" in response.headers["Cache-Control"] and "Set-Cookie" not in response.headers
    visitor.get(f"/t/acme/px/{placement.token}.gif")
    assert _counts(app, world, placement.id) == (0, 2)


def test_a_click_costs_three_statements_and_no_session(app, world, cf, queries):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    visitor = app.test_client()
    visitor.get(f"/t/acme/go/{placement.token}")  # warm
    with queries() as statements:
        assert visitor.get(f"/t/acme/go/{placement.token}").status_code == 302
    meaningful = [s for s in statements if not s.lstrip().upper().startswith(("SELECT SET_CONFIG", "BEGIN"))]
    # The tenant by its slug, the placement by its token, the upsert: no session, no user, no membership.
    assert len(meaningful) == 3, statements
    assert not any("auth_sessions" in s or "memberships" in s for s in statements)


def test_clicks_from_16_threads_at_a_live_server_are_counted_exactly(app, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    import http.client

    def clicks(count):
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        statuses = []
        for _ in range(count):
            conn.request("GET", f"/t/acme/go/{placement.token}")
            answer = conn.getresponse()
            answer.read()
            statuses.append(answer.status)
            if answer.getheader("Connection", "").lower() == "close" or answer.version == 10:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        conn.close()
        return statuses

    try:
        with ThreadPoolExecutor(16) as pool:
            statuses = [s for batch in pool.map(clicks, [25] * 16) for s in batch]
    finally:
        server.shutdown()
    assert statuses.count(302) == 400
    assert _counts(app, world, placement.id) == (400, 0)


# --- the link checker ----------------------------------------------------------------------------------


def test_a_landing_page_that_goes_dead_opens_one_case_after_two_failures(app, world, cf, landing):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids, url=landing.url)
    start = datetime.now(timezone.utc)
    assert _tick_checks(app, world, start) == {"checked": 1, "failed": 0, "cases": 0}
    row = _placement_row(app, world, placement.id)
    assert (row.check_status, row.check_failures, row.last_ok_at is not None) == (200, 0, True)
    assert landing.seen == ["HEAD"]
    # At most once an hour: a tick a minute later leaves it alone.
    assert _tick_checks(app, world, start + timedelta(minutes=1))["checked"] == 0
    landing.status = 404
    assert _tick_checks(app, world, start + timedelta(hours=1, minutes=1)) == {"checked": 1, "failed": 1, "cases": 0}
    assert landing.seen[-2:] == ["HEAD", "GET"]  # an error to HEAD: GET decides
    assert _tick_checks(app, world, start + timedelta(hours=2, minutes=2)) == {"checked": 1, "failed": 1, "cases": 1}
    found = _cases(app, world, ids.deliverable_id)
    assert len(found) == 1
    case = found[0]
    assert (case.channel, case.priority, case.contract_id) == ("link_check", "high", ids.contract_id)
    assert landing.url in case.description and "404" in case.description
    # A third failure: the case is still open, no second one.
    assert _tick_checks(app, world, start + timedelta(hours=3, minutes=3))["cases"] == 0
    assert len(_cases(app, world, ids.deliverable_id)) == 1
    assert _placement_row(app, world, placement.id).check_failures == 3
    # The site works again: the count starts over.
    landing.status = 200
    _tick_checks(app, world, start + timedelta(hours=4, minutes=4))
    row = _placement_row(app, world, placement.id)
    assert (row.check_failures, row.check_status, row.check_error) == (0, 200, None)


def test_the_case_is_written_in_the_tenants_language(app, world, cf, landing):
    with app.app_context():
        from tenants.models import Tenant

        db.session.execute(update(Tenant).where(Tenant.id == world.acme.id).values(default_locale="it"))
        db.session.commit()
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids, url=landing.url)
    landing.status = 500
    with app.app_context(), tenant_context(world.acme.id):
        db.session.execute(update(Placement).values(check_failures=1))
        db.session.commit()
    assert _tick_checks(app, world)["cases"] == 1
    case = _cases(app, world, ids.deliverable_id)[0]
    assert placement.landing_url in case.description
    assert case.subject.startswith("La pagina") or f.translated(
        "The landing page of “%(details)s” does not work", "it", details="Homepage banner, spring") == case.subject


def test_a_server_that_refuses_head_is_checked_with_get(app, world, cf, landing):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids, url=landing.url)
    landing.head_status = 405
    assert _tick_checks(app, world)["failed"] == 0
    assert landing.seen == ["HEAD", "GET"]
    assert _placement_row(app, world, placement.id).check_status == 200


def test_the_checker_never_hangs_on_a_silent_server(app, world, cf):
    ids = _setup(app, world, cf)
    app.config["LINK_CHECK_TIMEOUT"] = 0.5
    try:
        with silent_server() as port:
            placement = _placement(app, world, ids, url=f"http://127.0.0.1:{port}/")
            began = time.monotonic()
            assert _tick_checks(app, world) == {"checked": 1, "failed": 1, "cases": 0}
            assert time.monotonic() - began < 3
    finally:
        app.config.pop("LINK_CHECK_TIMEOUT")
    row = _placement_row(app, world, placement.id)
    assert row.check_failures == 1 and "no answer" in row.check_error and row.check_status is None


def test_a_refused_connection_is_a_clear_failure(app, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids, url="http://127.0.0.1:9/")
    assert _tick_checks(app, world)["failed"] == 1
    assert "refused" in _placement_row(app, world, placement.id).check_error.lower()


def test_placements_not_running_are_not_checked_and_a_tick_is_bounded(app, world, cf, landing):
    ids = _setup(app, world, cf)
    _placement(app, world, ids, url=landing.url, starts=TODAY + timedelta(days=3), ends=TODAY + timedelta(days=9))
    assert _tick_checks(app, world)["checked"] == 0
    assert landing.seen == []
    with app.test_request_context(), tenant_context(world.acme.id):
        from tenants.models import Tenant

        assert checker.check_tenant(db.session.get(Tenant, world.acme.id), 0)["checked"] == 0


def test_the_tick_runs_the_checker(app, world, cf, landing):
    from web import tick

    ids = _setup(app, world, cf)
    _placement(app, world, ids, url=landing.url)
    results = tick.run(app)
    assert results["link_check"] == {"checked": 1, "failed": 0, "cases": 0}
    assert tick.run(app)["link_check"]["checked"] == 0


# --- reports ---------------------------------------------------------------------------------------------


def _history(app, world, placement_id, days=40):
    with app.app_context(), tenant_context(world.acme.id):
        for n in range(days):
            db.session.add(TrafficDay(placement_id=placement_id, day=TODAY - timedelta(days=n), clicks=n % 5 + 1,
                                      impressions=100 + n))
        db.session.commit()


def test_the_placement_report_shows_a_chart_a_table_and_a_csv(app, client, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    _history(app, world, placement.id)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(SiteVisit(day=TODAY, page="/", visits=321))
        db.session.commit()
    client.sign_in("rep@acme.example")
    page = text_of(client.get(f"/t/acme/traffic/placements/{placement.id}"))
    assert "<svg" in page and 'class="clicks"' in page and 'class="visits"' in page
    assert "321" in page
    clicks_30 = sum(n % 5 + 1 for n in range(30))
    assert f"<dd>{clicks_30}</dd>" in page
    csv_text = text_of(client.get(f"/t/acme/traffic/placements/{placement.id}/traffic.csv?days=90"))
    lines = csv_text.strip().splitlines()
    assert lines[0] == "Date,Clicks,Impressions,Site visits" and len(lines) == 91
    assert lines[-1] == f"{TODAY.isoformat()},1,100,321"
    # The contract's own page: the last 30 days of the 40 recorded, clicks and impressions, in the placement's row.
    row = re.search(rf'<tr id="placement-{placement.id}">(.*?)</tr>',
                    text_of(client.get(f"/t/acme/contracts/{ids.contract_id}")), re.S).group(1)
    shown = re.findall(r'<td data-label="(?:Clicks|Impressions), 30 days" class="num">([^<]*)</td>', row)
    assert shown == [str(clicks_30), f"{sum(100 + n for n in range(30)):,}"]
    contract_page = text_of(client.get(f"/t/acme/contracts/{ids.contract_id}/traffic?days=90"))
    assert "Homepage banner, spring" in contract_page and "<svg" in contract_page
    contract_csv = client.get(f"/t/acme/contracts/{ids.contract_id}/traffic.csv")
    assert contract_csv.mimetype == "text/csv" and len(text_of(contract_csv).strip().splitlines()) == 31


def test_site_visits_import_refuses_bad_lines_with_their_numbers_and_saves_nothing(app, client, world):
    client.sign_in("coord@acme.example")
    bad = "date,page,visits\n2026-10-01,/,120\n2026-10-32,/,10\n2026-10-02,/fair,lots\n2026-10-03,/\n"
    response = client.post("/t/acme/traffic/site-visits", {"file": (BytesIO(bad.encode()), "visits.csv")},
                           content_type="multipart/form-data")
    body = text_of(response)
    assert response.status_code == 422
    assert "Line 3:" in body and "Line 4:" in body and "Line 5:" in body and "Line 2:" not in body
    assert count_rows(app, world.acme, SiteVisit) == 0
    good = "date,page,visits\n2026-10-01,/,120\n2026-10-01,/fair,30\n2026-10-02,/,90\n"
    for _ in range(2):  # again: nothing doubles
        response = client.post("/t/acme/traffic/site-visits", {"file": (BytesIO(good.encode()), "visits.csv")},
                               content_type="multipart/form-data")
        assert response.status_code == 303
    assert count_rows(app, world.acme, SiteVisit) == 3
    page = text_of(client.get("/t/acme/traffic/site-visits"))
    assert "October 2026" in page and "240" in page
    assert client.post("/t/acme/traffic/site-visits", {}).status_code == 422


def test_reps_cannot_import_site_visits(app, client, world):
    client.sign_in("rep@acme.example")
    assert client.get("/t/acme/traffic/site-visits").status_code == 403


def test_the_monthly_report_goes_once_in_the_contacts_language(app, world, cf, smtp):
    from web import tick

    ids = _setup(app, world, cf)
    first_of_last, last_of_last = service.previous_month(TODAY)
    placement = _placement(app, world, ids, starts=first_of_last - timedelta(days=10))
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(Contact(account_id=ids.account_id, name="Chiara Verdi", email="chiara@harbor.example",
                               language="it"))
        db.session.add(TrafficDay(placement_id=placement.id, day=first_of_last, clicks=1234, impressions=56789))
        db.session.add(TrafficDay(placement_id=placement.id, day=last_of_last, clicks=6, impressions=11))
        db.session.add(TrafficDay(placement_id=placement.id, day=TODAY.replace(day=1), clicks=999, impressions=999))
        db.session.commit()
    assert tick.run(app)["traffic_reports"] == {"sent": 1}
    assert tick.run(app)["traffic_reports"] == {"sent": 0}
    mails = smtp.to("chiara@harbor.example")
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()
    assert "Chiara Verdi" in body and "1.240" in body and "56.800" in body  # Italian digits: the month's total
    # The greeting, a blank line, then the text; each banner on a line of its own.
    assert "Chiara Verdi,\n\n" in body.replace("\r\n", "\n")
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        "- Homepage banner, spring (Home page, top right): 1.240 clic, 56.800 impressioni"], body
    assert f.translated("Questions or a change to a banner? Just answer this email.", "it") in body
    assert count_rows(app, world.acme, TrafficReport) == 1


def test_the_reps_view_shows_their_own_clients_and_the_change(app, client, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    others = _setup(app, world, cf, owner=world.rep2)
    other = _placement(app, world, others)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(TrafficDay(placement_id=placement.id, day=TODAY - timedelta(days=2), clicks=30, impressions=900))
        db.session.add(TrafficDay(placement_id=placement.id, day=TODAY - timedelta(days=40), clicks=20, impressions=800))
        db.session.commit()
    client.sign_in("rep@acme.example")
    page = text_of(client.get("/t/acme/traffic"))
    assert f"/t/acme/traffic/placements/{placement.id}" in page
    assert f"/t/acme/traffic/placements/{other.id}" not in page
    assert "+50% vs the 30 days before" in page
    assert client.get(f"/t/acme/traffic/placements/{other.id}").status_code == 404
    assert client.get(f"/t/acme/contracts/{others.contract_id}/traffic").status_code == 404
    manager = app.test_client()
    from tests.conftest import Client

    manager = Client(app)
    manager.sign_in("manager@acme.example")
    page = text_of(manager.get("/t/acme/traffic"))
    assert f"/t/acme/traffic/placements/{placement.id}" in page and f"/t/acme/traffic/placements/{other.id}" in page


def test_the_reps_view_runs_the_same_queries_with_few_and_many_placements(app, client, world, cf, queries):
    ids = _setup(app, world, cf)
    _placement(app, world, ids)
    client.sign_in("coord@acme.example")

    def measure():
        client.get("/t/acme/traffic")
        with queries() as statements:
            assert client.get("/t/acme/traffic").status_code == 200
        return len(statements)

    few = measure()
    with app.app_context(), tenant_context(world.acme.id):
        from web.deliverables import service as deliverables
        from web.deliverables.models import Deliverable

        kind = deliverables.kind_by_key("web_banner")
        rows = [Deliverable(contract_id=ids.contract_id, kind_id=kind.id, details=f"Banner {i}", due_on=TODAY)
                for i in range(120)]
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all([Placement(deliverable_id=d.id, contract_id=ids.contract_id, token=f"tok{d.id:013d}",
                                      landing_url="https://x.example/", starts_on=TODAY) for d in rows])
        db.session.flush()
        db.session.execute(text("INSERT INTO traffic_days (tenant_id, placement_id, day, clicks, impressions) "
                                "SELECT tenant_id, id, :day, 3, 40 FROM traffic_placements"), {"day": TODAY})
        db.session.commit()
    assert measure() == few
    page = text_of(client.get("/t/acme/traffic"))
    assert "Next page" in page


def test_distributors_get_404_on_every_traffic_page(app, client, world, cf):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    partners(app, world)
    client.login("minh@lotus.example")
    for url in ["/t/acme/traffic", f"/t/acme/traffic/placements/{placement.id}", "/t/acme/traffic/site-visits",
                f"/t/acme/traffic/placements/{placement.id}/traffic.csv", f"/t/acme/contracts/{ids.contract_id}/traffic",
                f"/t/acme/contracts/{ids.contract_id}/traffic.csv"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/t/acme/contracts/{ids.contract_id}/placements", _form(ids)).status_code == 404
    assert client.post(f"/t/acme/traffic/placements/{placement.id}", {}).status_code == 404


@pytest.mark.parametrize("locale", ["it", "vi"])
def test_traffic_pages_in_italian_and_vietnamese(app, client, world, cf, locale):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids)
    _history(app, world, placement.id, days=5)
    with app.app_context():
        f.person(world.acme, f"tr-{locale}@acme.example", "manager", locale=locale)
    client.login(f"tr-{locale}@acme.example")
    overview = text_of(client.get("/t/acme/traffic"))
    assert f.translated("Clients' traffic", locale) in overview
    show = text_of(client.get(f"/t/acme/traffic/placements/{placement.id}"))
    assert f.translated("Clicks and impressions per day", locale) in show
    assert f.translated("Landing page check", locale) in show
    contract = text_of(client.get(f"/t/acme/contracts/{ids.contract_id}"))
    assert f.translated("Web banners and links", locale) in contract
    assert f.translated("Import from CSV", locale) in text_of(client.get("/t/acme/traffic/site-visits"))


def test_the_demo_has_a_live_banner_and_a_broken_one_with_its_case(app):
    from web import demo

    with app.test_request_context():
        demo.seed()
        from tenants.models import Tenant

        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        with tenant_context(tenant.id):
            placements = list(db.session.scalars(select(Placement).order_by(Placement.id)))
            assert len(placements) == 2
            live, broken = placements
            days = db.session.scalar(select(func.count()).select_from(TrafficDay)
                                     .where(TrafficDay.placement_id == live.id))
            assert days >= 60
            assert broken.check_failures == 2 and broken.landing_url.startswith("http://127.0.0.1:9/")
            assert db.session.scalar(select(func.count()).select_from(Case)
                                     .where(Case.deliverable_id == broken.deliverable_id)) == 1
            assert db.session.scalar(select(func.count()).select_from(SiteVisit)) >= 56


def test_in_production_a_private_address_is_never_fetched(app, world, cf, landing):
    ids = _setup(app, world, cf)
    placement = _placement(app, world, ids, url=landing.url)
    app.config["LINK_CHECK_PRIVATE"] = False
    try:
        assert _tick_checks(app, world)["failed"] == 1
    finally:
        app.config.pop("LINK_CHECK_PRIVATE")
    assert landing.seen == []  # refused before any connection
    assert "private network" in _placement_row(app, world, placement.id).check_error


def test_no_check_starts_after_the_ticks_time_budget(app, world, cf, landing):
    ids = _setup(app, world, cf)
    _placement(app, world, ids, url=landing.url)
    with app.test_request_context(), tenant_context(world.acme.id):
        from tenants.models import Tenant

        done = checker.check_tenant(db.session.get(Tenant, world.acme.id), 40, deadline=time.monotonic() - 1)
    assert done["checked"] == 0 and landing.seen == []


def test_an_unknown_link_says_so_in_the_visitors_language(app, world):
    visitor = app.test_client()
    response = visitor.get("/t/acme/go/nosuchtoken12345", headers={"Accept-Language": "vi"})
    assert response.status_code == 404 and "Set-Cookie" not in response.headers
    assert f.translated("This link does not work", "vi") in text_of(response)
