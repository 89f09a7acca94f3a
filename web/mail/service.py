"""Queue mail in the recipient's language; deliver it with retries so a failed send is never lost."""
from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from tenants.db import db, utcnow
from tenants.scoping import current_tenant_id

from .models import OutboxMessage

log = logging.getLogger(__name__)
LOCK = timedelta(minutes=5)


def send_email(to: str, template: str, locale: str, **ctx) -> OutboxMessage:
    """Render templates/mail/<template>.{subject,txt,html} in `locale` and queue the message."""
    with force_locale(locale):
        subject = render_template(f"mail/{template}.subject.txt", **ctx).strip()
        text = render_template(f"mail/{template}.txt", **ctx)
        html = render_template(f"mail/{template}.html", **ctx)
    message = OutboxMessage(
        tenant_id=current_tenant_id(), to_address=to, subject=subject, body_text=text, body_html=html, locale=locale
    )
    db.session.add(message)
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** attempts, 240))


def _claim(message_id: int) -> bool:
    """Take a message for this worker; several ticks on several machines never send it twice at once."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        .values(locked_until=now + LOCK, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _smtp():
    config = current_app.config
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    if config["SMTP_SSL"]:
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
        if config["SMTP_STARTTLS"]:
            server.starttls(context=ssl.create_default_context())
    if config["SMTP_USERNAME"]:
        server.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
    return server


def _mime(message: OutboxMessage) -> EmailMessage:
    mime = EmailMessage()
    mime["From"] = current_app.config["MAIL_FROM"]
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain="coordina")
    mime.set_content(message.body_text)
    if message.body_html:
        mime.add_alternative(message.body_html, subtype="html")
    # After the content: set_content() clears every Content-* header.
    mime["Content-Language"] = message.locale
    return mime


def deliver_due(limit: int = 200) -> dict[str, int]:
    """Send what is due; failures wait with a growing delay and stay in the outbox."""
    config = current_app.config
    now = utcnow()
    due = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    result = {"sent": 0, "failed": 0, "skipped": 0}
    if not due:
        return result
    if not config["SMTP_HOST"]:
        if config["ENV_NAME"] == "production":
            log.warning("SMTP_HOST is not set: %d messages wait in the outbox", len(due))
            result["skipped"] = len(due)
            return result
    server = None
    try:
        for message_id in due:
            if not _claim(message_id):
                result["skipped"] += 1
                continue
            message = db.session.get(OutboxMessage, message_id)
            try:
                if config["SMTP_HOST"]:
                    if server is None:
                        server = _smtp()
                    server.send_message(_mime(message))
                else:
                    # Development without SMTP: like Django's console backend, the message is printed.
                    print(f"--- email to {message.to_address}: {message.subject}\n{message.body_text}\n---")
                message.sent_at = utcnow()
                message.last_error = None
                result["sent"] += 1
            except (OSError, smtplib.SMTPException) as exc:
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.next_attempt_at = utcnow() + _backoff(message.attempts)
                result["failed"] += 1
                if server is not None:
                    try:
                        server.close()
                    finally:
                        server = None
            message.locked_until = None
            db.session.commit()
    finally:
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return result
