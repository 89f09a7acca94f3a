"""Contracts: numbering, drafting, signing at a locked rate, editing without overwriting, lists and totals."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from flask import current_app
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from i18n.fx import RateUnavailable, Total, add_up
from i18n.money import Money
from tenants import audit, search
from tenants.counters import next_value
from tenants.db import after_commit, check_version, commit, db
from tenants.models import SEES_ALL, Role, Tenant, User
from tenants.pager import Keyset, Page
from tenants.scoping import built_once
from tenants.shapes import BoundFilters, rule_of

from ..accounts.models import Account
from ..accounts.service import normalise_company
from ..files.models import StoredFile
from ..rates.service import current_book
from . import signals
from .models import Contract, ContractDocument, ContractSettings, Status

__all__ = ["RateUnavailable", "commit"]


# --- settings -------------------------------------------------------------------------------------------


def contract_settings() -> ContractSettings:
    """The tenant's contract settings, created with defaults on first use."""
    row = db.session.scalar(select(ContractSettings))
    if row is None:
        row = ContractSettings(number_prefix="C-{year}-", number_digits=4, reminder_days="90,30,7")
        db.session.add(row)
        db.session.flush()
    return row


def format_number(settings: ContractSettings, value: int, on: date) -> str:
    prefix = settings.number_prefix.replace("{year}", str(on.year))
    return f"{prefix}{value:0{settings.number_digits}d}"


def next_number(on: date | None = None) -> str:
    """The next contract number, e.g. C-2026-0042 (the counter is locked until the caller commits)."""
    return format_number(contract_settings(), next_value("contract"), on or date.today())


# --- drafting and signing ---------------------------------------------------------------------------


@dataclass
class ContractData:
    account_id: int
    owner_id: int
    coordinator_id: int | None
    title: str
    starts_on: date
    ends_on: date
    value: Money
    auto_renew: bool = False
    notice_days: int = 30
    notes: str | None = None


FIELDS = ("account_id", "owner_id", "coordinator_id", "title", "starts_on", "ends_on", "auto_renew", "notice_days",
          "notes")


def _extra(contract: Contract) -> dict:
    return {"value": f"{contract.value_amount} {contract.value_currency}", "status": contract.status,
            "signed_on": contract.signed_on}


def _apply(contract: Contract, data: ContractData) -> None:
    for field in FIELDS:
        setattr(contract, field, getattr(data, field))
    value = data.value.rounded()
    contract.value_amount, contract.value_currency = value.amount, value.currency


def lock_conversion(contract: Contract, tenant: Tenant) -> None:
    """Convert the value into the base currency at the signing date's rate and keep rate, date and source.

    Once signed, the rate stays: a later edit of the value reuses it, so last year's figures never move.
    """
    if contract.signed_on is None:
        return
    if contract.fx_rate is not None and contract.base_currency == tenant.base_currency:
        amount = Money(contract.value_amount * contract.fx_rate, tenant.base_currency).rounded()
        contract.base_amount = amount.amount
        return
    conversion = current_book().convert(contract.value, tenant.base_currency, contract.signed_on)
    contract.base_amount = conversion.amount.amount
    contract.base_currency = conversion.amount.currency
    contract.fx_rate = conversion.rate
    contract.fx_rate_date = conversion.rate_date
    contract.fx_source = conversion.source


def create_contract(tenant: Tenant, data: ContractData, *, actor_id: int | None, signed_on: date | None = None,
                    renewal_of: Contract | None = None) -> Contract:
    """A new contract (a draft, or active when a signing date is given); the caller commits.

    Signing needs a rate for the value's currency on that date: RateUnavailable otherwise.
    """
    contract = Contract(number=next_number(data.starts_on), status=Status.draft.value, created_by_id=actor_id,
                        renewal_of_id=renewal_of.id if renewal_of else None)
    _apply(contract, data)
    if signed_on is not None:
        contract.signed_on = signed_on
        contract.status = Status.active.value
        lock_conversion(contract, tenant)
    db.session.add(contract)
    db.session.flush()
    audit.record("contract.created", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"number": contract.number, "title": contract.title, "value": str(contract.value)})
    if signed_on is not None:
        _after_signing(contract, actor_id)
    return contract


