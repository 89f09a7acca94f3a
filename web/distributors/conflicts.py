"""The conflict check of a deal registration: what the company already has for the same customer.

It runs on the staff side only (a partner's request may not read the tenant's customers: the partner scope
refuses), so it is computed when the coordinator opens the registration, always against today's data. Each
source is one query, narrowed in SQL by the keys (name, website domain, email domain); names are then compared
by similarity of their folded form, so "Cà Phê Núi Xanh JSC" meets "Ca Phe Nui Xanh".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlalchemy import and_, literal, or_, select

from tenants import search
from tenants.db import db

from ..accounts.models import Account
from ..contracts.models import OPEN_STATUSES, Contract, Status
from ..leads.models import Lead
from .models import Distributor, Registration
from .models import Status as RegistrationStatus

SIMILAR = 0.85  # folded names at least this alike are the same company written two ways
PER_SOURCE = 10


@dataclass
class Conflict:
    kind: str  # account, lead, contract, registration
    id: int
    name: str
    reasons: list[str] = field(default_factory=list)  # name, website, email, country
    partner: str | None = None  # for another partner's registration
    status: str | None = None


def similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))):
        return True
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR


def _name_clause(column, key: str):
    """Rows whose key could be similar: equal, one a prefix of the other, or sharing the first word (LIKE: for a
    partner's registrations, a few hundred rows; the large tables are asked through indexes, _similar_ids)."""
    first = key.split()[0] if key else ""
    clauses = [column == key, column.startswith(key, autoescape=True), literal(key).startswith(column)]
    if len(first) >= 3:
        clauses.append(column.contains(first, autoescape=True))
    return or_(*clauses)


def _similar_ids(id_column, name_column, domain_column, fts_table: str, term_name: str, key: str, domains: list[str]):
    """The ids of rows whose name could be similar to `key` (as _name_clause) or whose domain is one of `domains`,
    each way read from an index, as one union for an IN (search.either): the keys that are a prefix of this one
    (four letters or more, as similar() asks of a prefix, and the key itself) by the name's index, the names
    containing this key or its first word (a superset of "starts with") by trigrams (tenants.search), the domains
    by theirs.
    "'this key' LIKE name || '%'" can use no index and an OR of the ways let SQLite walk every row by id: at 100,000
    leads and contracts the check took 70 ms."""
    first = key.split()[0] if key else ""
    prefixes = sorted({key} | {key[:n] for n in range(4, len(key))})
    terms = [search.Term(term_name, name_column, key)]
    if len(first) >= 3:
        terms.append(search.Term(term_name, name_column, first))
    ways = [select(id_column).where(name_column.in_(prefixes)),
            search.matching_ids(id_column, fts_table, terms, prefix=name_column, prefix_value=key)]
    if domains:
        ways.append(select(id_column).where(domain_column.in_(domains)))
    return search.either(*ways)


def _reasons(reg: Registration, name_key, domain, country) -> list[str]:
    reasons = []
    if similar(reg.company_key, name_key):
        reasons.append("name")
    if domain and reg.domain and domain == reg.domain:
        reasons.append("website")
    if domain and reg.email_domain and domain == reg.email_domain:
        reasons.append("email")
    if reasons and country and country == reg.country:
        reasons.append("country")  # the same country makes a match likelier; alone it is no conflict
    return reasons


def _domains(reg: Registration) -> list[str]:
    return [d for d in {reg.domain, reg.email_domain} if d]


def check(reg: Registration) -> list[Conflict]:
    """What the company and other partners already have that looks like this registration's customer."""
    found: list[Conflict] = []
    domains = _domains(reg)

    accounts = db.session.scalars(select(Account).where(Account.id.in_(_similar_ids(
        Account.id, Account.name_key, Account.domain, "accounts_fts", "name_key", reg.company_key, domains)))
        .order_by(Account.id).limit(PER_SOURCE)).all()
    for account in accounts:
        reasons = _reasons(reg, account.name_key, account.domain, account.country)
        if "name" in reasons or "website" in reasons or "email" in reasons:
            found.append(Conflict("account", account.id, account.name, reasons))
    leads = select(Lead).where(Lead.id.in_(_similar_ids(Lead.id, Lead.company_key, Lead.domain, "leads_fts",
                                                        "company_key", reg.company_key, domains)))
    for lead in db.session.scalars(leads.order_by(Lead.id.desc()).limit(PER_SOURCE)):
        reasons = _reasons(reg, lead.company_key, lead.domain, lead.country)
        if lead.id != reg.lead_id and ("name" in reasons or "website" in reasons or "email" in reasons):
            found.append(Conflict("lead", lead.id, lead.company or "", reasons, status=lead.status))
    # The open contracts of those accounts, each account's latest by its own index entries (one account may hold
    # most of the workspace's contracts), the newest ten of them all.
    open_statuses = [Status.draft.value, *OPEN_STATUSES]
    tops = [select(Contract.id).where(Contract.account_id == account.id, Contract.status.in_(open_statuses))
            .order_by(Contract.ends_on.desc()).limit(PER_SOURCE).subquery() for account in accounts]
    rows = db.session.execute(
        select(Contract.id, Contract.title, Account.name_key, Account.domain, Account.country)
        .join(Account, and_(Account.id == Contract.account_id, Account.tenant_id == Contract.tenant_id))
        .where(Contract.id.in_(search.either(*(select(top.c.id) for top in tops))))).all() if tops else []
    for contract_id, title, name_key, domain, country in sorted(rows, reverse=True)[:PER_SOURCE]:
        reasons = _reasons(reg, name_key, domain, country)
        if "name" in reasons or "website" in reasons or "email" in reasons:
            found.append(Conflict("contract", contract_id, title, reasons))
    others = db.session.execute(
        select(Registration, Distributor.name)
        .join(Distributor, and_(Distributor.id == Registration.distributor_id,
                                Distributor.tenant_id == Registration.tenant_id))
        .where(Registration.id != reg.id,
               Registration.status.in_([RegistrationStatus.submitted.value, RegistrationStatus.approved.value]),
               or_(_name_clause(Registration.company_key, reg.company_key),
                   *([Registration.domain.in_(domains), Registration.email_domain.in_(domains)] if domains else [])))
        .order_by(Registration.id.desc()).limit(PER_SOURCE))
    for other, partner in others:
        reasons = []
        if similar(other.company_key, reg.company_key):
            reasons.append("name")
        if set(_domains(other)) & set(domains):
            reasons.append("website" if other.domain in domains else "email")
        if reasons and other.country == reg.country:
            reasons.append("country")
        if reasons:
            found.append(Conflict("registration", other.id, other.company, reasons, partner=partner,
                                  status=other.status))
    return found
