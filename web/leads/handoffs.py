"""Hand-offs: a coordinator gives a qualified lead to a rep with a note (and what the lead's features tell of
it); the rep accepts it or returns it with a reason, and each side is told by email in their language."""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from tenants import audit
from tenants.db import db, utcnow
from tenants.members import members_with_roles, person
from tenants.models import Role, Tenant, User
from tenants.scoping import built_once

from ..links import public_url_for
from ..mail import send_email
from .models import LEAD_NAME, Handoff, HandoffStatus, Lead, LeadName, Status
from .service import LeadError, close_pending_handoff


def reps(tenant: Tenant) -> list[User]:
    return [m.user for m in members_with_roles(tenant.id, (Role.rep,))]


class HandoffLine(NamedTuple):
    """A hand-off as its lead's page lists it: its columns and both people's names, no ORM object (issue 15)."""

    id: int
    from_id: int | None
    to_id: int | None
    note: str
    score: int | None
    status: str
    reason: str | None
    created_at: datetime
    from_name: str | None
    to_name: str | None

    from_user = property(lambda self: person(self.from_id, self.from_name))
    to_user = property(lambda self: person(self.to_id, self.to_name))


def handoffs_of(lead: Lead) -> list[HandoffLine]:
    def build():
        giver, taker = aliased(User), aliased(User)
        return (select(*(getattr(Handoff, name) for name in HandoffLine._fields[:-2]), giver.name, taker.name)
                .outerjoin(giver, giver.id == Handoff.from_id).outerjoin(taker, taker.id == Handoff.to_id)
                .where(Handoff.lead_id == bindparam("lead_id")).order_by(Handoff.id.desc()))

    return [HandoffLine._make(row) for row in db.session.execute(built_once(build), {"lead_id": lead.id})]


def hand_off(lead: Lead, tenant: Tenant, *, coordinator: User, rep: User, note: str, answers=None) -> Handoff:
    """Give a qualified lead to a rep with a note; the rep gets an email in their language. Caller commits."""
    if lead.status != Status.qualified.value:
        raise LeadError(_l("Only a qualified lead can be handed off. Record the answers and mark it qualified first."))
    handoff = Handoff(lead_id=lead.id, from_id=coordinator.id, to_id=rep.id, note=note, score=lead.score)
    db.session.add(handoff)
    lead.status = Status.handed_off.value
    lead.handed_to_id, lead.teed_up_by_id = rep.id, coordinator.id
    lead.handed_off_at, lead.accepted_at = utcnow(), None
    db.session.flush()
    audit.record("lead.handed_off", actor_id=coordinator.id, subject_type="lead", subject_id=lead.id,
                 details={"to": rep.name, "note": note})
    locale = rep.locale or tenant.default_locale
    send_email(rep.email, "lead_handoff", locale, lead=lead, handoff=handoff, coordinator=coordinator, rep=rep,
               tenant=tenant, answers=answers or [],
               link=public_url_for("leads.show", lead_id=lead.id, tenant=tenant.slug))
    return handoff


def accept(lead: Lead, rep: User) -> None:
    """The rep takes the lead on: it becomes theirs. Caller commits."""
    if lead.status != Status.handed_off.value or lead.handed_to_id != rep.id or lead.accepted_at is not None:
        raise LeadError(_l("This lead is not waiting for you to accept it."))
    close_pending_handoff(lead, HandoffStatus.accepted.value)
    lead.accepted_at, lead.owner_id = utcnow(), rep.id
    audit.record("lead.handoff_accepted", actor_id=rep.id, subject_type="lead", subject_id=lead.id)


def give_back(lead: Lead, tenant: Tenant, rep: User, reason: str) -> None:
    """The rep returns the lead with a reason; it is qualified again and the coordinator is told. Caller commits."""
    if lead.status != Status.handed_off.value or lead.handed_to_id != rep.id or lead.accepted_at is not None:
        raise LeadError(_l("This lead is not waiting for you to accept it."))
    handoff = close_pending_handoff(lead, HandoffStatus.returned.value, reason)
    lead.status, lead.handed_to_id, lead.handed_off_at = Status.qualified.value, None, None
    audit.record("lead.handoff_returned", actor_id=rep.id, subject_type="lead", subject_id=lead.id,
                 details={"reason": reason})
    coordinator = db.session.get(User, handoff.from_id) if handoff is not None and handoff.from_id else None
    if coordinator is not None:
        locale = coordinator.locale or tenant.default_locale
        send_email(coordinator.email, "lead_returned", locale, lead=lead, rep=rep, coordinator=coordinator,
                   tenant=tenant, reason=reason,
                   link=public_url_for("leads.show", lead_id=lead.id, tenant=tenant.slug))


class Waiting(NamedTuple):
    """A hand-off as home's panel shows it: its columns, its lead's name and who handed it, no ORM object
    (issue 15)."""

    id: int
    lead_id: int
    score: int | None
    note: str | None
    from_name: str | None
    company: str | None
    contact_name: str | None
    email: str | None
    phone: str | None

    @property
    def lead_title(self) -> str:
        return LeadName(self.lead_id, self.company, self.contact_name, self.email, self.phone).title


def waiting_for(user: User, limit: int = 10) -> list[Waiting]:
    """Hand-offs waiting for this rep's answer, oldest first, with the lead's name and the coordinator's."""
    stmt = built_once(lambda: (
        select(Handoff.id, Handoff.lead_id, Handoff.score, Handoff.note, User.name, *LEAD_NAME[1:])
        .join(Handoff.lead).outerjoin(User, User.id == Handoff.from_id)
        .where(Handoff.to_id == bindparam("to_id"), Handoff.status == HandoffStatus.pending.value)
        .order_by(Handoff.id).limit(bindparam("limit"))))
    return [Waiting._make(row) for row in db.session.execute(stmt, {"to_id": user.id, "limit": limit})]
