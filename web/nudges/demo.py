"""Demo nudges: the three shipped rules with their text in en, it and vi, and on demo contracts a banner nudge
waiting in the queue, a discount reminder sent, and a check-in skipped with its reason."""
from __future__ import annotations

from sqlalchemy import func, select, true

from tenants.db import db, utcnow
from tenants.models import Tenant, User

from ..contracts.models import OPEN_STATUSES, Contract
from ..deliverables.models import Deliverable, DeliverableKind
from . import rules as nudge_rules
from . import service
from .models import NudgeRule


def _deliverable(kind_id: int | None, avoid: set[int]) -> Deliverable | None:
    if kind_id is None:
        return None
    return db.session.scalar(
        select(Deliverable).join(Contract, Contract.id == Deliverable.contract_id)
        .where(Deliverable.kind_id == kind_id, Contract.status.in_(OPEN_STATUSES),
               Deliverable.contract_id.not_in(avoid) if avoid else true())
        .order_by(Deliverable.id))


def seed(tenant: Tenant) -> None:
    """Rules, and a nudge in each state, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(NudgeRule)):
        return
    giulia = db.session.scalar(select(User).where(User.email == "giulia@demo.example.com"))
    actor = giulia.id if giulia else None
    rules = {r.trigger: r for r in nudge_rules.add_builtin_rules(tenant, actor_id=actor)}
    now, used = utcnow(), set()
    kinds = {k.key: k.id for k in db.session.scalars(select(DeliverableKind))}
    banner = _deliverable(kinds.get("web_banner"), used)
    if banner is not None and "not_live" in rules:
        service.make(rules["not_live"], banner.contract_id, banner.id, now)  # waits its 24 hours in the queue
        used.add(banner.contract_id)
    discount = _deliverable(kinds.get("discount"), used)
    if discount is not None and "not_claimed" in rules:
        nudge = service.make(rules["not_claimed"], discount.contract_id, discount.id, now)
        used.add(discount.contract_id)
        db.session.commit()
        if nudge is not None:
            service.send_now(service.get(nudge.id, None, None), tenant, actor_id=actor)
    contract = db.session.scalar(select(Contract).where(Contract.status.in_(OPEN_STATUSES),
                                                        Contract.id.not_in(used) if used else true())
                                 .order_by(Contract.id))
    if contract is not None and "contract_age" in rules:
        nudge = service.make(rules["contract_age"], contract.id, None, now)
        db.session.commit()
        if nudge is not None:
            service.skip(service.get(nudge.id, None, None), reason="Met them at the trade fair last week.",
                         actor_id=actor)
    db.session.commit()
