"""Sweep makers for the cases feature's routes (see sweep_cases.py): argument name -> function(world) -> an id."""
from __future__ import annotations

from tenants.db import db
from web.cases.models import Case


def _case(world):
    case = Case(subject="Sweep case", channel="phone", priority="normal", status="new")
    db.session.add(case)
    db.session.commit()
    return case.id


MAKERS = {"case_id": _case}
