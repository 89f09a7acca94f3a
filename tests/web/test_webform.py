"""The public web-to-lead form: off until turned on, a visitor's lead, bots and bad input, the rate limit."""
from __future__ import annotations

from sqlalchemy import select

from tenants.audit import AuditEvent
from tenants.db import db
from tenants.scoping import tenant_context
from web.leads.models import Lead

from .. import factories as f
from .lead_helpers import (
    VISITOR,
    count_rows,
    enable_webform,
    text_of,
)


def test_the_web_form_is_off_until_an_admin_turns_it_on(app, client, make_client, world):
    visitor = make_client()
    assert visitor.get("/t/acme/webform").status_code == 404
    assert visitor.post("/t/acme/webform", VISITOR).status_code == 404
    client.login("admin@acme.example")
    settings = client.get("/t/acme/leads/webform")
    assert settings.status_code == 200 and "http://localhost/t/acme/webform" in text_of(settings)
    assert client.post("/t/acme/leads/webform", {"enabled": "y", "owner_id": str(world.coordinator.id)}).status_code == 303
    assert visitor.get("/t/acme/webform").status_code == 200
    coordinator = make_client()
    coordinator.login("coord@acme.example")
    assert coordinator.get("/t/acme/leads/webform").status_code == 403


def test_a_visitor_sends_the_web_form_and_a_lead_appears_with_source_web_form(app, client, world):
    enable_webform(app, world, owner=world.coordinator)
    form = client.get("/t/acme/webform", query_string={"embed": "1"})
    assert form.status_code == 200
    assert "frame-ancestors *" in form.headers["Content-Security-Policy"]
    assert "default-src 'self'" in form.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in form.headers  # the legacy header would forbid what the CSP allows
    assert client.get("/login").headers["X-Frame-Options"] == "DENY"
    assert "csrf_token" not in text_of(form)
    sent = client.http.post("/t/acme/webform?embed=1", data=VISITOR)  # no CSRF token: posted from another site
    assert sent.status_code == 303 and "/t/acme/webform/thanks" in sent.headers["Location"]
    with app.app_context(), tenant_context(world.acme.id):
        lead = db.session.scalars(select(Lead)).one()
        assert (lead.company, lead.contact_name, lead.email, lead.source, lead.owner_id) == (
            "Pasticceria Dolce", "Lucia Bianchi", "lucia@pasticceriadolce.example", "web_form", world.coordinator.id)
        assert lead.phone == "+39 06 555 0101" and lead.notes == "We need a stand at the spring fair"
        assert db.session.scalar(select(AuditEvent.action)) == "lead.web_form"
    assert client.get(sent.headers["Location"]).status_code == 200


def test_the_web_form_refuses_a_filled_honeypot_and_bad_input_and_keeps_what_was_typed(app, client, world):
    enable_webform(app, world)
    bot = client.http.post("/t/acme/webform", data={**VISITOR, "url": "http://spam.example"})
    assert bot.status_code == 422 and f.shows(bot, "leave the last field empty")
    bad = client.http.post("/t/acme/webform", data={**VISITOR, "email": "lucia-at-dolce", "country": "Narnia"})
    assert bad.status_code == 422
    assert f.shows(bad, "Enter a valid email address, like name@example.com.") and f.shows(bad, "Choose a country from the list.")
    assert 'value="Pasticceria Dolce"' in text_of(bad) and "We need a stand" in text_of(bad)
    assert count_rows(app, world.acme, Lead) == 0


def test_the_web_form_is_rate_limited_per_address(app, client, world):
    enable_webform(app, world)
    codes = [client.http.post("/t/acme/webform", data={**VISITOR, "email": f"v{i}@dolce{i}.example"}).status_code
             for i in range(11)]
    assert codes[:10] == [303] * 10 and codes[10] == 429
    assert count_rows(app, world.acme, Lead) == 10


def test_a_nul_byte_in_the_public_form_is_refused_and_the_rest_kept(app, client, world):
    enable_webform(app, world)
    response = client.http.post("/t/acme/webform", data={**VISITOR, "company": "Pasticceria\x00Dolce"})
    assert response.status_code == 422 and f.shows(response, "a NUL byte")
    assert "Lucia Bianchi" in response.get_data(as_text=True)
    assert count_rows(app, world.acme, Lead) == 0


def test_a_visitor_reads_the_web_form_in_their_own_language(app, client, make_client, world):
    """The public form ignored the visitor's language and spoke the tenant's (issue 9)."""
    enable_webform(app, world)
    for language, expected in (("vi-VN,vi;q=0.9,en;q=0.5", "vi"), ("it-IT,it;q=0.9", "it"), ("en-GB,en", "en")):
        visitor = make_client()
        page = visitor.get("/t/acme/webform", headers={"Accept-Language": language}).get_data(as_text=True)
        assert f'<html lang="{expected}"' in page, language
    japanese = make_client().get("/t/acme/webform", headers={"Accept-Language": "ja-JP"}).get_data(as_text=True)
    assert f'<html lang="{world.acme.default_locale}"' in japanese  # not shipped: the workspace's language
