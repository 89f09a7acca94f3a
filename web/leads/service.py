"""Leads: who sees which, creating and editing without overwriting, duplicates, lists and the board,
moving through the statuses, hand-off to a rep, conversion into an account, contact and draft contract."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, false, func, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload, selectinload

from i18n.fx import Total, add_up
from i18n.money import Money
from tenants import audit, search
from tenants.db import EditConflict, check_version, commit, db, utcnow
from tenants.models import SEES_ALL, Role, User
from tenants.pager import Keyset, Page
from tenants.scoping import built_once
from tenants.shapes import BoundFilters, rule_of

from ..accounts.models import Account
from ..accounts.service import clean_phone, domain_of, normalise_company, normalise_phone, stored_phone
from ..locale_context import label
from .models import (
    OPEN_STATUSES,
    STATUS_LABELS,
    Handoff,
    HandoffStatus,
    Lead,
    LeadRollup,
    LeadSettings,
    LeadTag,
    Status,
)

__all__ = ["EditConflict", "LeadError", "commit"]

# Who may hand a lead to a rep (and import, and see every lead), and who may convert one they were not handed.
TEES_UP = SEES_ALL
CONVERTS_ANY = (Role.owner, Role.admin, Role.manager)
# RFC 2606 names: never a company's domain, whatever an address says.
RESERVED_DOMAINS = {"example.com", "example.net", "example.org"}


PLACEHOLDERS = {"n/a", "na", "-", "--", "---", "unknown", "none", "null", "nil", "?", "tbd", "."}


class LeadError(ValueError):
    """A step the rules do not allow, with the reader's explanation."""


# --- settings (the questionnaire's threshold, the bonus rule and the web form keep theirs here) ---------------


def settings() -> LeadSettings:
    """The tenant's lead settings, created with defaults on first use."""
    row = db.session.scalar(select(LeadSettings))
    if row is None:
        row = LeadSettings(bonus_rule="none", webform_enabled=False)
        db.session.add(row)
        db.session.flush()
    return row


def settings_if_any() -> LeadSettings | None:
    return db.session.scalar(built_once(lambda: select(LeadSettings)))


# --- who sees what -------------------------------------------------------------------------------------


def any_lead():
    """A SQL condition: the workspace has a lead."""
    return select(Lead.id).exists()


def visible_to(user: User, role: Role | None):
    """Reps see the leads they own or were handed; coordinators, managers and admins see all."""
    stmt = select(Lead)
    if role == Role.rep:
        # Named, so that a statement built once (list_page's first page) is run with each reader's id.
        reader = BOUND.reader(user)
        stmt = stmt.where(or_(Lead.owner_id == reader, Lead.handed_to_id == reader))
    elif role not in SEES_ALL:
        stmt = stmt.where(false())
    return stmt


def get_visible(lead_id: int, user: User, role: Role | None, *, related: bool = True) -> Lead | None:
    """The lead if this reader may see it. Built once per kind of reader (every lead page and action reads it), run
    with the reader's id and the lead's."""
    def build():
        stmt = visible_to(user, role).where(Lead.id == bindparam("lead_id"))
        if related:
            # The tags joined in the same statement (a row per tag): on PostgreSQL one round trip fewer than reading
            # them after (selectinload also built its own query on every run: 0.3 ms of a lead's page).
            stmt = stmt.options(joinedload(Lead.owner), joinedload(Lead.teed_up_by), joinedload(Lead.handed_to),
                                joinedload(Lead.tags))
        return stmt

    stmt = built_once(build, rule_of(role), related)
    return db.session.scalars(stmt, {"lead_id": lead_id, "leads_reader": user.id}).unique().one_or_none()


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


def _extra(lead: Lead) -> dict:
    return {"value": f"{lead.value_amount} {lead.value_currency}" if lead.value_amount is not None else None,
            "tags": ", ".join(t.name for t in lead.tags) if "tags" in lead.__dict__ else None}