def _after_signing(contract: Contract, actor_id: int | None) -> None:
    audit.record("contract.signed", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"signed_on": contract.signed_on.isoformat(),
                          "base": f"{contract.base_amount} {contract.base_currency}",
                          "rate": format(contract.fx_rate, "f"), "rate_date": contract.fx_rate_date.isoformat(),
                          "source": contract.fx_source})
    if contract.renewal_of_id:
        previous = db.session.get(Contract, contract.renewal_of_id)
        if previous is not None and previous.status not in (Status.cancelled.value,):
            previous.status = Status.renewed.value
            audit.record("contract.renewed", actor_id=actor_id, subject_type="contract", subject_id=previous.id,
                         details={"by": contract.number})
    # Other features (lead bonuses) hear of it once the transaction is committed.
    app = current_app._get_current_object()
    after_commit(lambda: signals.contract_signed.send(app, contract=contract, actor_id=actor_id))


def sign(contract: Contract, tenant: Tenant, signed_on: date, *, actor_id: int | None) -> None:
    """Sign a draft on a date: it becomes active with its value locked at that date's rate. Caller commits."""
    if contract.status != Status.draft.value:
        raise ValueError("only a draft can be signed")
    contract.signed_on = signed_on
    contract.status = Status.active.value
    lock_conversion(contract, tenant)
    _after_signing(contract, actor_id)


def update_contract(contract: Contract, tenant: Tenant, data: ContractData, *, version: int | None,
                    actor_id: int | None) -> dict:
    """Save edits made on `version`; EditConflict when someone saved in between. Commits."""
    check_version(contract, version)
    tracked = audit.Tracked(contract, FIELDS, _extra)
    _apply(contract, data)
    lock_conversion(contract, tenant)
    changed = tracked.record("contract.updated", actor_id=actor_id, subject_type="contract", subject_id=contract.id)
    commit()
    return changed


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_days(contract: Contract) -> int:
    return (contract.ends_on - contract.starts_on).days


def default_end(start: date) -> date:
    return add_months(start, 12) - timedelta(days=1)


def visible_to(user: User, role: Role | None):
    """Rules for who sees which contracts: reps their own, coordinators, managers and admins all."""
    stmt = select(Contract)
    if role == Role.rep:
        # Named, so that a statement built once (list_page's first page) is run with each reader's id.
        stmt = stmt.where(Contract.owner_id == BOUND.reader(user))
    elif role not in SEES_ALL:
        stmt = stmt.where(Contract.id.is_(None))
    return stmt


def get_visible(contract_id: int, user: User, role: Role | None, *, with_related: bool = True) -> Contract | None:
    """The contract if this reader may see it. Built once per kind of reader (every contract page and action reads
    it), run with the reader's id and the contract's."""
    def build():
        stmt = visible_to(user, role).where(Contract.id == bindparam("contract_id"))
        if with_related:
            # Joined, not a query each: every one is a single row found by its key.
            stmt = stmt.options(joinedload(Contract.account), joinedload(Contract.owner),
                                joinedload(Contract.coordinator))
        return stmt

    stmt = built_once(build, rule_of(role), with_related)
    return db.session.scalar(stmt, {"contract_id": contract_id, "contracts_reader": user.id})


# --- lists ------------------------------------------------------------------------------------------


class AccountContract(NamedTuple):
    """A contract as an account's page lists it: the columns it shows."""

    id: int
    number: str
    title: str
    status: str
    ends_on: date
    value_amount: Decimal
    value_currency: str

    @property
    def value(self) -> Money:
        return Money(self.value_amount, self.value_currency)


ACCOUNT_CONTRACT = (Contract.id, Contract.number, Contract.title, Contract.status, Contract.ends_on,
                    Contract.value_amount, Contract.value_currency)
LATEST_END = Keyset(Contract.ends_on.desc(), Contract.id.desc())
ACCOUNT_PAGE = 20  # an account's contracts a page, the latest end first; older ones a link away


def contracts_of_account(account: Account, user: User, role: Role | None, *, after: str | None = None,
                         limit: int = ACCOUNT_PAGE) -> Page:
    """A page of the account's contracts the reader may see, the latest end first (each page read from the
    account's own index entries, whatever the number of its contracts)."""
    stmt = visible_to(user, role).where(Contract.account_id == account.id).with_only_columns(*ACCOUNT_CONTRACT)
    return LATEST_END.page(stmt, after, limit=limit, scalars=False, make=AccountContract._make)


