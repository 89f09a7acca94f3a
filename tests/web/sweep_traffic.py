"""Sweep makers for traffic routes (see sweep_cases.py): argument name -> function(world) -> an id of acme's."""
from __future__ import annotations

from datetime import date, timedelta

from tenants.db import db
from web.contracts.models import Contract
from web.deliverables import service as deliverables
from web.traffic.models import Placement


def _placement(world):
    """A web banner of acme, live, with its tracked link."""
    from sqlalchemy import select

    contract = db.session.scalar(select(Contract).order_by(Contract.id).limit(1))
    if contract is None:
        from .sweep_contracts import MAKERS as CONTRACT_MAKERS

        contract = db.session.get(Contract, CONTRACT_MAKERS["contract_id"](world))
    banner = deliverables.add_deliverable(contract, kind=deliverables.kind_by_key("web_banner"),
                                          details="Sweep banner", due_on=date.today())
    row = Placement(deliverable_id=banner.id, contract_id=contract.id, token="sweeptoken000001",
                    landing_url="https://acme.example/", starts_on=date.today() - timedelta(days=1))
    db.session.add(row)
    db.session.commit()
    return row.id


MAKERS = {"placement_id": _placement}
