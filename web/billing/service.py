"""Billing: what to invoice for each contract and when, marked invoiced with the invoice number."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from i18n.money import Money
from tenants import audit
from tenants.db import db
from tenants.models import Role, User
from tenants.pager import Keyset, Page
from tenants.scoping import built_once, prebuilt
from tenants.shapes import BoundFilters

from ..accounts.models import Account
from ..contracts.models import Contract
from ..contracts.service import visible_to
from .models import BillingEntry

BY_DUE = Keyset(BillingEntry.due_on, BillingEntry.id)


def add_billing_entry(contract: Contract, *, amount: Money, due_on: date, note: str | None = None,
                      actor_id: int | None = None) -> BillingEntry:
    """A new billing entry on the contract, rounded to the currency's minor unit. Caller commits."""
    rounded_amount = amount.rounded()
    entry = BillingEntry(contract_id=contract.id, amount=rounded_amount.amount, currency=rounded_amount.currency,
                         due_on=due_on, note=note)
    db.session.add(entry)
    db.session.flush()
    audit.record("billing.added", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"entry": entry.id, "amount": str(rounded_amount), "due_on": due_on.isoformat()})
    return entry


class ContractEntry(NamedTuple):
    """A billing entry as its contract's page lists it: its columns, no ORM object (issue 15)."""

    id: int
    amount: Decimal
    currency: str
    due_on: date
    invoiced: bool
    invoice_ref: str | None
    invoiced_on: date | None
    note: str | None

    money = BillingEntry.money


# Read on every contract page: built once.
_OF_CONTRACT = prebuilt(select(*(getattr(BillingEntry, name) for name in ContractEntry._fields))
                        .where(BillingEntry.contract_id == bindparam("contract_id"))
                        .order_by(BillingEntry.due_on, BillingEntry.id))


def billing_of(contract: Contract) -> list[ContractEntry]:
    return [ContractEntry._make(row) for row in db.session.execute(_OF_CONTRACT, {"contract_id": contract.id})]


def get_billing_entry(contract: Contract, entry_id: int) -> BillingEntry | None:
    return db.session.scalar(select(BillingEntry).where(BillingEntry.id == entry_id,
                                                        BillingEntry.contract_id == contract.id))


def mark_invoiced(entry: BillingEntry, *, invoice_ref: str | None, on: date, actor_id: int | None) -> None:
    entry.invoiced, entry.invoice_ref, entry.invoiced_on = True, invoice_ref, on
    audit.record("billing.invoiced", actor_id=actor_id, subject_type="contract", subject_id=entry.contract_id,
                 details={"entry": entry.id, "invoice_ref": invoice_ref or ""})


class ListRow(NamedTuple):
    """A billing entry as the list shows it, plain (its row is kept under these values: web/row_cache.py)."""

    id: int
    due_on: date
    contract_id: int
    contract_number: str
    account_name: str
    amount: Decimal
    currency: str
    invoiced: bool
    invoice_ref: str | None
    note: str | None

    money = BillingEntry.money


class Filters(NamedTuple):
    """The list's filters: a due-date range and whether invoiced ("yes", "no", or None for both)."""

    due_from: date | None = None
    due_to: date | None = None
    invoiced: str | None = None


# The filters as named parameters (tenants.shapes): the first page's statement is kept per shape of filters.
BOUND = BoundFilters("billing", ("due_from", "due_to", "invoiced"), fold={"invoiced": lambda value: value == "yes"})


def _with_list_columns(stmt):
    return (stmt.with_only_columns(BillingEntry.id, BillingEntry.due_on, BillingEntry.contract_id, Contract.number,
                                   Account.name, BillingEntry.amount, BillingEntry.currency, BillingEntry.invoiced,
                                   BillingEntry.invoice_ref, BillingEntry.note)
            .join(Contract.account))


def list_page(user: User, role: Role | None, filters: Filters, after: str | None, *, limit: int = 100) -> Page:
    """A keyset page of the reader's billing entries (billing_entries) as plain rows of what the list shows. The
    first page runs a statement built once per shape of filters, with this request's values."""
    params = {**BOUND.values(user, filters), "contracts_reader": user.id}
    if after:
        page = BY_DUE.page(_with_list_columns(billing_entries(user, role, filters)), after, limit=limit,
                           scalars=False, params=params)
    else:
        stmt = built_once(lambda: BY_DUE.after(
            _with_list_columns(billing_entries(user, role, filters)), None).limit(limit + 1),
            limit, *BOUND.shape(role, filters))
        page = BY_DUE.page(stmt, None, limit=limit, scalars=False, prepared=True, params=params)
    page.rows = [ListRow._make(row) for row in page.rows]
    return page


def with_contracts(stmt):
    """billing_entries(...) loading each entry's contract and account (the CSV export names them)."""
    return stmt.options(selectinload(BillingEntry.contract).selectinload(Contract.account))


def billing_entries(user: User, role: Role | None, filters: Filters):
    """Billing entries of the contracts the reader sees, by due date (joined to their contract). Each filter is a
    named parameter holding this request's value (BOUND)."""
    # Joined to the contract, not `contract_id IN (every visible contract)`: that list was built from the whole
    # tenant on every request (66 ms at 100,000 contracts); joined, the due-date index leads.
    stmt = select(BillingEntry).join(BillingEntry.contract)
    rule = visible_to(user, role).whereclause
    if rule is not None:
        stmt = stmt.where(rule)
    value = BOUND.params(user, filters)
    if filters.due_from:
        stmt = stmt.where(BillingEntry.due_on >= value["due_from"])
    if filters.due_to:
        stmt = stmt.where(BillingEntry.due_on <= value["due_to"])
    if filters.invoiced:
        stmt = stmt.where(BillingEntry.invoiced == value["invoiced"])
    return stmt
