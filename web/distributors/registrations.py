"""Deal registrations: a partner registers, the coordinator approves (exclusive for N days) or rejects with a
reason; an approved one becomes a lead credited to the partner; exclusivity that ends soon warns both sides.
Never reads `request`; mail goes through the outbox in each reader's language."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import NamedTuple

from flask import Flask
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import joinedload

from i18n.money import Money
from i18n.text import fold
from tenants import audit, members
from tenants.db import check_version, commit, db, utcnow
from tenants.members import Person
from tenants.models import Tenant, User
from tenants.pager import Keyset, Page
from tenants.scoping import prebuilt, tenant_context

from ..accounts.service import domain_of, normalise_company
from ..leads import service as leads
from ..leads.models import Lead, Source
from ..links import public_url_for
from ..mail import send_email
from . import conflicts, offers
from .models import Distributor, Registration, Status

WARN_DAYS = 14  # how long before exclusivity ends both sides are told


class RegistrationError(ValueError):
    """A decision the registration's state does not allow, with the reader's explanation."""


@dataclass
class RegistrationData:
    company: str
    country: str
    value: Money
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    expected_close: date | None = None
    products: str | None = None
    notes: str | None = None


def register(distributor: Distributor, data: RegistrationData, *, actor_id: int | None) -> Registration:
    """A partner's new registration, awaiting review; commits. (Run as the partner: the scope stamps it.)"""
    value = data.value.rounded()
    reg = Registration(
        distributor_id=distributor.id, company=data.company, company_key=normalise_company(data.company) or
        fold(data.company), website=data.website, domain=domain_of(data.website), country=data.country,
        contact_name=data.contact_name, contact_email=data.contact_email,
        email_domain=domain_of(data.contact_email), value_amount=value.amount, value_currency=value.currency,
        expected_close=data.expected_close, products=data.products, notes=data.notes, created_by_id=actor_id,
        status=Status.submitted.value, conflicts=[])
    db.session.add(reg)
    db.session.flush()
    audit.record("registration.submitted", actor_id=actor_id, subject_type="registration", subject_id=reg.id,
                 details={"company": reg.company, "distributor_id": distributor.id})
    commit()
    return reg


NEWEST = Keyset(Registration.id.desc())


def page(*, after: str | None = None, status: str | None = None, distributor_id: int | None = None,
         limit: int = 25) -> Page:
    """Registrations newest first, with their partner (one query a page, whatever the number)."""
    stmt = select(Registration).options(joinedload(Registration.distributor))
    if status:
        stmt = stmt.where(Registration.status == status)
    if distributor_id:
        stmt = stmt.where(Registration.distributor_id == distributor_id)
    return NEWEST.page(stmt, after, limit=limit)


def counts_by_status() -> dict[str, int]:
    """How many registrations are in each state (one grouped query)."""
    return dict(db.session.execute(select(Registration.status, func.count()).group_by(Registration.status)).all())


def get(registration_id: int) -> Registration | None:
    return db.session.scalar(select(Registration).options(joinedload(Registration.distributor))
                             .where(Registration.id == registration_id))


class Credit(NamedTuple):
    """The registration a lead came of, as its page says it: who it is credited to and until when, no ORM object
    (issue 15)."""

    id: int
    exclusive_until: date | None
    distributor_id: int
    distributor_name: str

    @property
    def distributor(self) -> Person:
        return Person(self.distributor_id, self.distributor_name)


# Read on every lead's page: built once.
_OF_LEAD = prebuilt(select(Registration.id, Registration.exclusive_until, Registration.distributor_id, Distributor.name)
                    .join(Registration.distributor).where(Registration.lead_id == bindparam("lead_id")))


def of_lead(lead_id: int) -> Credit | None:
    """The approved registration a lead came of (the partner it is credited to), with its partner's name."""
    row = db.session.execute(_OF_LEAD, {"lead_id": lead_id}).first()
    return Credit._make(row) if row is not None else None


def of_contract(contract) -> Registration | None:
    """The registration whose lead became this contract, if any."""
    return db.session.scalar(select(Registration).join(Lead, and_(Lead.id == Registration.lead_id,
                                                                   Lead.tenant_id == Registration.tenant_id))
                             .where(Lead.contract_id == contract.id))


def credit_contract(_sender, *, lead, contract, **_extra) -> None:
    """A lead that came of a partner's approved registration converts into a contract credited to that partner
    (listens to leads' lead_converted, inside the conversion's transaction)."""
    reg = db.session.scalar(select(Registration).where(Registration.lead_id == lead.id))
    if reg is not None:
        contract.distributor_id = reg.distributor_id


def registration_names(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Registration.id, Registration.company).where(Registration.id.in_(ids))).all())


def check(reg: Registration) -> list[conflicts.Conflict]:
    """What the conflict check finds for it today (staff side only)."""
    return conflicts.check(reg)


