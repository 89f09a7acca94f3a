"""Contracts: numbering, drafting, signing at a locked rate, editing without overwriting, renewing."""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants import audit
from tenants.counters import next_value
from tenants.db import db
from tenants.models import Role, Tenant, User

from ..accounts.models import Account
from ..accounts.service import EditConflict
from ..rates.service import current_book
from . import signals
from .models import (
    BUILTIN_KINDS, BillingEntry, Contract, ContractSettings, Deliverable, DeliverableKind, DeliverableStatus, Status,
)

__all__ = ["EditConflict", "RateUnavailable"]


# --- settings and kinds ---------------------------------------------------------------------------


def contract_settings() -> ContractSettings:
    """The tenant's contract settings, created with defaults on first use."""
    row = db.session.scalar(select(ContractSettings))
    if row is None:
        row = ContractSettings(number_prefix="C-{year}-", number_digits=4, reminder_days="90,30,7")
        db.session.add(row)
        db.session.flush()
    return row


def kinds(*, include_inactive: bool = False) -> list[DeliverableKind]:
    """The tenant's deliverable kinds; the six built-in ones are added the first time."""
    rows = list(db.session.scalars(select(DeliverableKind).order_by(DeliverableKind.position, DeliverableKind.id)))
    if not rows:
        rows = [DeliverableKind(key=key, position=i) for i, key in enumerate(BUILTIN_KINDS)]
        db.session.add_all(rows)
        db.session.flush()
    return rows if include_inactive else [k for k in rows if k.active]


def kind_by_key(key: str) -> DeliverableKind:
    for kind in kinds(include_inactive=True):
        if kind.key == key:
            return kind
    raise LookupError(key)


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


def _snapshot(contract: Contract) -> dict:
    data = {f: getattr(contract, f) for f in FIELDS}
    data["value"] = f"{contract.value_amount} {contract.value_currency}"
    data["status"] = contract.status
    data["signed_on"] = contract.signed_on
    return data


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
    pending = db.session.info.setdefault("contracts_signed", [])
    pending.append((contract, actor_id))


def sign(contract: Contract, tenant: Tenant, signed_on: date, *, actor_id: int | None) -> None:
    """Sign a draft on a date: it becomes active with its value locked at that date's rate. Caller commits."""
    if contract.status != Status.draft.value:
        raise ValueError("only a draft can be signed")
    contract.signed_on = signed_on
    contract.status = Status.active.value
    lock_conversion(contract, tenant)
    _after_signing(contract, actor_id)


def commit() -> None:
    """Commit, then tell listeners about contracts signed in the transaction."""
    pending = db.session.info.pop("contracts_signed", [])
    db.session.commit()
    for contract, actor_id in pending:
        signals.contract_signed.send(current_app._get_current_object(), contract=contract, actor_id=actor_id)


def update_contract(contract: Contract, tenant: Tenant, data: ContractData, *, version: int,
                    actor_id: int | None) -> dict:
    """Save edits made on `version`; EditConflict when someone saved in between. Commits."""
    if contract.version != version:
        raise EditConflict()
    before = _snapshot(contract)
    _apply(contract, data)
    lock_conversion(contract, tenant)
    changed = audit.changes(before, _snapshot(contract))
    if changed:
        audit.record("contract.updated", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                     details=changed)
    try:
        commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict() from None
    return changed


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_days(contract: Contract) -> int:
    return (contract.ends_on - contract.starts_on).days


def visible_to(user: User, role: Role | None):
    """Rules for who sees which contracts: reps their own, coordinators, managers and admins all."""
    stmt = select(Contract)
    if role == Role.rep:
        stmt = stmt.where(Contract.owner_id == user.id)
    elif role not in (Role.owner, Role.admin, Role.manager, Role.coordinator):
        stmt = stmt.where(Contract.id.is_(None))
    return stmt


def get_visible(contract_id: int, user: User, role: Role | None, *, with_related: bool = True) -> Contract | None:
    stmt = visible_to(user, role).where(Contract.id == contract_id)
    if with_related:
        stmt = stmt.options(selectinload(Contract.account), selectinload(Contract.owner),
                            selectinload(Contract.coordinator))
    return db.session.scalar(stmt)


