"""Demo billing: two entries on each demo contract, half its value each, a month and seven months in."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from i18n.money import Money
from tenants.db import db
from tenants.models import Tenant

from ..contracts.models import Contract
from . import service
from .models import BillingEntry


def seed(tenant: Tenant) -> None:
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(BillingEntry)):
        return
    for contract in db.session.scalars(select(Contract).order_by(Contract.id)):
        for half in range(2):
            service.add_billing_entry(contract, amount=Money(contract.value_amount / 2, contract.value_currency),
                                      due_on=contract.starts_on + timedelta(days=30 + 180 * half),
                                      actor_id=contract.coordinator_id)
    db.session.commit()
