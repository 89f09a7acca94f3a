"""Demo web form: switched on, its leads going to Giulia."""
from __future__ import annotations

from sqlalchemy import select

from tenants.db import db
from tenants.models import Tenant, User

from ..leads.service import settings_if_any
from . import service


def seed(tenant: Tenant) -> None:
    row = settings_if_any()
    if tenant.slug != "demo" or (row is not None and row.webform_enabled):
        return
    giulia = db.session.scalar(select(User).where(User.email == "giulia@demo.example.com"))
    service.set_webform(True, giulia.id if giulia else None, actor_id=None)
