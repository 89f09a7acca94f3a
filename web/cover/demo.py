"""Demo cover: Marco away this week and next, Giulia covering; a lead handed to him since shows on her home."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant, User

from ..leads.models import Handoff, Lead
from . import service
from .models import Away


def seed(tenant: Tenant) -> None:
    """One away period running, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Away)):
        return
    marco = db.session.scalar(select(User).where(User.email == "marco@demo.example.com"))
    giulia = db.session.scalar(select(User).where(User.email == "giulia@demo.example.com"))
    if marco is None or giulia is None:
        return
    today = date.today()
    service.set_away(user_id=marco.id, cover_id=giulia.id, starts_on=today - timedelta(days=2),
                     ends_on=today + timedelta(days=9), note="Trade fair in Singapore", actor_id=marco.id)
    lead = Lead(company="Urgent: Fiera Milano stand request", source="web_form", status="handed_off",
                owner_id=giulia.id, handed_to_id=marco.id, email="eventi@fieramilano.example.it",
                contact_name="Laura Bianchi", country="IT", language="it")
    db.session.add(lead)
    db.session.flush()
    db.session.add(Handoff(lead_id=lead.id, from_id=giulia.id, to_id=marco.id,
                           note="Wants a booth quote by Friday: urgent."))
    db.session.commit()
