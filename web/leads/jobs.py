"""Scheduled work for leads (run by `coordina tick`)."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context

from ..tick import job
from . import bonuses


@job("lead_bonuses")
def _credit_missed_bonuses(app: Flask) -> dict:
    """Credit bonuses a signing did not (a crash or a missing rate at the time); crediting is once per lead."""
    credited = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            credited += bonuses.catch_up(tenant)
            db.session.commit()
    return {"credited": credited}
