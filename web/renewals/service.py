"""Renewing: the next term drafted from a contract, linked to it, with its deliverables copied forward."""
from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, select

from tenants import audit
from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import prebuilt

from ..contracts.models import Contract, Status
from ..contracts.service import ContractData, create_contract, term_days
from ..deliverables.service import copy_forward

# Read on every contract page: built once.
_RENEWAL = prebuilt(select(Contract).where(Contract.renewal_of_id == bindparam("contract_id"),
                                           Contract.status != Status.cancelled.value))


def renewal_of(contract: Contract) -> Contract | None:
    """The renewal already started for this contract, if any (not cancelled)."""
    return db.session.scalar(_RENEWAL, {"contract_id": contract.id})


class RenewalLine(NamedTuple):
    """A contract's renewal as its page names it: number and status, read as columns (issue 15)."""

    id: int
    number: str
    status: str


_RENEWAL_LINE = prebuilt(select(Contract.id, Contract.number, Contract.status).where(
    Contract.renewal_of_id == bindparam("contract_id"), Contract.status != Status.cancelled.value))


def renewal_line(contract: Contract) -> RenewalLine | None:
    """renewal_of() for the contract's page: the columns it shows, no Contract loaded (every contract page asks)."""
    row = db.session.execute(_RENEWAL_LINE, {"contract_id": contract.id}).first()
    return RenewalLine._make(row) if row is not None else None


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
    copy_forward(contract, renewal, shift)
    audit.record("contract.renewal_started", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"renewal": renewal.number})
    return renewal
