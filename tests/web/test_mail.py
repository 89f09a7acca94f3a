"""Mail leaves through a real SMTP server, in the recipient's language; a failed send waits and retries."""
from __future__ import annotations

import socket

from sqlalchemy import select

from tenants.db import db
from web import tick
from web.mail.models import OutboxMessage


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
    with app.app_context():
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
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error
        row.next_attempt_at = row.created_at  # the back-off has passed
        db.session.commit()
    app.config["SMTP_PORT"] = good_port
    tick.run(app)
    assert len(smtp.to("rep@acme.example")) == 1
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.sent_at is not None and row.attempts == 2 and row.last_error is None


def test_a_message_another_worker_holds_is_not_sent_twice(app, client, world, smtp):
    from datetime import timedelta

    from tenants.db import utcnow

    _reset(client, "rep@acme.example")
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        row.locked_until = utcnow() + timedelta(minutes=5)  # another machine's tick is sending it
        db.session.commit()
    tick.run(app)
    assert smtp.to("rep@acme.example") == []
