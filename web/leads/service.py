"""Leads: who sees which, creating and editing without overwriting, duplicates, lists and the board,
moving through the statuses, hand-off to a rep, conversion into an account, contact and draft contract."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, select, update
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants import audit
from tenants.audit import AuditEvent
from tenants.db import db, utcnow
from tenants.models import Role, Tenant, User

from ..accounts import service as accounts
from ..accounts.models import Account
from ..accounts.service import EditConflict, clean_phone, domain_of, normalise_company, normalise_phone
from ..contracts import service as contracts
from ..mail import send_email
from ..rates.service import current_book
from .models import OPEN_STATUSES, Activity, Handoff, HandoffStatus, Lead, LeadTag, Status

__all__ = ["EditConflict", "LeadError"]

STAFF = (Role.owner, Role.admin, Role.manager, Role.coordinator, Role.rep)
SEES_ALL = (Role.owner, Role.admin, Role.manager, Role.coordinator)
# Who may hand a lead to a rep, and who may convert one they were not handed.
TEES_UP = (Role.owner, Role.admin, Role.manager, Role.coordinator)
CONVERTS_ANY = (Role.owner, Role.admin, Role.manager)
# RFC 2606 names: never a company's domain, whatever an address says.
RESERVED_DOMAINS = {"example.com", "example.net", "example.org"}
PLACEHOLDERS = {"n/a", "na", "-", "--", "---", "unknown", "none", "null", "nil", "?", "tbd", "."}


class LeadError(ValueError):
    """A step the rules do not allow, with the reader's explanation."""


# --- who sees what -------------------------------------------------------------------------------------


def visible_to(user: User, role: Role | None):
    """Reps see the leads they own or were handed; coordinators, managers and admins see all."""
    stmt = select(Lead)
    if role == Role.rep:
        stmt = stmt.where(or_(Lead.owner_id == user.id, Lead.handed_to_id == user.id))
    elif role not in SEES_ALL:
        stmt = stmt.where(false())
    return stmt


def get_visible(lead_id: int, user: User, role: Role | None, *, related: bool = True) -> Lead | None:
    stmt = visible_to(user, role).where(Lead.id == lead_id)
    if related:
        stmt = stmt.options(joinedload(Lead.owner), joinedload(Lead.teed_up_by), joinedload(Lead.handed_to),
                            selectinload(Lead.tags))
    return db.session.scalar(stmt)


# --- creating and editing ---------------------------------------------------------------------------------


@dataclass
class LeadData:
    company: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    country: str | None = None
    language: str | None = None
    source: str = "cold_research"
    value: Money | None = None
    owner_id: int | None = None
    tags: list[str] = field(default_factory=list)
    notes: str | None = None


FIELDS = ("company", "contact_name", "contact_title", "email", "phone", "website", "country", "language", "source",
          "owner_id", "notes")


def lead_domain(email: str | None, website: str | None = None) -> str | None:
    """The company's domain from the email (free-mail and example domains say nothing), else the website."""
    for value in (email, website):
        domain = domain_of(value)
        if domain and domain not in RESERVED_DOMAINS:
            return domain
    return None


def keys_of(company: str | None, email: str | None, website: str | None, phone: str | None) -> dict:
    """What duplicate checks compare, for values as typed."""
    return {
        "company_key": normalise_company(company) if company else None,
        "domain": lead_domain(email, website),
        "phone_key": normalise_phone(phone),
    }


def parse_tags(text: str | list[str] | None) -> list[str]:
    """'vip, Fair 2026; vip' -> ['fair 2026', 'vip']: lower case, no repeats, at most 40 characters each."""
    if not text:
        return []
    parts = text if isinstance(text, list) else re.split(r"[,;]", text)
    tags = {re.sub(r"\s+", " ", p).strip().lower()[:40] for p in parts}
    return sorted(t for t in tags if t)


def _snapshot(lead: Lead) -> dict:
    data = {f: getattr(lead, f) for f in FIELDS}
    data["value"] = f"{lead.value_amount} {lead.value_currency}" if lead.value_amount is not None else None
    data["tags"] = ", ".join(t.name for t in lead.tags) if "tags" in lead.__dict__ else None
    return data


def _apply(lead: Lead, data: LeadData) -> None:
    for name in FIELDS:
        setattr(lead, name, getattr(data, name))
    lead.phone = clean_phone(data.phone)
    keys = keys_of(data.company, data.email, data.website, lead.phone)
    lead.company_key, lead.domain, lead.phone_key = keys["company_key"], keys["domain"], keys["phone_key"]
    if data.value is None:
        lead.value_amount = lead.value_currency = None
    else:
        value = data.value.rounded()
        lead.value_amount, lead.value_currency = value.amount, value.currency


