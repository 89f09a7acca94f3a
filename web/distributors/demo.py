"""The demo's partners: Gold and Silver tiers, Merlion (Singapore, SGD, English) and Lotus (Vietnam, VND,
Vietnamese), each with a portal user who signs in with the demo password."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tenants import members
from tenants.db import db
from tenants.models import Role, Tenant, User
from tenants.passwords import hash_password

from ..accounts.service import normalise_company
from .models import Distributor, DistributorContact, Tier

PASSWORD = "coordina-demo"
# email, name, locale, timezone, partner
PORTAL_USERS = [
    ("wei@merlion.example.com", "Tan Wei Ling", "en", "Asia/Singapore", "Merlion Distribution Pte Ltd"),
    ("minh@lotus.example.com", "Trần Văn Minh", "vi", "Asia/Ho_Chi_Minh", "Công ty TNHH Lotus Trading"),
]


def seed(tenant: Tenant) -> None:
    """The demo tenant's partners, once (nothing happens when it already has some)."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Distributor)):
        return
    coordinators = {u.email: u for u in db.session.scalars(select(User).where(
        User.email.in_(["giulia@demo.example.com", "lan@demo.example.com"])))}
    gold = Tier(name="Gold", rank=1, discount_percent=Decimal("20"), exclusivity_days=90, lead_sla_hours=24,
                benefits="Co-marketing fund, leads first, a booth at the spring fair")
    silver = Tier(name="Silver", rank=2, discount_percent=Decimal("12.5"), exclusivity_days=60, lead_sla_hours=48,
                  benefits="Leads in their territory")
    db.session.add_all([gold, silver])
    db.session.flush()
    lan, giulia = coordinators.get("lan@demo.example.com"), coordinators.get("giulia@demo.example.com")
    partners = {
        "Merlion Distribution Pte Ltd": Distributor(
            name="Merlion Distribution Pte Ltd", countries=["MY", "SG"], language="en", currency="SGD",
            tier_id=silver.id, agreement_starts_on=date(2026, 1, 1), agreement_ends_on=date(2027, 12, 31),
            coordinator_id=giulia.id if giulia else None, website="merlion.example.com"),
        "Công ty TNHH Lotus Trading": Distributor(
            name="Công ty TNHH Lotus Trading", countries=["KH", "VN"], language="vi", currency="VND", tier_id=gold.id,
            agreement_starts_on=date(2026, 3, 1), agreement_ends_on=date(2028, 2, 29),
            coordinator_id=lan.id if lan else None, website="lotus.example.com"),
    }
    for partner in partners.values():
        partner.name_key = normalise_company(partner.name)
        db.session.add(partner)
    db.session.flush()
    db.session.add_all([
        DistributorContact(distributor_id=partners["Merlion Distribution Pte Ltd"].id, name="Tan Wei Ling",
                           job_title="Managing Director", email="wei@merlion.example.com", phone="+65 6555 0100"),
        DistributorContact(distributor_id=partners["Công ty TNHH Lotus Trading"].id, name="Trần Văn Minh",
                           job_title="Giám đốc kinh doanh", email="minh@lotus.example.com", phone="+84 28 5555 0200"),
    ])
    password_hash = None
    for email, name, locale, tz, partner in PORTAL_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            password_hash = password_hash or hash_password(PASSWORD)
            user = User(email=email, name=name, password_hash=password_hash, locale=locale, timezone=tz)
            db.session.add(user)
            db.session.flush()
        if members.member_by_user(tenant.id, user.id) is None:
            members.add_member(tenant, user, Role.distributor, distributor_id=partners[partner].id)
    db.session.commit()