def add_deliverable(contract: Contract, *, kind: DeliverableKind, details: str, due_on: date,
                    responsible_id: int | None = None, department: str | None = None,
                    value_share: Decimal | None = None, status: str = DeliverableStatus.planned.value,
                    actor_id: int | None = None) -> Deliverable:
    """A new deliverable on the contract; the caller commits."""
    deliverable = Deliverable(contract_id=contract.id, kind_id=kind.id, details=details, due_on=due_on,
                              responsible_id=responsible_id, department=department, value_share=value_share,
                              status=status)
    db.session.add(deliverable)
    db.session.flush()
    audit.record("deliverable.added", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"deliverable": deliverable.id, "details": details, "due_on": due_on.isoformat()})
    return deliverable


def add_billing_entry(contract: Contract, *, amount: Money, due_on: date, note: str | None = None,
                      actor_id: int | None = None) -> BillingEntry:
    rounded_amount = amount.rounded()
    entry = BillingEntry(contract_id=contract.id, amount=rounded_amount.amount, currency=rounded_amount.currency,
                         due_on=due_on, note=note)
    db.session.add(entry)
    db.session.flush()
    audit.record("billing.added", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"entry": entry.id, "amount": str(rounded_amount), "due_on": due_on.isoformat()})
    return entry


def default_end(start: date) -> date:
    return add_months(start, 12) - timedelta(days=1)


# --- lists ------------------------------------------------------------------------------------------


def contracts_of_account(account: Account, user: User, role: Role | None) -> list[Contract]:
    return list(db.session.scalars(
        visible_to(user, role).where(Contract.account_id == account.id).order_by(Contract.ends_on.desc()).limit(100)
    ))


@dataclass
class ListFilters:
    q: str | None = None
    status: str | None = None
    owner_id: int | None = None
    account_id: int | None = None
    country: str | None = None
    ends_from: date | None = None
    ends_to: date | None = None


def _filtered(user: User, role: Role | None, filters: ListFilters):
    stmt = visible_to(user, role)
    if filters.status:
        stmt = stmt.where(Contract.status == filters.status)
    if filters.owner_id:
        stmt = stmt.where(Contract.owner_id == filters.owner_id)
    if filters.account_id:
        stmt = stmt.where(Contract.account_id == filters.account_id)
    if filters.country:
        stmt = stmt.where(Contract.account_id.in_(select(Account.id).where(Account.country == filters.country)))
    if filters.ends_from:
        stmt = stmt.where(Contract.ends_on >= filters.ends_from)
    if filters.ends_to:
        stmt = stmt.where(Contract.ends_on <= filters.ends_to)
    if filters.q:
        like = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            func.lower(Contract.number).like(like) | func.lower(Contract.title).like(like)
            | Contract.account_id.in_(select(Account.id).where(Account.name_key.like(like)))
        )
    return stmt