def _set_tags(lead: Lead, names: list[str]) -> None:
    current = {t.name: t for t in lead.tags}
    wanted = set(names)
    for name, tag in current.items():
        if name not in wanted:
            lead.tags.remove(tag)
    for name in sorted(wanted - set(current)):
        lead.tags.append(LeadTag(name=name))


def create_lead(data: LeadData, *, actor_id: int | None, status: str = Status.new.value,
                audit_action: str = "lead.created", account: Account | None = None) -> Lead:
    """A new lead (linked to an existing customer's account, when it is one); the caller commits."""
    lead = Lead(status=status, created_by_id=actor_id, account_id=account.id if account else None)
    _apply(lead, data)
    lead.tags = [LeadTag(name=name) for name in data.tags]
    db.session.add(lead)
    db.session.flush()
    audit.record(audit_action, actor_id=actor_id, subject_type="lead", subject_id=lead.id,
                 details={"company": lead.title, "source": lead.source})
    return lead


def update_lead(lead: Lead, data: LeadData, *, version: int, actor_id: int | None) -> dict:
    """Save edits made on `version`; EditConflict if someone saved in between. Commits."""
    if lead.version != version:
        raise EditConflict()
    before = _snapshot(lead)
    _apply(lead, data)
    _set_tags(lead, data.tags)
    changed = audit.changes(before, _snapshot(lead))
    if changed:
        audit.record("lead.updated", actor_id=actor_id, subject_type="lead", subject_id=lead.id, details=changed)
    commit()
    return changed


def commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict() from None


# --- duplicates --------------------------------------------------------------------------------------------


@dataclass
class Match:
    kind: str  # "lead" or "account"
    id: int
    title: str
    reasons: list[str]  # "company", "domain", "phone"
    status: str | None = None


def find_duplicates(*, company: str | None, email: str | None, website: str | None, phone: str | None,
                    exclude_id: int | None = None, limit: int = 5) -> list[Match]:
    """Leads and accounts with the same normalised company name, company email domain or phone."""
    keys = keys_of(company, email, website, clean_phone(phone))
    matches: list[Match] = []
    lead_conditions = [getattr(Lead, k) == v for k, v in keys.items() if v]
    if not lead_conditions:
        return []
    stmt = select(Lead).where(or_(*lead_conditions)).order_by(Lead.id).limit(limit)
    if exclude_id:
        stmt = stmt.where(Lead.id != exclude_id)
    for lead in db.session.scalars(stmt):
        reasons = [k.removesuffix("_key") for k, v in keys.items() if v and getattr(lead, k) == v]
        matches.append(Match("lead", lead.id, lead.title, reasons, lead.status))
    account_columns = {"company_key": Account.name_key, "domain": Account.domain, "phone_key": Account.phone_key}
    account_conditions = [account_columns[k] == v for k, v in keys.items() if v]
    for account in db.session.scalars(select(Account).where(or_(*account_conditions)).order_by(Account.id).limit(limit)):
        values = {"company_key": account.name_key, "domain": account.domain, "phone_key": account.phone_key}
        reasons = [k.removesuffix("_key") for k, v in keys.items() if v and values[k] == v]
        matches.append(Match("account", account.id, account.name, reasons))
    return matches


def merge_into(target: Lead, data: LeadData, *, actor_id: int | None, origin: str) -> list[str]:
    """Fill the target's empty fields from `data`, add its tags and notes; returns the fields filled. Caller commits."""
    filled = []
    for name in ("company", "contact_name", "contact_title", "email", "phone", "website", "country", "language"):
        value = getattr(data, name)
        if value and not getattr(target, name):
            setattr(target, name, value)
            filled.append(name)
    if data.value is not None and target.value_amount is None:
        value = data.value.rounded()
        target.value_amount, target.value_currency = value.amount, value.currency
        filled.append("value")
    if data.notes and data.notes.strip() not in (target.notes or ""):
        target.notes = f"{target.notes}\n\n{data.notes}".strip() if target.notes else data.notes
        filled.append("notes")
    have = {t.name for t in target.tags}
    for name in data.tags:
        if name not in have:
            target.tags.append(LeadTag(name=name))
            have.add(name)
    target.phone = clean_phone(target.phone)
    keys = keys_of(target.company, target.email, target.website, target.phone)
    target.company_key, target.domain, target.phone_key = keys["company_key"], keys["domain"], keys["phone_key"]
    audit.record("lead.merged", actor_id=actor_id, subject_type="lead", subject_id=target.id,
                 details={"from": origin, "filled": ", ".join(filled)})
    return filled


