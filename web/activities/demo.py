"""Demo activities: follow-ups due today, overdue and later for each coordinator and the rep, and notes."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant

from ..leads.demo import people
from ..leads.models import Lead
from . import service
from .models import Activity


def seed(tenant: Tenant) -> None:
    """The demo's follow-ups and notes, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Activity)):
        return
    team = people()
    if not {"giulia", "lan", "marco"} <= set(team):
        return
    giulia, lan, marco = team["giulia"], team["lan"], team["marco"]
    leads = {lead.company: lead for lead in db.session.scalars(select(Lead))}
    if not leads:
        return
    # Follow-ups: today and overdue for each coordinator and the rep, later ones too.
    today = date.today()
    follow_ups = [
        ("Tessitura Comasca S.r.l.", giulia, "call", "Richiamare l'assistente di Paolo Conti", 0),
        ("Cantina Colli Berici", giulia, "email", "Inviare il listino fiera 2027", -2),
        ("Kaffeehaus Wien", giulia, "call", "Erstes Gespräch mit Herrn Huber", 3),
        ("Công ty TNHH Sao Mai", lan, "call", "Gọi lại cho chị Hoa", 0),
        ("Cà Phê Núi Xanh", lan, "meeting", "Gặp anh Nam tại Hà Nội", 5),
        ("Sakura Kogyo K.K.", lan, "email", "Send the Japanese brochure", -1),
        ("Brauerei Sonnenberg GmbH", marco, "call", "Chiamare la signora Vogel", 0),
        ("Maison Lefèvre", marco, "meeting", "Consegna del catalogo a Parigi", 14),
    ]
    for company, person, kind, subject, offset in follow_ups:
        service.add(service.ActivityData(kind=kind, subject=subject, due_on=today + timedelta(days=offset),
                                         assignee_id=person.id), lead_id=leads[company].id, actor_id=person.id)
    for company, person, subject in (("Pasticceria Dolce Vita", giulia, "Richiesta dal modulo web, stand piccolo"),
                                     ("Blue Harbor Media Inc.", lan, "Met Ethan at the Las Vegas trade show")):
        service.add(service.ActivityData(kind="note", subject=subject), lead_id=leads[company].id,
                    actor_id=person.id)
    db.session.commit()