def list_page(user: User, role: Role | None, filters: ListFilters, *, after: tuple[date, int] | None,
              limit: int = 50) -> tuple[list[Contract], tuple[date, int] | None]:
    """A keyset page of contracts by end date (soonest first), with account and people loaded."""
    stmt = (_filtered(user, role, filters)
            .options(joinedload(Contract.account), joinedload(Contract.owner), joinedload(Contract.coordinator))
            .order_by(Contract.ends_on, Contract.id).limit(limit + 1))
    if after is not None:
        stmt = stmt.where((Contract.ends_on > after[0]) | ((Contract.ends_on == after[0]) & (Contract.id > after[1])))
    rows = list(db.session.scalars(stmt).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, ((rows[-1].ends_on, rows[-1].id) if more else None)


@dataclass
class Total:
    """A sum in the reader's currency, and what it was added from."""

    amount: Money | None
    count: int
    parts: list[tuple[str, Decimal]]  # (currency, amount) before converting
    problem: str | None = None


def total_of(stmt_rows, tenant: Tenant, display_currency: str, on: date) -> Total:
    """Convert before adding: signed contracts count at their locked base value, drafts at today's rate."""
    book = current_book()
    total = Decimal(0)
    parts: dict[str, Decimal] = {}
    count = 0
    problem = None
    for currency, amount, n in stmt_rows:
        count += n
        parts[currency] = parts.get(currency, Decimal(0)) + amount
    for currency, amount in parts.items():
        try:
            total += book.convert(Money(amount, currency), display_currency, on).amount.amount
        except RateUnavailable as exc:
            problem = exc.currency
    return Total(None if problem else Money(total, display_currency).rounded(), count, sorted(parts.items()), problem)


def list_total(user: User, role: Role | None, filters: ListFilters, tenant: Tenant, display_currency: str) -> Total:
    """The filtered list's value in the reader's currency, from one grouped query whatever the size.

    Signed contracts add their locked base value, drafts their own value; each currency's sum is then
    converted before the sums are added.
    """
    signed = Contract.base_amount.is_not(None)
    currency = case((signed, Contract.base_currency), else_=Contract.value_currency)
    amount = case((signed, Contract.base_amount), else_=Contract.value_amount)
    rows = db.session.execute(
        _filtered(user, role, filters).with_only_columns(currency, func.sum(amount), func.count()).group_by(currency)
    ).all()
    return total_of(rows, tenant, display_currency, date.today())


# --- deliverables -------------------------------------------------------------------------------------


def get_deliverable(contract: Contract, deliverable_id: int) -> Deliverable | None:
    deliverable = db.session.scalar(
        select(Deliverable).where(Deliverable.id == deliverable_id, Deliverable.contract_id == contract.id)
        .options(selectinload(Deliverable.kind), selectinload(Deliverable.responsible),
                 selectinload(Deliverable.proof_file))
    )
    return deliverable


def deliverables_of(contract: Contract) -> list[Deliverable]:
    return list(db.session.scalars(
        select(Deliverable).where(Deliverable.contract_id == contract.id)
        .options(selectinload(Deliverable.kind), selectinload(Deliverable.responsible),
                 selectinload(Deliverable.proof_file))
        .order_by(Deliverable.due_on, Deliverable.id)
    ))


DELIVERABLE_FIELDS = ("kind_id", "details", "due_on", "responsible_id", "department", "value_share", "status",
                      "proof_url")


def _deliverable_snapshot(d: Deliverable) -> dict:
    return {f: getattr(d, f) for f in DELIVERABLE_FIELDS}


def update_deliverable(deliverable: Deliverable, *, version: int | None, actor_id: int | None, **values) -> dict:
    """Change a deliverable; with `version`, refuse (EditConflict) if someone saved in between. Commits."""
    if version is not None and deliverable.version != version:
        raise EditConflict()
    before = _deliverable_snapshot(deliverable)
    for field, value in values.items():
        if field in DELIVERABLE_FIELDS or field == "proof_file_id":
            setattr(deliverable, field, value)
    if deliverable.status == DeliverableStatus.delivered.value and deliverable.delivered_on is None:
        deliverable.delivered_on = date.today()
    elif deliverable.status != DeliverableStatus.delivered.value:
        deliverable.delivered_on = None
    changed = audit.changes(before, _deliverable_snapshot(deliverable))
    if "proof_file_id" in values:
        changed["proof_file"] = [None, values["proof_file_id"]]
    if changed:
        audit.record("deliverable.updated", actor_id=actor_id, subject_type="contract",
                     subject_id=deliverable.contract_id,
                     details={"deliverable": deliverable.id, "details_text": deliverable.details, **changed})
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict() from None
    return changed


def delete_deliverable(deliverable: Deliverable, *, actor_id: int | None) -> None:
    audit.record("deliverable.removed", actor_id=actor_id, subject_type="contract", subject_id=deliverable.contract_id,
                 details={"deliverable": deliverable.id, "details": deliverable.details})
    db.session.delete(deliverable)
    db.session.commit()


def week_bounds(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def due_deliverables(user: User, role: Role | None, *, today: date, mine: bool, include_done: bool = False,
                     limit: int = 200) -> list[Deliverable]:
    """Open deliverables due up to the end of this week, overdue first (then by due date)."""
    _, sunday = week_bounds(today)
    visible = visible_to(user, role).with_only_columns(Contract.id).where(
        Contract.status.not_in([Status.cancelled.value]))
    stmt = (select(Deliverable)
            .where(Deliverable.contract_id.in_(visible), Deliverable.due_on <= sunday)
            .options(selectinload(Deliverable.kind), selectinload(Deliverable.responsible),
                     selectinload(Deliverable.proof_file),
                     selectinload(Deliverable.contract).selectinload(Contract.account))
            .order_by(Deliverable.due_on, Deliverable.id)
            .limit(limit))
    if not include_done:
        stmt = stmt.where(Deliverable.status.in_([DeliverableStatus.planned.value, DeliverableStatus.in_progress.value]))
    else:
        monday, _ = week_bounds(today)
        stmt = stmt.where(Deliverable.status.in_([DeliverableStatus.planned.value, DeliverableStatus.in_progress.value])
                          | (Deliverable.due_on >= monday))
    if mine:
        stmt = stmt.where((Deliverable.responsible_id == user.id) | Deliverable.contract_id.in_(
            select(Contract.id).where((Contract.coordinator_id == user.id) | (Contract.owner_id == user.id))))
    return list(db.session.scalars(stmt))


# --- documents ----------------------------------------------------------------------------------------


def documents_of(contract: Contract):
    from .models import ContractDocument

    return list(db.session.scalars(
        select(ContractDocument).where(ContractDocument.contract_id == contract.id)
        .options(selectinload(ContractDocument.file)).order_by(ContractDocument.created_at)
    ))


def add_document(contract: Contract, *, label: str, url: str | None, file_id: int | None, actor_id: int | None):
    from .models import ContractDocument

    document = ContractDocument(contract_id=contract.id, label=label, url=url, file_id=file_id, created_by_id=actor_id)
    db.session.add(document)
    db.session.flush()
    audit.record("contract.document_added", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"document": label})
    return document


def get_document(contract: Contract, document_id: int):
    from .models import ContractDocument

    return db.session.scalar(select(ContractDocument).where(ContractDocument.id == document_id,
                                                            ContractDocument.contract_id == contract.id)
                             .options(selectinload(ContractDocument.file)))


# --- billing ----------------------------------------------------------------------------------------------


def billing_of(contract: Contract) -> list[BillingEntry]:
    return list(db.session.scalars(select(BillingEntry).where(BillingEntry.contract_id == contract.id)
                                   .order_by(BillingEntry.due_on, BillingEntry.id)))


def get_billing_entry(contract: Contract, entry_id: int) -> BillingEntry | None:
    return db.session.scalar(select(BillingEntry).where(BillingEntry.id == entry_id,
                                                        BillingEntry.contract_id == contract.id))


def mark_invoiced(entry: BillingEntry, *, invoice_ref: str | None, on: date, actor_id: int | None) -> None:
    entry.invoiced, entry.invoice_ref, entry.invoiced_on = True, invoice_ref, on
    audit.record("billing.invoiced", actor_id=actor_id, subject_type="contract", subject_id=entry.contract_id,
                 details={"entry": entry.id, "invoice_ref": invoice_ref or ""})


def billing_entries(user: User, role: Role | None, *, due_from: date | None, due_to: date | None,
                    invoiced: bool | None, after_id: int | None = None, limit: int | None = 100):
    """Billing entries of visible contracts by due date, with contract and account loaded."""
    visible = visible_to(user, role).with_only_columns(Contract.id)
    stmt = (select(BillingEntry).where(BillingEntry.contract_id.in_(visible))
            .options(selectinload(BillingEntry.contract).selectinload(Contract.account))
            .order_by(BillingEntry.due_on, BillingEntry.id))
    if due_from:
        stmt = stmt.where(BillingEntry.due_on >= due_from)
    if due_to:
        stmt = stmt.where(BillingEntry.due_on <= due_to)
    if invoiced is not None:
        stmt = stmt.where(BillingEntry.invoiced.is_(invoiced))
    if after_id:
        pivot = db.session.get(BillingEntry, after_id)
        if pivot is not None:
            stmt = stmt.where((BillingEntry.due_on > pivot.due_on)
                              | ((BillingEntry.due_on == pivot.due_on) & (BillingEntry.id > pivot.id)))
    if limit is not None:
        stmt = stmt.limit(limit + 1)
    return stmt


# --- history ------------------------------------------------------------------------------------------------


def history(contract: Contract, limit: int = 100):
    """What happened to the contract and its deliverables, newest first, with who did it."""
    from tenants.audit import AuditEvent

    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "contract", AuditEvent.subject_id == contract.id)
        .options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(limit)
    ))


