"""Demo hygiene: one contact whose email bounced, one lead whose phone is dead."""
from __future__ import annotations

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant

from ..accounts.models import Contact
from ..leads.models import Lead
from . import service
from .models import Problem


def seed(tenant: Tenant) -> None:
    """Two addresses that need fixing, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Problem)):
        return
    contact = db.session.scalar(select(Contact).where(Contact.email.is_not(None)).order_by(Contact.id))
    if contact is not None:
        service.report(contact=contact, kind="email_bounced", actor_id=None,
                       detail="550 5.1.1 The email account that you tried to reach does not exist")
    lead = db.session.scalar(select(Lead).where(Lead.phone.is_not(None)).order_by(Lead.id))
    if lead is not None:
        service.report(lead=lead, kind="phone_dead", detail=None, actor_id=None)
    db.session.commit()
