"""Data hygiene: a refused email (SMTP 5xx) or a coordinator's report puts a contact or lead in the "needs
fixing" queue; the fix (an address or a phone in international form) goes to the record's history."""
from __future__ import annotations

import logging
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from tenants import audit
from tenants.db import db, utcnow
from tenants.pager import Keyset, Page
from tenants.scoping import prebuilt, tenant_context

from ..accounts.models import Account, Contact
from ..accounts.service import normalise_phone
from ..leads.models import Lead
from .models import Problem

log = logging.getLogger(__name__)


def _open(contact_id: int | None, lead_id: int | None, kind: str) -> Problem | None:
    return db.session.scalar(select(Problem).where(
        Problem.fixed_at.is_(None), Problem.kind == kind,
        Problem.contact_id == contact_id if contact_id else Problem.lead_id == lead_id))


def report(*, contact: Contact | None = None, lead: Lead | None = None, kind: str, detail: str | None,
           actor_id: int | None) -> Problem | None:
    """Put a contact's or a lead's address in the queue (once while it is open); the caller commits."""
    contact_id, lead_id = (contact.id if contact else None), (lead.id if lead else None)
    if _open(contact_id, lead_id, kind) is not None:
        return None
    subject = contact or lead
    address = subject.phone if kind == "phone_dead" else subject.email if kind == "email_bounced" else None
    problem = Problem(contact_id=contact_id, lead_id=lead_id, kind=kind, address=address, detail=detail,
                      reported_by_id=actor_id)
    db.session.add(problem)
    db.session.flush()
    audit.record("hygiene.reported", actor_id=actor_id, **_history_of(contact, lead),
                 details={**_named(contact), "problem": kind, "address": address})
    return problem


def _history_of(contact: Contact | None, lead: Lead | None) -> dict:
    """Where the record's history is read: a contact's on its account's page, a lead's on its own."""
    if contact is not None:
        return {"subject_type": "account", "subject_id": contact.account_id}
    return {"subject_type": "lead", "subject_id": lead.id}


def _named(contact: Contact | None) -> dict:
    return {"contact": contact.name} if contact is not None else {}


def on_refused(sender, address: str, code: int, reason: str, tenant_id: int | None = None, **_kw) -> None:
    """Receiver: the SMTP server refused a message for good; every contact and lead of that tenant with the
    address is marked bouncing. Runs inside the outbox's transaction, which commits it."""
    if tenant_id is None or not address:
        return  # a mail of no tenant (a password reset): no contact to mark
    with tenant_context(tenant_id):
        wanted = address.strip().lower()
        for contact in db.session.scalars(select(Contact).where(func.lower(Contact.email) == wanted)):
            report(contact=contact, kind="email_bounced", detail=f"{code} {reason}", actor_id=None)
        for lead in db.session.scalars(select(Lead).where(func.lower(Lead.email) == wanted)):
            report(lead=lead, kind="email_bounced", detail=f"{code} {reason}", actor_id=None)
        db.session.flush()


NEWEST_FIRST = Keyset(Problem.id.desc())


def queue(*, after: str | None = None, limit: int = 50) -> Page:
    """The open problems, newest first, with their contact (and account) or lead loaded."""
    stmt = (select(Problem).where(Problem.fixed_at.is_(None))
            .options(joinedload(Problem.contact).joinedload(Contact.account), joinedload(Problem.lead),
                     joinedload(Problem.reported_by)))
    return NEWEST_FIRST.page(stmt, after, limit=limit)


def open_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Problem).where(Problem.fixed_at.is_(None)))


def get(problem_id: int) -> Problem | None:
    return db.session.scalar(select(Problem).where(Problem.id == problem_id)
                             .options(joinedload(Problem.contact).joinedload(Contact.account), joinedload(Problem.lead)))


class OpenProblem(NamedTuple):
    """An open problem as a lead's or an account's panel lists it: its columns, no ORM object (issue 15)."""

    id: int
    kind: str
    address: str | None
    contact_id: int | None


_OPEN = tuple(getattr(Problem, name) for name in OpenProblem._fields)
_OPEN_OF_LEAD = prebuilt(select(*_OPEN).where(Problem.fixed_at.is_(None), Problem.lead_id == bindparam("lead_id"))
                         .order_by(Problem.id))


def open_of(*, contact_ids=(), lead_id: int | None = None) -> list[OpenProblem]:
    """The open problems of some contacts (an account's) or of one lead."""
    if lead_id is not None:  # every lead's page: built once
        return [OpenProblem._make(row) for row in db.session.execute(_OPEN_OF_LEAD, {"lead_id": lead_id})]
    return [OpenProblem._make(row) for row in db.session.execute(
        select(*_OPEN).where(Problem.fixed_at.is_(None), Problem.contact_id.in_(list(contact_ids))).order_by(Problem.id))]


def country_of(problem: Problem) -> str | None:
    if problem.contact is not None:
        return db.session.scalar(select(Account.country).where(Account.id == problem.contact.account_id))
    return problem.lead.country


def fix(problem: Problem, *, email: str | None, phone: str | None, actor_id: int | None) -> dict:
    """Save the corrected address on the contact or lead, close its open problems and record the change in the
    record's history. `phone` is already in international form. Commits; returns what changed."""
    subject = problem.contact or problem.lead
    kind = "contact" if problem.contact is not None else "lead"
    tracked = audit.Tracked(subject, ("email", "phone"))
    subject.email, subject.phone = email, phone
    if kind == "lead":
        subject.phone_key = normalise_phone(phone)
    now = utcnow()
    others = db.session.scalars(select(Problem).where(
        Problem.fixed_at.is_(None),
        Problem.contact_id == subject.id if kind == "contact" else Problem.lead_id == subject.id))
    for row in others:
        row.fixed_at, row.fixed_by_id = now, actor_id
    where = _history_of(problem.contact, problem.lead)
    details = {**_named(problem.contact), "problem": problem.kind}
    changed = tracked.record("hygiene.fixed", actor_id=actor_id, **where, details=details)
    if not changed:  # confirmed as it is (the address was right after all): still said in the history
        audit.record("hygiene.fixed", actor_id=actor_id, **where, details=details)
    db.session.commit()
    return changed