def _apply(lead: Lead, data: LeadData) -> None:
    for name in FIELDS:
        setattr(lead, name, getattr(data, name))
    lead.phone = stored_phone(data.phone, data.country)
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


def update_lead(lead: Lead, data: LeadData, *, version: int | None, actor_id: int | None) -> dict:
    """Save edits made on `version`; EditConflict if someone saved in between. Commits."""
    check_version(lead, version)
    tracked = audit.Tracked(lead, FIELDS, _extra)
    _apply(lead, data)
    _set_tags(lead, data.tags)
    changed = tracked.record("lead.updated", actor_id=actor_id, subject_type="lead", subject_id=lead.id)
    commit()
    return changed


# --- duplicates --------------------------------------------------------------------------------------------


@dataclass
class Match:
    kind: str  # "lead" or "account"
    id: int
    title: str
    reasons: list[str]  # "company", "domain", "phone"
    status: str | None = None


def find_duplicates(user: User, role: Role | None, *, company: str | None, email: str | None,
                    website: str | None, phone: str | None, exclude_id: int | None = None,
                    limit: int = 5) -> list[Match]:
    """Leads the reader may open and accounts with the same normalised company name, email domain or phone."""
    keys = keys_of(company, email, website, clean_phone(phone))
    matches: list[Match] = []
    lead_conditions = [getattr(Lead, k) == v for k, v in keys.items() if v]
    if not lead_conditions:
        return []
    stmt = visible_to(user, role).where(or_(*lead_conditions)).order_by(Lead.id).limit(limit)
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
    target.phone = stored_phone(target.phone, target.country)
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

    @property
    def searching(self) -> bool:
        return bool(self.q and self.q.strip())

    def args(self) -> dict:
        """The filters as URL arguments (empty ones left out)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def search_words(filters: Filters) -> search.Words | None:
    """What was typed in the search box, as the list's search condition takes it (None without a search): the
    company, the contact, the email or the phone's digits, each on an index (tenants.search)."""
    q = (filters.q or "").strip()
    if not q:
        return None
    key = normalise_company(q)
    digits = re.sub(r"\D", "", q)
    terms = [search.Term("contact_name", func.lower(Lead.contact_name), q.lower()),
             search.Term("email", Lead.email, q.lower())]
    if key:
        terms.append(search.Term("company_key", Lead.company_key, key))
    if len(digits) >= 4:
        terms.append(search.Term("phone_key", Lead.phone_key, digits[-9:]))
    return search.Words("leads_fts", terms, prefix_value=key, name="leads_q")


# The filters a statement takes as named parameters, the search's words included: one built for a shape of filters
# runs with any values (the list's first page, its count and pipeline, the board).
BOUND = BoundFilters("leads", ("status", "source", "owner_id", "country", "tag"), fold={"tag": str.lower},
                     words=search_words)


def filtered(user: User, role: Role | None, filters: Filters):
    stmt = visible_to(user, role)
    value = BOUND.params(user, filters)
    if filters.status:
        stmt = stmt.where(Lead.status == value["status"])
    if filters.source:
        stmt = stmt.where(Lead.source == value["source"])
    if filters.owner_id:
        stmt = stmt.where(Lead.owner_id == value["owner_id"])
    if filters.country:
        stmt = stmt.where(Lead.country == value["country"])
    if filters.tag:
        stmt = stmt.where(Lead.id.in_(select(LeadTag.lead_id).where(LeadTag.name == value["tag"])))
    words = search_words(filters)
    if words is not None:
        stmt = stmt.where(words.condition(Lead.id, prefix=Lead.company_key))
    return stmt


NEWEST_FIRST = Keyset(Lead.id.desc())


class ListRow(NamedTuple):
    """A lead as the list shows it: the columns its row reads, plain (issue 15: no ORM object per row)."""

    id: int
    company: str | None
    contact_name: str | None
    contact_title: str | None
    email: str | None
    phone: str | None
    status: str
    score: int | None
    country: str | None
    source: str | None
    value_amount: Decimal | None
    value_currency: str | None
    created_at: datetime
    owner_name: str | None
    handed_to_name: str | None
    tags: tuple[str, ...] = ()

    # The model's own, read from these columns.
    title = Lead.title
    value = Lead.value