@dataclass
class ListFilters:
    q: str | None = None
    status: str | None = None
    owner_id: int | None = None
    account_id: int | None = None
    country: str | None = None
    ends_from: date | None = None
    ends_to: date | None = None

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list: an empty list then means no match, not nothing yet."""
        return any(getattr(self, item.name) for item in fields(self))


def any_contract():
    """A SQL condition: the workspace has a contract (a draft counts)."""
    return select(Contract.id).exists()


def search_words(filters: ListFilters) -> tuple[search.Words, search.Words] | None:
    """What was typed in the search box as the list's search takes it (None without a search): a number or title
    containing it, and an account's name containing it, each on an index (tenants.search)."""
    typed = (filters.q or "").strip()
    if not typed:
        return None
    q = typed.lower()
    key = normalise_company(q) or q
    own = search.Words("contracts_fts", [search.Term("number", func.lower(Contract.number), q),
                                         search.Term("title", func.lower(Contract.title), q)],
                       prefix_value=typed, name="contracts_q")
    accounts = search.Words("accounts_fts", [search.Term("name_key", Account.name_key, key)], prefix_value=key,
                            name="contracts_qa")
    return own, accounts


# The filters a statement takes as named parameters, the search's words included: one built for a shape of filters
# runs with any values (list_page's first page and total, the renewals calendar).
BOUND = BoundFilters("contracts", ("status", "owner_id", "account_id", "country", "ends_from", "ends_to"),
                     words=search_words)


def filtered(user: User, role: Role | None, filters: ListFilters):
    stmt = visible_to(user, role)
    value = BOUND.params(user, filters)
    if filters.status:
        stmt = stmt.where(Contract.status == value["status"])
    if filters.owner_id:
        stmt = stmt.where(Contract.owner_id == value["owner_id"])
    if filters.account_id:
        stmt = stmt.where(Contract.account_id == value["account_id"])
    if filters.country:
        stmt = stmt.where(Contract.account_id.in_(select(Account.id).where(Account.country == value["country"])))
    if filters.ends_from:
        stmt = stmt.where(Contract.ends_on >= value["ends_from"])
    if filters.ends_to:
        stmt = stmt.where(Contract.ends_on <= value["ends_to"])
    words = search_words(filters)
    if words is not None:
        own, accounts = words
        # A union (search.among), so each side reads its own index: an OR with a subquery would read the tenant's
        # rows. The contracts' own matches are the index's ids (Words.ids): this statement's tenant condition
        # checks them.
        stmt = stmt.where(search.among(
            Contract.id, own.ids(Contract.id, prefix=Contract.number),
            select(Contract.id).where(Contract.account_id.in_(
                select(Account.id).where(accounts.condition(Account.id, prefix=Account.name_key))))))
    return stmt


BY_END = Keyset(Contract.ends_on, Contract.id)


class ListRow(NamedTuple):
    """A contract as the lists (this one, the renewals calendar) show it: the columns their rows read, no ORM object (no identity map, no
    instrumented attributes, no datetimes the row never shows: issue 15)."""

    id: int
    number: str
    account_id: int
    account_name: str
    title: str
    owner_name: str | None
    status: str
    starts_on: date
    ends_on: date
    notice_days: int
    value_amount: Decimal
    value_currency: str
    base_amount: Decimal | None
    base_currency: str | None

    # The model's own figures, read from these columns.
    value = Contract.value
    base_value = Contract.base_value
    notice_deadline = Contract.notice_deadline
    is_open = Contract.is_open


LIST_COLUMNS = (Contract.id, Contract.number, Contract.account_id, Account.name.label("account_name"), Contract.title,
                User.name.label("owner_name"), Contract.status, Contract.starts_on, Contract.ends_on,
                Contract.notice_days, Contract.value_amount, Contract.value_currency, Contract.base_amount,
                Contract.base_currency)


def with_list_columns(stmt):
    """`stmt` (contracts) reading ListRow's columns: its account's and rep's names joined."""
    return (stmt.with_only_columns(*LIST_COLUMNS).join(Contract.account)
            .outerjoin(User, User.id == Contract.owner_id))


