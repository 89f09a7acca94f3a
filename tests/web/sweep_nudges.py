"""Sweep makers for nudges routes (see sweep_cases.py): argument name -> function(world) -> an id of acme's."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tenants.db import db, utcnow
from web.accounts.models import Account
from web.contracts.models import Contract
from web.nudges.models import Nudge, NudgeRule


def _rule(world):
    rule = NudgeRule(name="Sweep check-in", trigger="contract_age", days=14, action="task", hold_hours=0)
    db.session.add(rule)
    db.session.commit()
    return rule.id


def _nudge(world):
    """A scheduled check-in nudge on a contract of acme's."""
    contract_id = db.session.scalar(select(Contract.id).order_by(Contract.id))
    if contract_id is None:
        account = Account(name="Nudge Sweep Srl", name_key="nudge sweep srl")
        db.session.add(account)
        db.session.flush()
        contract = Contract(number="NUDGE-SWEEP-1", account_id=account.id, owner_id=world.rep.id, title="Sweep",
                            status="active", starts_on=date.today(), ends_on=date.today() + timedelta(days=365),
                            value_amount=0, value_currency="EUR")
        db.session.add(contract)
        db.session.flush()
        contract_id = contract.id
    nudge = Nudge(rule_id=_rule(world), target=f"contract:{contract_id}", contract_id=contract_id, status="scheduled",
                  due_at=utcnow() + timedelta(days=1))
    db.session.add(nudge)
    db.session.commit()
    return nudge.id


MAKERS = {"rule_id": _rule, "nudge_id": _nudge}
