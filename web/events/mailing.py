"""Event mailings: recipients from contacts and leads (filters, never an address that unsubscribed), each mailed
in their own language through the outbox a batch at a time, unsubscribes honoured forever, bounces and RSVPs kept."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import exists, func, select, update

from i18n.locales import SUPPORTED_LOCALES
from tenants import audit
from tenants.db import db, utcnow
from tenants.models import Tenant
from tenants.scoping import tenant_context

from ..accounts.models import Account, Contact
from ..leads.models import Lead, LeadTag
from ..links import public_url_for
from ..mail import send_email
from .models import Event, Mailing, MailingRecipient, MailingText, Unsubscribed

BATCH = 25  # recipients queued per step of the progress bar


@dataclass
class Audience:
    contacts: bool = True
    leads: bool = True
    country: str | None = None
    language: str | None = None
    tag: str | None = None
    attended_event_id: int | None = None  # people who said yes to a mailing of this (past) event


@dataclass
class Person:
    email: str
    name: str | None
    company: str | None
    language: str


def _unsubscribed():
    return select(Unsubscribed.email)


def audience(who: Audience, fallback: str, limit: int = 5000) -> list[Person]:
    """The people a mailing would reach, one per address, never one who unsubscribed."""
    people: dict[str, Person] = {}
    attended = None
    if who.attended_event_id:
        attended = select(MailingRecipient.email).join(Mailing, Mailing.id == MailingRecipient.mailing_id).where(
            Mailing.event_id == who.attended_event_id, MailingRecipient.rsvp == "yes")
    if who.contacts:
        stmt = (select(Contact.email, Contact.name, Account.name, func.coalesce(Contact.language, Account.language))
                .join(Account, Contact.account).where(Contact.email.is_not(None),
                                                      func.lower(Contact.email).not_in(_unsubscribed())))
        if who.country:
            stmt = stmt.where(Account.country == who.country)
        if who.language:
            stmt = stmt.where(func.coalesce(Contact.language, Account.language) == who.language)
        if attended is not None:
            stmt = stmt.where(func.lower(Contact.email).in_(attended))
        if not who.tag:  # tags are the leads'
            for email, name, company, language in db.session.execute(stmt.order_by(Contact.id).limit(limit)):
                people.setdefault(email.lower(), Person(email.lower(), name, company, language or fallback))
    if who.leads:
        stmt = select(Lead.email, Lead.contact_name, Lead.company, Lead.language).where(
            Lead.email.is_not(None), func.lower(Lead.email).not_in(_unsubscribed()), Lead.status != "disqualified")
        if who.country:
            stmt = stmt.where(Lead.country == who.country)
        if who.language:
            stmt = stmt.where(Lead.language == who.language)
        if who.tag:
            stmt = stmt.where(exists().where(LeadTag.lead_id == Lead.id, LeadTag.name == who.tag.lower()))
        if attended is not None:
            stmt = stmt.where(Lead.email.in_(attended))
        for email, name, company, language in db.session.execute(stmt.order_by(Lead.id).limit(limit)):
            people.setdefault(email.lower(), Person(email.lower(), name, company, language or fallback))
    return list(people.values())[:limit]


def create(event: Event, kind: str, texts: dict[str, tuple[str, str]], fallback: str, who: Audience, *,
           actor_id: int | None, planned_on=None) -> Mailing:
    """A draft mailing with its texts, the day it is planned to go out and a snapshot of its recipients. Caller
    commits."""
    mailing = Mailing(event_id=event.id, kind=kind, status="draft", fallback_language=fallback, created_by_id=actor_id,
                      planned_on=planned_on)
    db.session.add(mailing)
    db.session.flush()
    for language, (subject, body) in texts.items():
        db.session.add(MailingText(mailing_id=mailing.id, language=language, subject=subject, body=body))
    people = audience(who, fallback)
    for person in people:
        db.session.add(MailingRecipient(mailing_id=mailing.id, email=person.email, name=person.name,
                                        company=person.company, language=person.language, status="pending",
                                        token=secrets.token_urlsafe(32)))
    mailing.total = len(people)
    db.session.flush()
    audit.record("event.mailing_created", actor_id=actor_id, subject_type="event", subject_id=event.id,
                 details={"kind": kind, "recipients": len(people)})
    return mailing


def of_event(event: Event) -> list[Mailing]:
    return list(db.session.scalars(select(Mailing).where(Mailing.event_id == event.id).order_by(Mailing.id)))


def get(event: Event, mailing_id: int) -> Mailing | None:
    return db.session.scalar(select(Mailing).where(Mailing.event_id == event.id, Mailing.id == mailing_id))


def texts_of(mailing: Mailing) -> dict[str, MailingText]:
    return {t.language: t for t in db.session.scalars(select(MailingText).where(MailingText.mailing_id == mailing.id)
                                                      .order_by(MailingText.language))}


def recipients_of(mailing: Mailing, limit: int = 500) -> list[MailingRecipient]:
    return list(db.session.scalars(select(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id)
                                   .order_by(MailingRecipient.id).limit(limit)))


def counts(mailing: Mailing) -> dict[str, int]:
    """Recipients by status, counted in SQL."""
    return dict(db.session.execute(select(MailingRecipient.status, func.count())
                                   .where(MailingRecipient.mailing_id == mailing.id)
                                   .group_by(MailingRecipient.status)).all())


def start(mailing: Mailing, *, actor_id: int | None) -> None:
    if mailing.status == "draft":
        mailing.status = "sending"
        audit.record("event.mailing_started", actor_id=actor_id, subject_type="event", subject_id=mailing.event_id,
                     details={"kind": mailing.kind, "recipients": mailing.total})


def step(mailing: Mailing, tenant: Tenant, event: Event) -> int:
    """Queue the next batch in the outbox, each in its language; an address unsubscribed meanwhile is skipped.

    Returns how many were queued. Caller commits. The batch is claimed row by row (pending -> queued) so two tabs
    polling at once never mail anyone twice."""
    if mailing.status != "sending":
        return 0
    batch = list(db.session.scalars(select(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id,
                                                                   MailingRecipient.status == "pending")
                                    .order_by(MailingRecipient.id).limit(BATCH)))
    texts = texts_of(mailing)
    gone = set(db.session.scalars(select(Unsubscribed.email).where(Unsubscribed.email.in_([r.email for r in batch]))))
    queued = 0
    for recipient in batch:
        status = "unsubscribed" if recipient.email in gone else "queued"
        claimed = db.session.execute(update(MailingRecipient).where(
            MailingRecipient.id == recipient.id, MailingRecipient.status == "pending").values(status=status)
            .execution_options(synchronize_session=False)).rowcount
        if not claimed or status != "queued":
            continue
        language = recipient.language if recipient.language in texts else mailing.fallback_language
        text = texts[language]
        # The mail's own words (greeting, links) follow the text's language when Coordina speaks it.
        locale = language if language in SUPPORTED_LOCALES else "en"
        send_email(recipient.email, "event_mailing", locale, text=text, recipient=recipient, event=event,
                   mailing=mailing, tenant=tenant,
                   unsubscribe=public_url_for("events.unsubscribe", tenant=tenant.slug, token=recipient.token),
                   rsvp=public_url_for("events.rsvp", tenant=tenant.slug, token=recipient.token)
                   if mailing.kind == "party" else None)
        queued += 1
    mailing.processed = db.session.scalar(select(func.count()).where(MailingRecipient.mailing_id == mailing.id,
                                                                     MailingRecipient.status != "pending"))
    if mailing.processed >= mailing.total:
        mailing.status = "sent"
        audit.record("event.mailing_sent", actor_id=None, subject_type="event", subject_id=mailing.event_id,
                     details={"kind": mailing.kind, "recipients": mailing.total})
    return queued


def recipient_for(token: str) -> MailingRecipient | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(MailingRecipient).where(MailingRecipient.token == token))


def unsubscribe(recipient: MailingRecipient) -> None:
    """This address gets no more event mailings from the tenant, ever (a second click changes nothing). Commits."""
    if db.session.scalar(select(Unsubscribed.id).where(Unsubscribed.email == recipient.email)) is None:
        db.session.add(Unsubscribed(email=recipient.email))
        # Mailings still sending skip the address too.
        db.session.execute(update(MailingRecipient).where(MailingRecipient.email == recipient.email,
                                                          MailingRecipient.status == "pending")
                           .values(status="unsubscribed").execution_options(synchronize_session=False))
        audit.record("event.unsubscribed", actor_id=None, subject_type="event", subject_id=None,
                     details={"email": recipient.email})
    db.session.commit()


def is_unsubscribed(email: str) -> bool:
    return db.session.scalar(select(Unsubscribed.id).where(Unsubscribed.email == email)) is not None


def answer(recipient: MailingRecipient, rsvp: str, plus_one: bool) -> None:
    """A guest's answer to a party invitation (they may change it). Commits."""
    recipient.rsvp, recipient.plus_one, recipient.answered_at = rsvp, plus_one and rsvp == "yes", utcnow()
    db.session.commit()


def guests(event: Event) -> list[MailingRecipient]:
    """Everyone who answered the event's party invitations, coming first."""
    return list(db.session.scalars(
        select(MailingRecipient).join(Mailing, Mailing.id == MailingRecipient.mailing_id)
        .where(Mailing.event_id == event.id, MailingRecipient.rsvp.is_not(None))
        .order_by(MailingRecipient.rsvp.desc(), MailingRecipient.name, MailingRecipient.id)))


def bounced(sender, address: str, code: int | None = None, reason: str | None = None, tenant_id: int | None = None,
            **kwargs) -> None:
    """Receiver: a server refused a message for good; the recipients at that address are marked bounced."""
    if tenant_id is None:
        return
    with tenant_context(tenant_id):
        db.session.execute(update(MailingRecipient).where(MailingRecipient.email == address.lower(),
                                                          MailingRecipient.status == "queued")
                           .values(status="bounced").execution_options(synchronize_session=False))