@cache
def _people_aliases():
    """The owner's and the handed-to person's users, aliased once (made at first use: aliasing at import would
    configure the mappers before every feature's models are loaded)."""
    return aliased(User, name="owner"), aliased(User, name="handed_to")


def list_page(user: User, role: Role | None, filters: Filters, *, after: str | None, limit: int = 50) -> Page:
    """A keyset page of leads, newest first, with owners' names and tags (two queries, whatever the size)."""
    def listed():
        owner, handed_to = _people_aliases()
        return (filtered(user, role, filters)
                .with_only_columns(Lead.id, Lead.company, Lead.contact_name, Lead.contact_title, Lead.email,
                                   Lead.phone, Lead.status, Lead.score, Lead.country, Lead.source, Lead.value_amount,
                                   Lead.value_currency, Lead.created_at, owner.name.label("owner_name"),
                                   handed_to.name.label("handed_to_name"))
                .outerjoin(owner, owner.id == Lead.owner_id).outerjoin(handed_to, handed_to.id == Lead.handed_to_id))

    if after:
        page = NEWEST_FIRST.page(listed(), after, limit=limit, scalars=False)
    else:  # the first page (searched or not): a statement kept for its shape of filters, run with this request's
        first, params = BOUND.kept(lambda: NEWEST_FIRST.after(listed(), None).limit(limit + 1), user, role, filters,
                                   limit)
        page = NEWEST_FIRST.page(first, None, limit=limit, scalars=False, prepared=True, params=params)
    tags: dict[int, list[str]] = {}
    if page.rows:
        tags_of = built_once(lambda: (
            select(LeadTag.lead_id, LeadTag.name).where(LeadTag.lead_id.in_(bindparam("lead_ids", expanding=True)))
            .order_by(LeadTag.lead_id, LeadTag.name)))
        for lead_id, name in db.session.execute(tags_of, {"lead_ids": [row.id for row in page.rows]}):
            tags.setdefault(lead_id, []).append(name)
    page.rows = [ListRow(*row, tuple(tags.get(row.id, ()))) for row in page.rows]
    return page


def _rollups_answer(filters: Filters) -> bool:
    """Whether the rollups can say what these filters list (not a search, a source, a country or a tag)."""
    return not (filters.searching or filters.source or filters.country or filters.tag)


def _rollups(user: User, role: Role | None, filters: Filters):
    """The rollup rows (lead_rollups, kept by triggers) that add up to what these filters list, or None when a
    filter (search, source, country, tag) needs the leads themselves."""
    if not _rollups_answer(filters):
        return None
    stmt = select(LeadRollup)
    value = BOUND.params(user, filters)
    if role == Role.rep:
        reader = BOUND.reader(user)
        stmt = stmt.where(or_(LeadRollup.owner_key == reader, LeadRollup.handed_key == reader))
    elif role not in SEES_ALL:
        stmt = stmt.where(false())
    if filters.status:
        stmt = stmt.where(LeadRollup.status == value["status"])
    if filters.owner_id:
        stmt = stmt.where(LeadRollup.owner_key == value["owner_id"])
    return stmt


def count(user: User, role: Role | None, filters: Filters) -> int:
    """How many leads the filters list: from the rollups when they can say, else counted."""
    if _rollups_answer(filters):
        # Per status, then added here: grouped by the index's second column, SQLite reads the index for one tenant
        # where a bare sum had it scan the (narrow) table across tenants.
        stmt = built_once(lambda: _rollups(user, role, filters).with_only_columns(func.sum(LeadRollup.leads))
                          .group_by(LeadRollup.status), *BOUND.shape(role, filters))
        return sum(int(n) for n in db.session.scalars(stmt, BOUND.values(user, filters)))
    stmt, params = BOUND.kept(lambda: filtered(user, role, filters).with_only_columns(func.count(Lead.id)),
                              user, role, filters)
    return db.session.scalar(stmt, params) or 0