# --- lifecycle ----------------------------------------------------------------------------------------------


def cancel(contract: Contract, *, actor_id: int | None) -> None:
    old = contract.status
    contract.status = Status.cancelled.value
    audit.record("contract.cancelled", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"status": [old, contract.status]})


def renewal_of(contract: Contract) -> Contract | None:
    """The renewal already started for this contract, if any (not cancelled)."""
    return db.session.scalar(select(Contract).where(Contract.renewal_of_id == contract.id,
                                                    Contract.status != Status.cancelled.value))


def start_renewal(contract: Contract, tenant: Tenant, *, actor_id: int | None) -> Contract:
    """A new draft for the next term, linked to this one, with its deliverables copied forward. Caller commits."""
    existing = renewal_of(contract)
    if existing is not None:
        return existing
    days = term_days(contract)
    starts = contract.ends_on + timedelta(days=1)
    ends = starts + timedelta(days=days)
    shift = (starts - contract.starts_on)
    data = ContractData(account_id=contract.account_id, owner_id=contract.owner_id,
                        coordinator_id=contract.coordinator_id, title=contract.title, starts_on=starts, ends_on=ends,
                        value=contract.value, auto_renew=contract.auto_renew, notice_days=contract.notice_days,
                        notes=contract.notes)
    renewal = create_contract(tenant, data, actor_id=actor_id, renewal_of=contract)
    for old in deliverables_of(contract):
        db.session.add(Deliverable(contract_id=renewal.id, kind_id=old.kind_id, details=old.details,
                                   responsible_id=old.responsible_id, department=old.department,
                                   due_on=old.due_on + shift, value_share=old.value_share,
                                   status=DeliverableStatus.planned.value))
    audit.record("contract.renewal_started", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"renewal": renewal.number})
    return renewal


