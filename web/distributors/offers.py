"""Lead distribution: a coordinator passes a lead to a partner, who accepts or declines within their tier's time;
unanswered, it comes back (the tick) and both sides are told; an accepted lead's outcome is the partner's to
record. What the partner may know of the lead is copied onto the offer, so the portal never reads the tenant's
leads. Never reads `request`."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import Flask
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from tenants import audit, members
from tenants.db import check_version, commit, db, utcnow
from tenants.members import Person
from tenants.models import Tenant, User
from tenants.pager import Keyset, Page
from tenants.scoping import prebuilt, tenant_context

from ..leads.models import Lead
from ..links import public_url_for
from ..mail import send_email
from .models import Distributor, LeadOffer, OfferStatus, Tier

DEFAULT_SLA_HOURS = 48


class OfferError(ValueError):
    """A step the offer's state does not allow."""


def open_offer_of(lead: Lead) -> LeadOffer | None:
    return db.session.scalar(select(LeadOffer).where(LeadOffer.lead_id == lead.id,
                                                     LeadOffer.status.in_([OfferStatus.offered.value,
                                                                           OfferStatus.accepted.value])))


class OfferLine(NamedTuple):
    """A lead's offer to a partner as its page lists it: its columns and the partner's name, no ORM object
    (issue 15). Named as the model names them, so LeadOffer.status_label reads it."""

    id: int
    status: str
    due_at: datetime
    answer_note: str | None
    distributor_id: int
    distributor_name: str

    status_label = LeadOffer.status_label

    @property
    def distributor(self) -> Person:
        return Person(self.distributor_id, self.distributor_name)


# Read on every lead's page: built once.
_OF_LEAD = prebuilt(select(LeadOffer.id, LeadOffer.status, LeadOffer.due_at, LeadOffer.answer_note,
                           LeadOffer.distributor_id, Distributor.name).join(LeadOffer.distributor)
                    .where(LeadOffer.lead_id == bindparam("lead_id")).order_by(LeadOffer.id.desc()).limit(20))


def offers_of(lead: Lead) -> list[OfferLine]:
    return [OfferLine._make(row) for row in db.session.execute(_OF_LEAD, {"lead_id": lead.id})]


