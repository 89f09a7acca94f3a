"""Contracts: numbering, drafting, signing at a locked rate, editing without overwriting, renewing."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload
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
