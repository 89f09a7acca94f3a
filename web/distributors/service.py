"""Distributors for staff: tiers, partners and the people there, inviting portal users. Never reads `request`."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tenants import audit, members, reference
from tenants.db import check_version, commit, db
from tenants.members import Person
from tenants.models import Role, Tenant, User
from tenants.pager import Keyset, Page
from tenants.scoping import prebuilt

from ..accounts.service import normalise_company
from ..team import service as team
from ..team.models import Invitation
from .models import Distributor, DistributorContact, Tier

# --- tiers -------------------------------------------------------------------------------------------


@dataclass
class TierData:
    name: str
    rank: int
    discount_percent: Decimal
    exclusivity_days: int
    lead_sla_hours: int
    benefits: str | None = None


TIER_FIELDS = tuple(f.name for f in fields(TierData))


def tiers() -> list[Tier]:
    """Every tier, highest first (an admin defines a handful)."""
    return list(db.session.scalars(select(Tier).order_by(Tier.rank, Tier.name, Tier.id)))


def get_tier(tier_id: int) -> Tier | None:
    return db.session.get(Tier, tier_id)


def create_tier(data: TierData, *, actor_id: int | None) -> Tier:
    """A new tier; commits."""
    tier = Tier(**{f: getattr(data, f) for f in TIER_FIELDS})
    db.session.add(tier)
    db.session.flush()
    audit.record("distributor.tier_created", actor_id=actor_id, subject_type="tier", subject_id=tier.id,
                 details={"name": tier.name})
    commit()
    return tier


def update_tier(tier: Tier, data: TierData, *, version: int | None, actor_id: int | None) -> None:
    """Save a tier edited on `version`; EditConflict if someone saved in between. Commits."""
    check_version(tier, version)
    tracked = audit.Tracked(tier, TIER_FIELDS)
    for f in TIER_FIELDS:
        setattr(tier, f, getattr(data, f))
    tracked.record("distributor.tier_updated", actor_id=actor_id, subject_type="tier", subject_id=tier.id)
    commit()


# --- distributors ------------------------------------------------------------------------------------


@dataclass
class DistributorData:
    name: str
    countries: list[str]
    language: str
    currency: str
    tier_id: int | None = None
    agreement_starts_on: date | None = None
    agreement_ends_on: date | None = None
    coordinator_id: int | None = None
    website: str | None = None
    notes: str | None = None


FIELDS = tuple(f.name for f in fields(DistributorData))


def _apply(distributor: Distributor, data: DistributorData) -> None:
    for f in FIELDS:
        setattr(distributor, f, getattr(data, f))
    distributor.countries = sorted(set(data.countries))
    distributor.name_key = normalise_company(data.name)


def create_distributor(data: DistributorData, *, actor_id: int | None) -> Distributor:
    """A new partner; commits."""
    distributor = Distributor()
    _apply(distributor, data)
    db.session.add(distributor)
    db.session.flush()
    audit.record("distributor.created", actor_id=actor_id, subject_type="distributor", subject_id=distributor.id,
                 details={"name": distributor.name})
    commit()
    return distributor


def update_distributor(distributor: Distributor, data: DistributorData, *, version: int | None,
                       actor_id: int | None) -> None:
    """Save a partner edited on `version`; EditConflict if someone saved in between. Commits."""
    check_version(distributor, version)
    tracked = audit.Tracked(distributor, FIELDS)
    _apply(distributor, data)
    tracked.record("distributor.updated", actor_id=actor_id, subject_type="distributor", subject_id=distributor.id)
    commit()


def get_distributor(distributor_id: int) -> Distributor | None:
    """A partner with its tier and coordinator (one query)."""
    return db.session.scalar(
        select(Distributor).options(joinedload(Distributor.tier), joinedload(Distributor.coordinator))
        .where(Distributor.id == distributor_id))


def distributor_names(ids: set[int]) -> dict[int, str]:
    """Partners' names by id, for history lines (one query)."""
    return dict(db.session.execute(select(Distributor.id, Distributor.name).where(Distributor.id.in_(ids))).all())


BY_NAME = Keyset(Distributor.name_key, Distributor.id)


def search(query: str | None, *, after: str | None = None, limit: int = 25, tier_id: int | None = None) -> Page:
    """Partners by name, a keyset page at a time (tier and coordinator loaded with them)."""
    stmt = select(Distributor).options(joinedload(Distributor.tier), joinedload(Distributor.coordinator))
    key = normalise_company(query) if query else ""
    if key:
        stmt = stmt.where(Distributor.name_key.contains(key, autoescape=True))
    if tier_id:
        stmt = stmt.where(Distributor.tier_id == tier_id)
    return BY_NAME.page(stmt, after, limit=limit)


_BY_NAME = prebuilt(select(Distributor.id, Distributor.name).order_by(Distributor.name_key, Distributor.id))


def all_by_name() -> list[Person]:
    """Every partner by name (id and name), for a choice of one (a tenant has tens, not thousands). Built once, read
    as columns: every lead's page reads it, so it is kept per process until a partner changes (tenants.reference)."""
    return list(reference.kept("distributors", lambda _session: tuple(
        Person._make(row) for row in db.session.execute(_BY_NAME))))


reference.watch(Distributor)


def count_distributors() -> int:
    return db.session.scalar(select(func.count()).select_from(Distributor)) or 0


# --- people there ------------------------------------------------------------------------------------


def contacts_of(distributor: Distributor) -> list[DistributorContact]:
    return list(db.session.scalars(select(DistributorContact).where(
        DistributorContact.distributor_id == distributor.id).order_by(DistributorContact.name, DistributorContact.id)))


def add_contact(distributor: Distributor, *, name: str, job_title: str | None, email: str | None,
                phone: str | None, actor_id: int | None) -> DistributorContact:
    """A person at the partner; commits."""
    contact = DistributorContact(distributor_id=distributor.id, name=name, job_title=job_title, email=email,
                                 phone=phone)
    db.session.add(contact)
    audit.record("distributor.contact_added", actor_id=actor_id, subject_type="distributor",
                 subject_id=distributor.id, details={"contact": name})
    commit()
    return contact


def get_contact(contact_id: int) -> DistributorContact | None:
    return db.session.get(DistributorContact, contact_id)


def delete_contact(contact: DistributorContact, *, actor_id: int | None) -> None:
    """Remove a person at the partner; commits."""
    audit.record("distributor.contact_removed", actor_id=actor_id, subject_type="distributor",
                 subject_id=contact.distributor_id, details={"contact": contact.name})
    db.session.delete(contact)
    commit()


def portal_users(tenant: Tenant, distributor: Distributor) -> list:
    return members.partner_users(tenant.id, distributor.id)


def pending_invitations(distributor: Distributor) -> list[Invitation]:
    return [i for i in db.session.scalars(select(Invitation).where(
        Invitation.distributor_id == distributor.id, Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None)).order_by(Invitation.created_at.desc()).limit(50)) if i.pending]


def invite_portal_user(tenant: Tenant, inviter: User, distributor: Distributor, *, email: str, locale: str) -> Invitation:
    """Invite someone at the partner to the portal (the team's invitation, bound to this distributor); commits.

    Raises team.TeamError when the address already belongs to the workspace."""
    invitation = team.invite(tenant, inviter, email=email, role=Role.distributor, locale=locale,
                             distributor_id=distributor.id)
    audit.record("distributor.portal_invited", actor_id=inviter.id, subject_type="distributor",
                 subject_id=distributor.id, details={"email": email})
    commit()
    return invitation