# --- admin settings -------------------------------------------------------------------------------------------


def update_settings(settings: ContractSettings, *, number_prefix: str, number_digits: int, reminder_days: str,
                    actor_id: int | None) -> None:
    before = {"number_prefix": settings.number_prefix, "number_digits": settings.number_digits,
              "reminder_days": settings.reminder_days}
    settings.number_prefix, settings.number_digits = number_prefix, number_digits
    settings.reminder_days = ",".join(str(d) for d in sorted({int(x) for x in reminder_days.split(",") if x.strip()},
                                                            reverse=True))
    changed = audit.changes(before, {"number_prefix": settings.number_prefix, "number_digits": settings.number_digits,
                                     "reminder_days": settings.reminder_days})
    if changed:
        audit.record("contracts.settings_updated", actor_id=actor_id, subject_type="contract_settings",
                     subject_id=settings.id, details=changed)
    db.session.commit()


def add_kind(name: str, *, actor_id: int | None) -> DeliverableKind:
    existing = kinds(include_inactive=True)
    base = re.sub(r"[^a-z0-9]+", "_", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()).strip("_")
    key, n = f"custom_{base or 'kind'}", 2
    keys = {k.key for k in existing}
    while key in keys:
        key, n = f"custom_{base or 'kind'}_{n}", n + 1
    kind = DeliverableKind(key=key[:40], name=name, position=len(existing))
    db.session.add(kind)
    db.session.flush()
    audit.record("contracts.kind_added", actor_id=actor_id, subject_type="deliverable_kind", subject_id=kind.id,
                 details={"name": name})
    db.session.commit()
    return kind


def toggle_kind(kind_id: int, *, actor_id: int | None) -> bool:
    kind = db.session.get(DeliverableKind, kind_id)
    if kind is None:
        return False
    kind.active = not kind.active
    audit.record("contracts.kind_toggled", actor_id=actor_id, subject_type="deliverable_kind", subject_id=kind.id,
                 details={"active": kind.active})
    db.session.commit()
    return True
