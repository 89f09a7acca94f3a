"""Mail leaves through a real SMTP server, in the recipient's language; a failed send waits and retries."""
from __future__ import annotations

import socket
import time

from sqlalchemy import select

from tenants.db import db
from tenants.scoping import outbox_access, tenant_context
from web import tick
from web.mail.models import OutboxMessage
from web.mail.service import mail_refused

from .. import servers


def _reset(client, email):
    assert client.post("/password/forgot", {"email": email}).status_code == 303


def test_tick_delivers_the_outbox_over_smtp_once(app, client, world, smtp):
    _reset(client, "coord@acme.example")
    tick.run(app)
    tick.run(app)
    received = smtp.to("coord@acme.example")
    assert len(received) == 1
    message = received[0]
    assert message["Content-Language"] == "it"
    body = message.get_body(("plain",)).get_content()
    assert "/password/reset/" in body
    assert message.get_body(("html",)) is not None
    with app.app_context(), outbox_access():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.sent_at is not None and row.attempts == 1


def test_a_failed_send_stays_in_the_outbox_and_goes_out_on_a_later_tick(app, client, world, smtp):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    good_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = closed_port
    _reset(client, "rep@acme.example")
    tick.run(app)
    with app.app_context(), outbox_access():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error
        row.next_attempt_at = row.created_at  # the back-off has passed
        db.session.commit()
    app.config["SMTP_PORT"] = good_port
    tick.run(app)
    assert len(smtp.to("rep@acme.example")) == 1
    with app.app_context(), outbox_access():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.sent_at is not None and row.attempts == 2 and row.last_error is None


def test_a_message_another_worker_holds_is_not_sent_twice(app, client, world, smtp):
    from datetime import timedelta

    from tenants.db import utcnow

    _reset(client, "rep@acme.example")
    with app.app_context(), outbox_access():
        row = db.session.scalars(select(OutboxMessage)).one()
        row.locked_until = utcnow() + timedelta(minutes=5)  # another machine's tick is sending it
        db.session.commit()
    tick.run(app)
    assert smtp.to("rep@acme.example") == []


def _queue(app, world, *subjects):
    """Messages queued as send_email would, plus any row written before subjects were cleaned (old data)."""
    with app.app_context(), tenant_context(world.acme.id):
        for i, subject in enumerate(subjects):
            db.session.add(OutboxMessage(tenant_id=world.acme.id, to_address=f"person{i}@acme.example",
                                         subject=subject, body_text="Hello", body_html=None, locale="en"))
        db.session.commit()


def test_a_message_that_cannot_be_sent_fails_alone_and_the_others_go_out_in_the_same_tick(app, world, smtp):
    _queue(app, world, "Renewal of Acme", "Renewal of Acme\r\nBcc: everyone@evil.example", "Welcome to Acme")
    results = tick.run(app)
    assert results["outbox"]["sent"] == 2 and results["outbox"]["failed"] == 1
    assert len(smtp.to("person0@acme.example")) == len(smtp.to("person2@acme.example")) == 1
    assert smtp.to("person1@acme.example") == []
    with app.app_context(), outbox_access():
        bad = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "person1@acme.example")).one()
        assert bad.failed_at is not None and bad.sent_at is None
        assert "cannot be sent as written" in bad.last_error and "linefeed" in bad.last_error.lower()
    tick.run(app)  # a failed message never comes back
    assert smtp.to("person1@acme.example") == []


def test_a_workspace_named_with_a_line_break_mails_a_clean_subject(app, client, world, smtp):
    client.login("admin@acme.example")
    settings = {"name": "Acme\r\nBcc: everyone@evil.example", "base_currency": "EUR", "default_locale": "en",
                "timezone": "Europe/Rome", "fx_use_ecb": "y"}
    assert client.post("/t/acme/settings", settings).status_code == 303
    client.post("/t/acme/team/invitations", {"email": "new@acme.example", "role": "rep", "locale": "en"})
    tick.run(app)
    [message] = smtp.to("new@acme.example")
    assert "\n" not in message["Subject"] and message["Bcc"] is None
    assert "Acme Bcc: everyone@evil.example" in message["Subject"]


def test_a_server_that_never_answers_costs_one_timeout_and_nothing_is_lost(app, world):
    _queue(app, world, *[f"Message {i}" for i in range(20)])
    with servers.silent_server() as port:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TIMEOUT=0.5)
        started = time.monotonic()
        results = tick.run(app)
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"one tick took {elapsed:.1f} s against a silent server"
    assert results["outbox"]["sent"] == 0 and results["outbox"]["retrying"] == 1 and results["outbox"]["left"] == 19
    with app.app_context(), outbox_access():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert all(r.sent_at is None and r.failed_at is None for r in rows)  # all still there for the next tick


def test_a_permanent_refusal_is_marked_and_heard_of(app, world, smtp):
    refused = []
    smtp.refuse = {"person1@acme.example"}
    _queue(app, world, "One", "Two")

    def listener(sender, address, code, **kwargs):
        refused.append((address, code))

    mail_refused.connect(listener, sender=app)
    try:
        results = tick.run(app)
    finally:
        mail_refused.disconnect(listener, sender=app)
    assert results["outbox"]["sent"] == 1 and results["outbox"]["failed"] == 1
    assert refused == [("person1@acme.example", 550)]


def test_one_failing_job_does_not_stop_the_others(app, world, smtp, client):
    _reset(client, "rep@acme.example")
    jobs = app.extensions["coordina"].jobs

    def broken(app):
        raise RuntimeError("this job is broken")

    jobs.insert(0, (0, "broken", broken))
    try:
        results = tick.run(app)
    finally:
        jobs.pop(0)
    assert "this job is broken" in results["broken"]["error"]
    assert results["outbox"]["sent"] == 1 and len(smtp.to("rep@acme.example")) == 1