# --- lists, the board and totals ------------------------------------------------------------------------


@dataclass
class Filters:
    q: str | None = None
    status: str | None = None
    source: str | None = None
    owner_id: int | None = None
    country: str | None = None
    tag: str | None = None

    def args(self) -> dict:
        """The filters as URL arguments (empty ones left out)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def filtered(user: User, role: Role | None, filters: Filters):
    stmt = visible_to(user, role)
    if filters.status:
        stmt = stmt.where(Lead.status == filters.status)
    if filters.source:
        stmt = stmt.where(Lead.source == filters.source)
    if filters.owner_id:
        stmt = stmt.where(Lead.owner_id == filters.owner_id)
    if filters.country:
        stmt = stmt.where(Lead.country == filters.country)
    if filters.tag:
        stmt = stmt.where(Lead.id.in_(select(LeadTag.lead_id).where(LeadTag.name == filters.tag.lower())))
    q = (filters.q or "").strip()
    if q:
        conditions = [func.lower(Lead.contact_name).contains(q.lower(), autoescape=True),
                      Lead.email.contains(q.lower(), autoescape=True)]
        key = normalise_company(q)
        if key:
            conditions.append(Lead.company_key.contains(key, autoescape=True))
        digits = re.sub(r"\D", "", q)
        if len(digits) >= 4:
            conditions.append(Lead.phone_key.contains(digits[-9:], autoescape=True))
        stmt = stmt.where(or_(*conditions))
    return stmt


def list_page(user: User, role: Role | None, filters: Filters, *, before: int | None,
              limit: int = 50) -> tuple[list[Lead], int | None]:
    """A keyset page of leads, newest first, with owners and tags loaded (two queries, whatever the size)."""
    stmt = (filtered(user, role, filters)
            .options(joinedload(Lead.owner), joinedload(Lead.handed_to), selectinload(Lead.tags))
            .order_by(Lead.id.desc()).limit(limit + 1))
    if before:
        stmt = stmt.where(Lead.id < before)
    rows = list(db.session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more else None)


def count(user: User, role: Role | None, filters: Filters) -> int:
    return db.session.scalar(filtered(user, role, filters).with_only_columns(func.count(Lead.id))) or 0


BOARD_COLUMNS = tuple(s.value for s in Status)


def board(user: User, role: Role | None, filters: Filters, per_column: int = 20) -> dict[str, dict]:
    """The newest `per_column` cards of each status and each status's count, in three queries."""
    filters = Filters(**{**filters.__dict__, "status": None})
    base = filtered(user, role, filters)
    counts = dict(db.session.execute(base.with_only_columns(Lead.status, func.count(Lead.id)).group_by(Lead.status)).all())
    ranked = base.add_columns(
        func.row_number().over(partition_by=Lead.status, order_by=Lead.id.desc()).label("rank")).subquery()
    card = aliased(Lead, ranked)
    rows = db.session.scalars(
        select(card).where(ranked.c.rank <= per_column).order_by(ranked.c.id.desc())
        .options(joinedload(card.owner), selectinload(card.tags))
    ).all()
    columns = {status: {"status": status, "count": counts.get(status, 0), "cards": []} for status in BOARD_COLUMNS}
    for lead in rows:
        columns[lead.status]["cards"].append(lead)
    return columns


@dataclass
class Total:
    """A sum in the reader's currency, and what it was added from."""

    amount: Money | None
    parts: list[tuple[str, Decimal]]
    problem: str | None = None


def pipeline_total(user: User, role: Role | None, filters: Filters, currency: str, on: date) -> Total:
    """The estimated value of the open leads listed, converted at the day's rates before adding (one query)."""
    rows = db.session.execute(
        filtered(user, role, filters)
        .with_only_columns(Lead.value_currency, func.sum(Lead.value_amount))
        .where(Lead.value_amount.is_not(None), Lead.status.not_in([Status.converted.value, Status.disqualified.value]))
        .group_by(Lead.value_currency)
    ).all()
    book = current_book()
    total, problem = Decimal(0), None
    parts = sorted((c, a) for c, a in rows if c)
    for code, amount in parts:
        try:
            total += book.convert(Money(amount, code), currency, on).amount.amount
        except RateUnavailable as exc:
            problem = exc.currency
    return Total(None if problem else Money(total, currency).rounded(), parts, problem)