def count_and_pipeline(user: User, role: Role | None, filters: Filters, currency: str, on: date) -> tuple[int, Total]:
    """count() and pipeline_total() at once: a filter the rollups cannot answer (a search) reads the matching
    leads once for both, not once each (each read is a trigram search)."""
    if _rollups_answer(filters):
        # One read of the rollups for both: each status's leads and each currency's value.
        stmt = built_once(lambda: _rollups(user, role, filters).with_only_columns(
            LeadRollup.status, LeadRollup.currency, func.sum(LeadRollup.leads), func.sum(LeadRollup.amount))
            .group_by(LeadRollup.status, LeadRollup.currency), *BOUND.shape(role, filters))
        rows = db.session.execute(stmt, BOUND.values(user, filters)).all()
        closed = (Status.converted.value, Status.disqualified.value)
        return (sum(int(n) for _status, _code, n, _amount in rows),
                add_up([(code, amount) for status, code, _n, amount in rows
                        if code and amount and status not in closed], currency, on))
    def counted():
        open_value = case((Lead.status.not_in([Status.converted.value, Status.disqualified.value]),
                           Lead.value_amount))
        return (filtered(user, role, filters).with_only_columns(Lead.value_currency, func.count(Lead.id),
                                                                 func.sum(open_value)).group_by(Lead.value_currency))

    stmt, params = BOUND.kept(counted, user, role, filters)
    rows = db.session.execute(stmt, params).all()
    return (sum(n for _code, n, _amount in rows),
            add_up([(code, amount) for code, _n, amount in rows if code and amount is not None], currency, on))


BOARD_COLUMNS = tuple(s.value for s in Status)


BOARD_CARDS = 10  # cards a column shows; the rest are a link to the list, filtered to that status


def board(user: User, role: Role | None, filters: Filters, per_column: int = BOARD_CARDS) -> dict[str, dict]:
    """The newest `per_column` cards of each status and each status's count, in three queries.

    Each column is its own `status = ? ORDER BY id DESC LIMIT n` on the (tenant, status, id) index, the six
    glued by UNION ALL: ranking every lead of the tenant with a window function read (and sorted) them all.
    """
    filters = Filters(**{**filters.__dict__, "status": None})
    # Both statements are kept per shape of filters (a search's included, and the columns shown) and run with this
    # request's values, as the list's are.
    shape, params = BOUND.shape(role, filters), BOUND.values(user, filters)
    if _rollups_answer(filters):
        stmt = built_once(lambda: _rollups(user, role, filters).with_only_columns(
            LeadRollup.status, func.sum(LeadRollup.leads)).group_by(LeadRollup.status), *shape)
    else:
        stmt = built_once(lambda: filtered(user, role, filters).with_only_columns(Lead.status, func.count(Lead.id))
                          .group_by(Lead.status), *shape)
    counts = {status: int(n) for status, n in db.session.execute(stmt, params)}
    shown = [status for status in BOARD_COLUMNS if counts.get(status)]
    columns = {status: {"status": status, "count": counts.get(status, 0), "cards": []} for status in BOARD_COLUMNS}
    if not shown:
        return columns

    def cards():
        base = filtered(user, role, filters)
        newest = [select(top.c.id) for top in (
            base.with_only_columns(Lead.id).where(Lead.status == status).order_by(Lead.id.desc()).limit(per_column)
            .subquery() for status in shown)]
        owner, _handed_to = _people_aliases()
        return (select(*CardRow.COLUMNS, owner.name.label("owner_name"))
                .where(Lead.id.in_(union_all(*newest) if len(newest) > 1 else newest[0]))
                .outerjoin(owner, owner.id == Lead.owner_id))

    stmt = built_once(cards, per_column, tuple(shown), *shape)
    # Sorted here: an ORDER BY id on the outer query has SQLite walk every lead of the tenant by id.
    rows = sorted(db.session.execute(stmt, params), key=lambda row: -row.id)
    for row in rows:
        columns[row.status]["cards"].append(CardRow._make(row))
    return columns


