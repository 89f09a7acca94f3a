"""Demo deliverables: every status on the demo's contracts, some overdue, one due this week per coordinator."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant

from ..contracts.models import Contract
from . import service
from .models import Deliverable, DeliverableStatus

DELIVERABLES = [
    # kind, details, offset in days from the contract start, status
    ("ad_placement", "Full page, issue 3", 30, "delivered"),
    ("ad_placement", "Full page, issue 4", 120, "in_progress"),
    ("web_banner", "Homepage banner, April", 200, "planned"),
    ("discount", "15% off the spring show booth", 250, "missed"),
    ("event_booth", "Booth 12 at the trade fair", 300, "planned"),
]


def seed(tenant: Tenant) -> None:
    """Three to five deliverables on each demo contract, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Deliverable)):
        return
    today = date.today()
    kinds = {k.key: k for k in service.kinds()}
    contracts = list(db.session.scalars(select(Contract).order_by(Contract.id)))
    for i, contract in enumerate(contracts):
        for j, (kind, details, offset, status) in enumerate(DELIVERABLES[: 3 + i % 3]):
            due = contract.starts_on + timedelta(days=offset)
            if status in ("planned", "in_progress") and due < today - timedelta(days=20):
                status = "in_progress" if j % 2 else "planned"  # a few overdue ones, as in real life
            service.add_deliverable(contract, kind=kinds[kind], details=details, due_on=due,
                                    responsible_id=contract.coordinator_id,
                                    department="Production" if j % 2 else None,
                                    value_share=(contract.value_amount / 5).quantize(Decimal(1)), status=status,
                                    actor_id=contract.coordinator_id)
    # A deliverable due this week for each coordinator, so the home page has something to show.
    if contracts:
        for coordinator_id in sorted({c.coordinator_id for c in contracts if c.coordinator_id}):
            service.add_deliverable(contracts[0], kind=kinds["web_banner"], details="Newsletter banner, this week",
                                    due_on=today + timedelta(days=(6 - today.weekday()) // 2),
                                    responsible_id=coordinator_id, status=DeliverableStatus.planned.value,
                                    actor_id=coordinator_id)
    db.session.commit()
