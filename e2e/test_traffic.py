"""A client's banner link goes dead: the coordinator gives the banner its landing page on the contract, the page
starts answering 404, two ticks later the landing page is marked failing and a case is open on the deliverable;
the coordinator fixes the address, the tracked link sends a visitor to it, and the click shows in the figures."""
from __future__ import annotations

import re
import threading
import uuid
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import scripts_ready
from tenants.db import db
from tenants.models import Role
from tenants.scoping import tenant_context
from tests import contract_factories as cf
from tests import factories as f


@pytest.fixture
def client_site():
    """The client's site on this machine: /spring works until `dead` is set, /summer always works."""
    state = {"dead": False}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            dead = self.path.startswith("/spring") and state["dead"]
            body = b"<!doctype html><title>Not found</title>" if dead else \
                b"<!doctype html><title>Harbor Lane offer</title><h1>Spring offer</h1>"
            self.send_response(404 if dead else 200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        do_GET = do_HEAD = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_dead_banner_link_opens_a_case_and_the_fixed_link_counts_the_click(new_context, live_app, run_tick,
                                                                              client_site):
    state, site = client_site
    tag = uuid.uuid4().hex[:6]
    today = date.today()
    with live_app.app_context():
        tenant = f.tenant(f"banners-{tag}", name=f"Banners {tag}")
        giulia = f.person(tenant, f"giulia-{tag}@banners.example", Role.coordinator, name="Giulia Rossi")
        marco = f.person(tenant, f"marco-{tag}@banners.example", Role.rep, name="Marco Bianchi")
        account_id = cf.account(tenant, name="Harbor Lane Outfitters")
        contract_id = cf.contract(tenant, account_id, marco, coordinator=giulia, signed_on=today - timedelta(days=30))
        deliverable_id = cf.deliverable(tenant, contract_id, kind="web_banner", details="Homepage banner, spring")
    page = new_context().new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(f"giulia-{tag}@banners.example")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    scripts_ready(page)

    # On the contract: the banner gets its landing page and, in place, its tracked link.
    page.goto(f"/t/{tenant.slug}/contracts/{contract_id}")
    panel = page.locator("#traffic")
    panel.get_by_text("Add a tracked link").click()
    panel.get_by_label("Landing page").fill(f"{site}/spring")
    panel.get_by_label("Where it shows").fill("Home page, top right")
    panel.get_by_role("button", name="Make the tracked link").click()
    tracked = panel.get_by_label("Tracked link of Homepage banner, spring")
    expect(tracked).to_have_value(re.compile(rf"/t/{tenant.slug}/go/[A-Za-z0-9_-]{{16}}$"))
    address = tracked.input_value()

    # The client's page goes dead; two checks later it is failing and a case is open on the deliverable.
    state["dead"] = True
    live_app.config["LINK_CHECK_INTERVAL"] = 0
    try:
        assert run_tick()["link_check"]["failed"] >= 1
        assert run_tick()["link_check"]["cases"] >= 1
    finally:
        live_app.config.pop("LINK_CHECK_INTERVAL")
    from web.cases.models import Case

    with live_app.app_context(), tenant_context(tenant.id):
        cases = list(db.session.scalars(select(Case).where(Case.deliverable_id == deliverable_id)))
        assert [(c.channel, c.priority) for c in cases] == [("link_check", "high")]
        assert f"{site}/spring" in cases[0].description
    page.reload()
    expect(panel.get_by_text("Fails (2 times in a row)")).to_be_visible()
    # The case is on the contract and on the coordinator's home page, the first answer due.
    subject = "The landing page of “Homepage banner, spring” does not work"
    expect(page.locator("#cases-contract").get_by_text(subject)).to_be_visible()
    page.goto(f"/t/{tenant.slug}/")
    mine = page.get_by_role("region", name="My cases")
    expect(mine.get_by_role("link", name=re.compile(re.escape(subject)))).to_be_visible()
    expect(mine).to_contain_text("First answer due in")

    # The coordinator fixes the address on the banner's page.
    page.goto(f"/t/{tenant.slug}/contracts/{contract_id}")
    panel.get_by_role("link", name="Homepage banner, spring").click()
    page.get_by_role("textbox", name="Landing page").fill(f"{site}/summer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Not checked yet")).to_be_visible()
    placement_page = page.url

    # ... and solves the case from her home page: it leaves her list of cases to act on.
    page.goto(f"/t/{tenant.slug}/")
    mine.get_by_role("link", name=re.compile(re.escape(subject))).click()
    page.get_by_label("Note").fill("Landing page moved to /summer; the tracked link now goes there.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".flash.success")).to_contain_text("The note is added.")
    page.get_by_label("Status", exact=True).select_option(label="Solved")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name="Thread")).to_contain_text("Solved")
    page.goto(f"/t/{tenant.slug}/")
    expect(page.get_by_role("link", name=re.compile(re.escape(subject)))).to_have_count(0)
    with live_app.app_context(), tenant_context(tenant.id):
        assert db.session.scalar(select(Case.status).where(Case.deliverable_id == deliverable_id)) == "solved"
    page.goto(placement_page)

    # A visitor follows the tracked link: they land on the client's page, and the click is in today's figures.
    visitor = new_context().new_page()
    visitor.goto(address)
    expect(visitor).to_have_url(f"{site}/summer")
    expect(visitor.get_by_role("heading", name="Spring offer")).to_be_visible()
    page.reload()
    figures = page.get_by_role("group", name="Traffic per day")
    expect(figures.locator("tbody tr").first).to_contain_text("1")
    expect(page.locator("svg.traffic-chart path.clicks")).to_have_count(1)