def list_page(user: User, role: Role | None, filters: ListFilters, *, after: str | None, limit: int = 50) -> Page:
    """A keyset page of contracts by end date (soonest first): the row's columns with its account's and rep's
    names, read as plain rows. The first page, searched or not, runs a statement kept for its shape of filters."""
    if after:
        return BY_END.page(with_list_columns(filtered(user, role, filters)), after, limit=limit, scalars=False,
                           make=ListRow._make)
    first, params = BOUND.kept(lambda: BY_END.after(with_list_columns(filtered(user, role, filters)), None)
                               .limit(limit + 1), user, role, filters, limit)
    return BY_END.page(first, None, limit=limit, scalars=False, make=ListRow._make, prepared=True, params=params)


def list_total(user: User, role: Role | None, filters: ListFilters, display_currency: str) -> tuple[Total, int]:
    """The filtered list's value in the reader's currency, from one grouped query whatever the size.

    Signed contracts add their locked base value, drafts their own value; each currency's sum is then
    converted before the sums are added.
    """
    def summed():
        signed = Contract.base_amount.is_not(None)
        currency = case((signed, Contract.base_currency), else_=Contract.value_currency)
        amount = case((signed, Contract.base_amount), else_=Contract.value_amount)
        return (filtered(user, role, filters).with_only_columns(currency, func.sum(amount), func.count())
                .group_by(currency))

    stmt, params = BOUND.kept(summed, user, role, filters)
    rows = db.session.execute(stmt, params).all()
    total = add_up(((ccy, amount) for ccy, amount, _n in rows), display_currency, date.today())
    return total, sum(n for _ccy, _amount, n in rows)


# --- documents ----------------------------------------------------------------------------------------


class DocumentLine(NamedTuple):
    """A contract's document or link as its page lists it: its columns and its file's name, no ORM object
    (issue 15)."""

    id: int
    label: str
    url: str | None
    file_id: int | None
    file_name: str | None


def documents_of(contract: Contract) -> list[DocumentLine]:
    stmt = built_once(lambda: (
        select(ContractDocument.id, ContractDocument.label, ContractDocument.url, ContractDocument.file_id,
               StoredFile.name).outerjoin(ContractDocument.file)
        .where(ContractDocument.contract_id == bindparam("contract_id")).order_by(ContractDocument.created_at)))
    return [DocumentLine._make(row) for row in db.session.execute(stmt, {"contract_id": contract.id})]


def add_document(contract: Contract, *, label: str, url: str | None, file_id: int | None,
                 actor_id: int | None) -> ContractDocument:
    document = ContractDocument(contract_id=contract.id, label=label, url=url, file_id=file_id, created_by_id=actor_id)
    db.session.add(document)
    db.session.flush()
    audit.record("contract.document_added", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"document": label})
    return document


def get_document(contract: Contract, document_id: int) -> ContractDocument | None:
    return db.session.scalar(select(ContractDocument).where(ContractDocument.id == document_id,
                                                            ContractDocument.contract_id == contract.id)
                             .options(selectinload(ContractDocument.file)))


# --- history and lifecycle ----------------------------------------------------------------------------------


def history(contract: Contract, limit: int = 100):
    """What happened to the contract and its deliverables, newest first, with who did it."""
    return audit.history("contract", contract.id, limit)


def cancel(contract: Contract, *, actor_id: int | None) -> None:
    old = contract.status
    contract.status = Status.cancelled.value
    audit.record("contract.cancelled", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"status": [old, contract.status]})


# --- admin settings -------------------------------------------------------------------------------------------


SETTINGS_FIELDS = ("number_prefix", "number_digits", "reminder_days")


def update_settings(settings: ContractSettings, *, number_prefix: str, number_digits: int, reminder_days: str,
                    actor_id: int | None) -> None:
    tracked = audit.Tracked(settings, SETTINGS_FIELDS)
    settings.number_prefix, settings.number_digits = number_prefix, number_digits
    settings.reminder_days = ",".join(str(d) for d in sorted({int(x) for x in reminder_days.split(",") if x.strip()},
                                                            reverse=True))
    tracked.record("contracts.settings_updated", actor_id=actor_id, subject_type="contract_settings",
                   subject_id=settings.id)
    db.session.commit()