# --- moving through the statuses ---------------------------------------------------------------------------


def allowed_moves(lead: Lead) -> list[str]:
    """Statuses the lead can be moved to with one click (hand-off and conversion have their own forms)."""
    if lead.status in OPEN_STATUSES:
        return [s for s in OPEN_STATUSES if s != lead.status]
    if lead.status == Status.disqualified.value:
        return [Status.new.value]
    return []


def move(lead: Lead, status: str, *, actor_id: int | None) -> None:
    """Move a lead one click along the board; the caller commits."""
    if status not in allowed_moves(lead):
        raise LeadError(_l("A lead that is %(status)s cannot be moved there.", status=_status_text(lead.status)))
    old = lead.status
    lead.status = status
    if old == Status.disqualified.value:
        lead.disqualify_reason = None
    audit.record("lead.status_changed", actor_id=actor_id, subject_type="lead", subject_id=lead.id,
                 details={"status": [old, status]})


def _status_text(status: str) -> str:
    from .labels import status_label

    return status_label(status).lower()


def disqualify(lead: Lead, reason: str, *, actor_id: int | None) -> None:
    """Set a lead aside with the reason; the caller commits."""
    if lead.status in (Status.converted.value, Status.disqualified.value):
        raise LeadError(_l("A lead that is %(status)s cannot be disqualified.", status=_status_text(lead.status)))
    old = lead.status
    if old == Status.handed_off.value:
        _close_pending_handoff(lead, HandoffStatus.returned.value, reason)
        lead.handed_to_id = None
    lead.status, lead.disqualify_reason = Status.disqualified.value, reason
    audit.record("lead.disqualified", actor_id=actor_id, subject_type="lead", subject_id=lead.id,
                 details={"status": [old, lead.status], "reason": reason})


# --- hand-off to a rep -----------------------------------------------------------------------------------


def reps(tenant: Tenant) -> list[User]:
    from tenants.members import members_with_roles

    return [m.user for m in members_with_roles(tenant.id, (Role.rep,))]


def pending_handoff(lead: Lead) -> Handoff | None:
    return db.session.scalar(select(Handoff).where(Handoff.lead_id == lead.id,
                                                   Handoff.status == HandoffStatus.pending.value))


def handoffs_of(lead: Lead) -> list[Handoff]:
    return list(db.session.scalars(
        select(Handoff).where(Handoff.lead_id == lead.id)
        .options(joinedload(Handoff.from_user), joinedload(Handoff.to_user)).order_by(Handoff.id.desc())))


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
               link=url_for("leads.show", lead_id=lead.id, tenant=tenant.slug, _external=True))
    return handoff


def _close_pending_handoff(lead: Lead, status: str, reason: str | None = None) -> Handoff | None:
    handoff = pending_handoff(lead)
    if handoff is not None:
        handoff.status, handoff.reason, handoff.responded_at = status, reason, utcnow()
    return handoff


def accept(lead: Lead, rep: User) -> None:
    """The rep takes the lead on: it becomes theirs. Caller commits."""
    if lead.status != Status.handed_off.value or lead.handed_to_id != rep.id or lead.accepted_at is not None:
        raise LeadError(_l("This lead is not waiting for you to accept it."))
    _close_pending_handoff(lead, HandoffStatus.accepted.value)
    lead.accepted_at, lead.owner_id = utcnow(), rep.id
    audit.record("lead.handoff_accepted", actor_id=rep.id, subject_type="lead", subject_id=lead.id)


def give_back(lead: Lead, tenant: Tenant, rep: User, reason: str) -> None:
    """The rep returns the lead with a reason; it is qualified again and the coordinator is told. Caller commits."""
    if lead.status != Status.handed_off.value or lead.handed_to_id != rep.id or lead.accepted_at is not None:
        raise LeadError(_l("This lead is not waiting for you to accept it."))
    handoff = _close_pending_handoff(lead, HandoffStatus.returned.value, reason)
    lead.status, lead.handed_to_id, lead.handed_off_at = Status.qualified.value, None, None
    audit.record("lead.handoff_returned", actor_id=rep.id, subject_type="lead", subject_id=lead.id,
                 details={"reason": reason})
    coordinator = db.session.get(User, handoff.from_id) if handoff is not None and handoff.from_id else None
    if coordinator is not None:
        locale = coordinator.locale or tenant.default_locale
        send_email(coordinator.email, "lead_returned", locale, lead=lead, rep=rep, coordinator=coordinator,
                   tenant=tenant, reason=reason,
                   link=url_for("leads.show", lead_id=lead.id, tenant=tenant.slug, _external=True))


