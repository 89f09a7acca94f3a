"""Demo bonus: 5% of the first contract's value, credited to Giulia for the converted lead already signed."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant

from ..contracts.models import Contract
from ..leads.models import Lead
from . import service
from .models import BonusEntry


def seed(tenant: Tenant) -> None:
    """The rule, then the bonus of every signed contract of a teed-up lead (signed before the rule: the demo
    pretends the rule was there all along), once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(BonusEntry)):
        return
    service.set_rule(tenant, "percent", amount=None, percent=Decimal("5"), actor_id=None)
    signed = db.session.scalars(select(Contract).join(Lead, Lead.contract_id == Contract.id)
                                .where(Contract.signed_on.is_not(None), Lead.teed_up_by_id.is_not(None)))
    for contract in signed.all():
        service.credit(contract)
