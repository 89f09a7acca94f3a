"""Queue mail in the recipient's language; deliver it with retries so a failed send is never lost."""
from __future__ import annotations

import email.errors
import logging
import smtplib
import ssl
import time
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from blinker import Namespace
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from tenants.db import db, utcnow
from tenants.scoping import current_tenant_id, outbox_access

from .models import OutboxMessage

log = logging.getLogger(__name__)
LOCK = timedelta(minutes=5)
# Sent when a server refuses a message for good (a 5xx): kwargs address, code, reason, tenant_id. The contacts
# behind the address can be marked as bouncing. Receivers run before the refusal is committed.
mail_refused = Namespace().signal("mail-refused")


def send_email(to: str, template: str, locale: str, **ctx) -> OutboxMessage:
    """Render templates/mail/<template>.{subject,txt,html} in `locale` and queue the message."""
    with force_locale(locale):
        subject = render_template(f"mail/{template}.subject.txt", **ctx)
        text = render_template(f"mail/{template}.txt", **ctx)
        html = render_template(f"mail/{template}.html", **ctx)
    # A name that reaches the subject (a workspace, a company) may hold a line break: a header never does.
    subject = " ".join(subject.split())[:255]
    message = OutboxMessage(tenant_id=current_tenant_id(), to_address=" ".join(to.split()), subject=subject,
                            body_text=text, body_html=html, locale=locale)
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
            OutboxMessage.failed_at.is_(None),
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
    """The message as sent; raises ValueError when a header cannot be written (the message is wrong, not the
    server: retrying would not help)."""
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


def _refusal(exc: Exception) -> tuple[int, str] | None:
    """(code, reason) when the server refused this message for good (a 5xx), else None (try again later)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [(code, msg) for code, msg in exc.recipients.values()]
        if codes and all(code >= 500 for code, _msg in codes):
            code, msg = codes[0]
            return code, msg.decode(errors="replace") if isinstance(msg, bytes) else str(msg)
        return None
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500:
        error = exc.smtp_error
        return exc.smtp_code, error.decode(errors="replace") if isinstance(error, bytes) else str(error)
    return None


def _give_up(message: OutboxMessage, reason: str) -> None:
    message.failed_at = utcnow()
    message.last_error = reason[:2000]


def deliver_due(limit: int = 200) -> dict[str, int]:
    """Send what is due, within the tick's time budget. A message that cannot be sent as written, or that the
    server refuses for good, is marked failed with its reason and never blocks the others; a server that does
    not answer ends this run (the rest wait for the next tick, untouched); other failures retry with a delay."""
    config = current_app.config
    started = time.monotonic()
    result = {"sent": 0, "failed": 0, "retrying": 0, "left": 0}
    with outbox_access():
        due = list(db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
                   OutboxMessage.next_attempt_at <= utcnow())
            .order_by(OutboxMessage.id).limit(limit)))
        db.session.commit()
        if due and not config["SMTP_HOST"] and config["ENV_NAME"] == "production":
            log.warning("SMTP_HOST is not set: %d messages wait in the outbox", len(due))
            result["left"] = len(due)
            return result
        server = None
        try:
            for position, message_id in enumerate(due):
                if time.monotonic() - started > config["MAIL_TICK_SECONDS"]:
                    result["left"] = len(due) - position  # the next tick goes on from here
                    break
                if not _claim(message_id):
                    continue  # another machine's tick has it
                message = db.session.get(OutboxMessage, message_id)
                try:
                    mime = _mime(message)
                except (ValueError, TypeError, UnicodeError, email.errors.MessageError) as exc:
                    _give_up(message, f"cannot be sent as written: {type(exc).__name__}: {exc}")
                    result["failed"] += 1
                    message.locked_until = None
                    db.session.commit()
                    continue
                try:
                    if config["SMTP_HOST"]:
                        server = server or _smtp()
                        server.send_message(mime)
                    else:
                        # Development without SMTP: like Django's console backend, the message is printed.
                        print(f"--- email to {message.to_address}: {message.subject}\n{message.body_text}\n---")
                    message.sent_at, message.last_error = utcnow(), None
                    result["sent"] += 1
                except (OSError, smtplib.SMTPException) as exc:
                    refusal = _refusal(exc)
                    if refusal is not None:
                        _give_up(message, f"refused by the server: {refusal[0]} {refusal[1]}")
                        mail_refused.send(current_app._get_current_object(), address=message.to_address,
                                          code=refusal[0], reason=refusal[1], tenant_id=message.tenant_id)
                        result["failed"] += 1
                    else:
                        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                        message.next_attempt_at = utcnow() + _backoff(message.attempts)
                        result["retrying"] += 1
                    if not isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)):
                        # The connection itself failed (refused, timed out, dropped): stop knocking this tick.
                        message.locked_until = None
                        db.session.commit()
                        _close(server)
                        server = None
                        result["left"] = len(due) - position - 1
                        break
                message.locked_until = None
                db.session.commit()
        finally:
            _close(server)
    return result


def _close(server) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()