def waiting_for(user: User, limit: int = 10) -> list[Handoff]:
    """Hand-offs waiting for this rep's answer, oldest first, with the lead and coordinator loaded."""
    return list(db.session.scalars(
        select(Handoff).where(Handoff.to_id == user.id, Handoff.status == HandoffStatus.pending.value)
        .options(joinedload(Handoff.lead), joinedload(Handoff.from_user)).order_by(Handoff.id).limit(limit)))


# --- conversion -----------------------------------------------------------------------------------------


def can_convert(lead: Lead, user: User, role: Role | None) -> bool:
    if lead.status in (Status.converted.value, Status.disqualified.value):
        return False
    if lead.status == Status.handed_off.value and lead.accepted_at is None:
        return False  # the rep answers the hand-off first
    if role in CONVERTS_ANY:
        return True
    return role == Role.rep and user.id in (lead.handed_to_id, lead.owner_id)


@dataclass
class ConversionData:
    account_name: str
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    contract_title: str
    starts_on: date
    ends_on: date
    value: Money


def convert(lead: Lead, tenant: Tenant, data: ConversionData, *, actor: User) -> tuple[Account, object]:
    """Turn the lead into an account (or use the one it is linked to), a contact and a draft contract,
    its value carried over in its currency. The caller commits with contracts.service.commit()."""
    if lead.status in (Status.converted.value, Status.disqualified.value):
        raise LeadError(_l("A lead that is %(status)s cannot be converted.", status=_status_text(lead.status)))
    account = db.session.get(Account, lead.account_id) if lead.account_id else None
    if account is None:
        account = accounts.create_account(accounts.AccountData(
            name=data.account_name, country=lead.country, language=lead.language, currency=data.value.currency,
            website=lead.website, phone=lead.phone), actor_id=actor.id)
    if data.contact_name:
        accounts.add_contact(account, accounts.ContactData(
            name=data.contact_name, job_title=lead.contact_title, email=data.contact_email, phone=data.contact_phone,
            language=lead.language), actor_id=actor.id)
    teed_up_by = db.session.get(User, lead.teed_up_by_id) if lead.teed_up_by_id else None
    note = _("Converted from the lead “%(lead)s”.", lead=lead.title)
    if teed_up_by is not None:
        note += " " + _("Teed up by %(name)s.", name=teed_up_by.name)
    contract = contracts.create_contract(tenant, contracts.ContractData(
        account_id=account.id, owner_id=lead.handed_to_id or lead.owner_id or actor.id,
        coordinator_id=lead.teed_up_by_id, title=data.contract_title, starts_on=data.starts_on, ends_on=data.ends_on,
        value=data.value, notes=note), actor_id=actor.id)
    old = lead.status
    lead.status, lead.account_id, lead.contract_id = Status.converted.value, account.id, contract.id
    lead.converted_at, lead.converted_by_id = utcnow(), actor.id
    # The lead's calls and follow-ups now show on the customer's page too.
    db.session.execute(update(Activity).where(Activity.lead_id == lead.id).values(account_id=account.id)
                       .execution_options(synchronize_session=False))
    audit.record("lead.converted", actor_id=actor.id, subject_type="lead", subject_id=lead.id,
                 details={"status": [old, lead.status], "account": account.name, "contract": contract.number,
                          "value": str(contract.value)})
    return account, contract


# --- what happened to a lead -------------------------------------------------------------------------------


def history(lead: Lead, limit: int = 50) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "lead", AuditEvent.subject_id == lead.id)
        .options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(limit)))


# --- CSV export ----------------------------------------------------------------------------------------------


def export_batches(user: User, role: Role | None, filters: Filters, batch: int = 1000):
    """The filtered leads, newest first, a keyset batch at a time (people and tags loaded per batch)."""
    before = None
    while True:
        stmt = (filtered(user, role, filters)
                .options(joinedload(Lead.owner), joinedload(Lead.teed_up_by), joinedload(Lead.handed_to),
                         selectinload(Lead.tags))
                .order_by(Lead.id.desc()).limit(batch))
        if before is not None:
            stmt = stmt.where(Lead.id < before)
        rows = list(db.session.scalars(stmt))
        if not rows:
            return
        yield rows
        before = rows[-1].id