def _tell_partner(reg: Registration, tenant: Tenant, template: str, **ctx) -> None:
    """Mail each of the partner's portal users, in their own language."""
    distributor = db.session.get(Distributor, reg.distributor_id)
    link = public_url_for("portal.registration", registration_id=reg.id, tenant=tenant.slug)
    for membership in members.partner_users(tenant.id, reg.distributor_id):
        user = membership.user
        send_email(user.email, template, user.locale or distributor.language, registration=reg, user=user,
                   distributor=distributor, tenant=tenant, link=link, **ctx)


def _decidable(reg: Registration, version: int | None) -> None:
    check_version(reg, version)
    if reg.status != Status.submitted.value:
        raise RegistrationError("decided")


def approve(reg: Registration, tenant: Tenant, *, days: int, version: int | None, actor: User,
            today: date | None = None) -> Registration:
    """Approve: the deal is the partner's for `days`, and becomes a lead credited to them; commits."""
    _decidable(reg, version)
    today = today or date.today()
    found = check(reg)
    distributor = db.session.get(Distributor, reg.distributor_id)
    lead = leads.create_lead(leads.LeadData(
        company=reg.company, contact_name=reg.contact_name, email=reg.contact_email, website=reg.website,
        country=reg.country, source=Source.distributor.value, value=reg.value,
        notes=f"{distributor.name} · {reg.products or ''}".strip(" ·")), actor_id=actor.id, status="qualified",
        audit_action="lead.created")
    reg.status, reg.decided_at, reg.decided_by_id = Status.approved.value, utcnow(), actor.id
    reg.exclusive_until, reg.lead_id = today + timedelta(days=days), lead.id
    reg.conflicts = [asdict(c) for c in found]  # what the coordinator saw when deciding
    audit.record("registration.approved", actor_id=actor.id, subject_type="registration", subject_id=reg.id,
                 details={"company": reg.company, "exclusive_until": reg.exclusive_until.isoformat()})
    _tell_partner(reg, tenant, "registration_approved")
    commit()
    return reg


def reject(reg: Registration, tenant: Tenant, *, reason: str, version: int | None, actor: User) -> Registration:
    """Reject with a reason the partner reads; commits."""
    _decidable(reg, version)
    reg.conflicts = [asdict(c) for c in check(reg)]
    reg.status, reg.decided_at, reg.decided_by_id, reg.reason = Status.rejected.value, utcnow(), actor.id, reason
    audit.record("registration.rejected", actor_id=actor.id, subject_type="registration", subject_id=reg.id,
                 details={"company": reg.company, "reason": reason})
    _tell_partner(reg, tenant, "registration_rejected")
    commit()
    return reg


# --- the tick: exclusivity that ends soon, and ends ------------------------------------------------------


def _warn(tenant: Tenant, today: date) -> int:
    """Tell the partner and their coordinator, once, that a registration's exclusivity ends within WARN_DAYS."""
    due = list(db.session.scalars(
        select(Registration).options(joinedload(Registration.distributor))
        .where(Registration.status == Status.approved.value, Registration.expiry_warned_at.is_(None),
               Registration.exclusive_until <= today + timedelta(days=WARN_DAYS),
               Registration.exclusive_until >= today)))
    for reg in due:
        reg.expiry_warned_at = utcnow()
        days = (reg.exclusive_until - today).days
        _tell_partner(reg, tenant, "registration_expiring", days=days)
        coordinator = db.session.get(User, reg.distributor.coordinator_id) if reg.distributor.coordinator_id else None
        if coordinator is not None:
            send_email(coordinator.email, "registration_expiring_staff", coordinator.locale or tenant.default_locale,
                       registration=reg, user=coordinator, distributor=reg.distributor, tenant=tenant, days=days,
                       link=public_url_for("distributors.registration", registration_id=reg.id, tenant=tenant.slug))
        # Committed one by one: a second machine's tick finds it warned and sends nothing twice.
        commit()
    return len(due)


def _expire(today: date) -> int:
    ended = list(db.session.scalars(select(Registration).where(
        Registration.status == Status.approved.value, Registration.exclusive_until < today)))
    for reg in ended:
        reg.status = Status.expired.value
        audit.record("registration.expired", actor_id=None, subject_type="registration", subject_id=reg.id,
                     details={"company": reg.company})
    commit()
    return len(ended)


def run(app: Flask, today: date | None = None) -> dict:
    """For each tenant in turn: warn about exclusivity ending soon, then end what is past; then leads passed to
    partners and left unanswered come back."""
    today = today or date.today()
    totals = {"warned": 0, "expired": 0}
    for tenant_id in list(db.session.scalars(select(Tenant.id).order_by(Tenant.id))):
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_context(tenant.id):
            totals["warned"] += _warn(tenant, today)
            totals["expired"] += _expire(today)
        db.session.expunge_all()
    totals.update(offers.run(app))  # beside registrations: one tick job for the partners' deadlines
    return totals