class CardRow(NamedTuple):
    """A lead as a board card shows it, plain (a card is kept under these values: web/row_cache.py)."""

    id: int
    company: str | None
    contact_name: str | None
    email: str | None
    phone: str | None
    country: str | None
    value_amount: Decimal | None
    value_currency: str | None
    score: int | None
    status: str
    accepted_at: datetime | None
    owner_name: str | None

    COLUMNS = (Lead.id, Lead.company, Lead.contact_name, Lead.email, Lead.phone, Lead.country, Lead.value_amount,
               Lead.value_currency, Lead.score, Lead.status, Lead.accepted_at)

    title = Lead.title
    value = Lead.value


def pipeline_total(user: User, role: Role | None, filters: Filters, currency: str, on: date) -> Total:
    """The estimated value of the open leads listed, converted at the day's rates before adding (one query)."""
    closed = [Status.converted.value, Status.disqualified.value]
    if _rollups_answer(filters):
        stmt = built_once(lambda: _rollups(user, role, filters)
                          .with_only_columns(LeadRollup.currency, func.sum(LeadRollup.amount))
                          .where(LeadRollup.currency != "", LeadRollup.status.not_in(closed))
                          .group_by(LeadRollup.currency), *BOUND.shape(role, filters))
        rows = db.session.execute(stmt, BOUND.values(user, filters)).all()
        return add_up([(code, amount) for code, amount in rows if amount], currency, on)
    stmt, params = BOUND.kept(lambda: filtered(user, role, filters)
                              .with_only_columns(Lead.value_currency, func.sum(Lead.value_amount))
                              .where(Lead.value_amount.is_not(None), Lead.status.not_in(closed))
                              .group_by(Lead.value_currency), user, role, filters)
    return add_up(db.session.execute(stmt, params).all(), currency, on)


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
    return label(STATUS_LABELS, status).lower()


def pending_handoff(lead: Lead) -> Handoff | None:
    return db.session.scalar(select(Handoff).where(Handoff.lead_id == lead.id,
                                                   Handoff.status == HandoffStatus.pending.value))


def close_pending_handoff(lead: Lead, status: str, reason: str | None = None) -> Handoff | None:
    handoff = pending_handoff(lead)
    if handoff is not None:
        handoff.status, handoff.reason, handoff.responded_at = status, reason, utcnow()
    return handoff


def disqualify(lead: Lead, reason: str, *, actor_id: int | None) -> None:
    """Set a lead aside with the reason; the caller commits."""
    if lead.status in (Status.converted.value, Status.disqualified.value):
        raise LeadError(_l("A lead that is %(status)s cannot be disqualified.", status=_status_text(lead.status)))
    old = lead.status
    if old == Status.handed_off.value:
        close_pending_handoff(lead, HandoffStatus.returned.value, reason)
        lead.handed_to_id = None
    lead.status, lead.disqualify_reason = Status.disqualified.value, reason
    audit.record("lead.disqualified", actor_id=actor_id, subject_type="lead", subject_id=lead.id,
                 details={"status": [old, lead.status], "reason": reason})


# --- what happened to a lead, and the export ------------------------------------------------------------------


def history(lead: Lead, limit: int = 50):
    """What happened to the lead, newest first."""
    return audit.history("lead", lead.id, limit)


def export_batches(user: User, role: Role | None, filters: Filters, batch: int = 1000):
    """The filtered leads, newest first, a keyset batch at a time (people and tags loaded per batch)."""
    stmt = (filtered(user, role, filters)
            .options(joinedload(Lead.owner), joinedload(Lead.teed_up_by), joinedload(Lead.handed_to),
                     selectinload(Lead.tags)))
    cursor = None
    while True:
        page = NEWEST_FIRST.page(stmt, cursor, limit=batch)
        yield page.rows
        if page.next is None:
            return
        cursor = page.next
