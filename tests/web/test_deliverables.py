"""Deliverables: added, changed in place without overwriting, proven by a link or a checked file, the week."""
from __future__ import annotations

import io
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
    page = client.get(f"/t/acme/contracts/{contract_id}").get_data(as_text=True)
    kind = re.search(r'<select[^>]*name="kind_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option selected value="">Choose what</option>', kind)
    responsible = re.search(r'<select[^>]*name="responsible_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'<option selected value="{world.coordinator.id}">' in responsible
    refused = client.post(f"/t/acme/contracts/{contract_id}/deliverables", {
        "kind_id": "", "details": "Booth at the fair", "due_on": "2026-12-01", "status": "planned"}, htmx=True)
    assert refused.status_code == 422 and f.shows(refused, "Choose what is to be delivered.")
    assert 'value="Booth at the fair"' in refused.get_data(as_text=True)