def offer(lead: Lead, distributor: Distributor, tenant: Tenant, *, note: str | None, actor: User,
          now: datetime | None = None) -> LeadOffer:
    """Pass the lead to the partner, to answer within their tier's hours; commits. OfferError if one is open."""
    if open_offer_of(lead) is not None:
        raise OfferError("open")
    tier = db.session.get(Tier, distributor.tier_id) if distributor.tier_id else None
    hours = tier.lead_sla_hours if tier is not None else DEFAULT_SLA_HOURS
    now = now or utcnow()
    row = LeadOffer(distributor_id=distributor.id, lead_id=lead.id, company=lead.company or "", country=lead.country,
                    contact_name=lead.contact_name, contact_email=lead.email, contact_phone=lead.phone, note=note,
                    status=OfferStatus.offered.value, due_at=now + timedelta(hours=hours), offered_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("lead.offered", actor_id=actor.id, subject_type="lead", subject_id=lead.id,
                 details={"distributor_id": distributor.id, "due_at": row.due_at.isoformat()})
    link = public_url_for("portal.lead", offer_id=row.id, tenant=tenant.slug)
    for membership in members.partner_users(tenant.id, distributor.id):
        user = membership.user
        send_email(user.email, "lead_offered", user.locale or distributor.language, offer=row, user=user,
                   distributor=distributor, tenant=tenant, link=link, hours=hours)
    commit()
    return row


NEWEST = Keyset(LeadOffer.id.desc())


def page(*, after: str | None = None, limit: int = 25) -> Page:
    return NEWEST.page(select(LeadOffer).options(joinedload(LeadOffer.distributor)), after, limit=limit)


def waiting_count() -> int:
    """Offers still waiting for an answer (the partner's own, inside the portal)."""
    return db.session.scalar(select(func.count()).select_from(LeadOffer)
                             .where(LeadOffer.status == OfferStatus.offered.value)) or 0


def get(offer_id: int) -> LeadOffer | None:
    return db.session.scalar(select(LeadOffer).options(joinedload(LeadOffer.distributor))
                             .where(LeadOffer.id == offer_id))


def _tell_coordinator(row: LeadOffer, tenant: Tenant, template: str) -> None:
    coordinator = db.session.get(User, row.offered_by_id) if row.offered_by_id else None
    if coordinator is not None:
        send_email(coordinator.email, template, coordinator.locale or tenant.default_locale, offer=row,
                   user=coordinator, distributor=row.distributor, tenant=tenant,
                   link=public_url_for("leads.show", lead_id=row.lead_id, tenant=tenant.slug))


def answer(row: LeadOffer, tenant: Tenant, *, accept: bool, note: str | None, version: int | None,
           actor_id: int | None, now: datetime | None = None) -> LeadOffer:
    """The partner accepts or declines (run as the partner); commits. OfferError once the time is up or answered."""
    check_version(row, version)
    now = now or utcnow()
    if row.status != OfferStatus.offered.value or row.due_at <= now:
        raise OfferError("closed")
    row.status = OfferStatus.accepted.value if accept else OfferStatus.declined.value
    row.answered_at, row.answer_note = now, note
    audit.record("lead.offer_accepted" if accept else "lead.offer_declined", actor_id=actor_id, subject_type="lead",
                 subject_id=row.lead_id, details={"distributor_id": row.distributor_id, "note": note})
    _tell_coordinator(row, tenant, "lead_offer_answered")
    commit()
    return row


def record_outcome(row: LeadOffer, tenant: Tenant, *, won: bool, note: str | None, version: int | None,
                   actor_id: int | None) -> LeadOffer:
    """The partner says how an accepted lead ended (run as the partner); commits."""
    check_version(row, version)
    if row.status != OfferStatus.accepted.value:
        raise OfferError("not accepted")
    row.status = OfferStatus.won.value if won else OfferStatus.lost.value
    row.answer_note = note or row.answer_note
    audit.record("lead.offer_outcome", actor_id=actor_id, subject_type="lead", subject_id=row.lead_id,
                 details={"distributor_id": row.distributor_id, "status": row.status, "note": note})
    _tell_coordinator(row, tenant, "lead_offer_answered")
    commit()
    return row


def _return_unanswered(tenant: Tenant, now: datetime) -> int:
    due = list(db.session.scalars(select(LeadOffer).options(joinedload(LeadOffer.distributor)).where(
        LeadOffer.status == OfferStatus.offered.value, LeadOffer.due_at <= now)))
    for row in due:
        row.status, row.answered_at = OfferStatus.returned.value, now
        audit.record("lead.offer_returned", actor_id=None, subject_type="lead", subject_id=row.lead_id,
                     details={"distributor_id": row.distributor_id})
        _tell_coordinator(row, tenant, "lead_offer_returned")
        for membership in members.partner_users(tenant.id, row.distributor_id):
            user = membership.user
            send_email(user.email, "lead_offer_returned_partner", user.locale or row.distributor.language, offer=row,
                       user=user, distributor=row.distributor, tenant=tenant,
                       link=public_url_for("portal.lead", offer_id=row.id, tenant=tenant.slug))
        commit()  # one by one: a second machine's tick finds it returned and sends nothing twice
    return len(due)


def run(app: Flask, now: datetime | None = None) -> dict:
    """For each tenant: leads nobody answered in time come back, with a notice to both sides."""
    now = now or utcnow()
    returned = 0
    for tenant_id in list(db.session.scalars(select(Tenant.id).order_by(Tenant.id))):
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_context(tenant.id):
            returned += _return_unanswered(tenant, now)
        db.session.expunge_all()
    return {"returned": returned}
