"""The demo: tenants `demo` and `rival` with a team in three languages. Safe to run again."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from tenants import members
from tenants.db import db, utcnow
from tenants.models import Role, Tenant, User
from tenants.passwords import hash_password
from tenants.scoping import tenant_context

PASSWORD = "coordina-demo"

TENANTS = {
    "demo": dict(name="Demo Media Group", base_currency="EUR", default_locale="en", timezone="Europe/Rome"),
    "rival": dict(name="Rival Publishing", base_currency="USD", default_locale="en", timezone="America/New_York"),
}
PEOPLE = [
    # email, name, role, locale, timezone, tenant
    ("owner@demo.example.com", "Olivia Owner", Role.owner, "en", "Europe/London", "demo"),
    ("giulia@demo.example.com", "Giulia Rossi", Role.coordinator, "it", "Europe/Rome", "demo"),
    ("lan@demo.example.com", "Nguyễn Thị Lan", Role.coordinator, "vi", "Asia/Ho_Chi_Minh", "demo"),
    ("marco@demo.example.com", "Marco Bianchi", Role.rep, "it", "Europe/Rome", "demo"),
    ("hana@demo.example.com", "Hana Novák", Role.manager, "en", "Europe/Prague", "demo"),
    ("owner@rival.example.com", "Rita Rival", Role.owner, "en", "America/New_York", "rival"),
]


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        # Settings chosen by the demo itself: its first steps do not ask to confirm them.
        tenant = Tenant(slug=slug, settings_confirmed_at=utcnow(), **TENANTS[slug])
        db.session.add(tenant)
        db.session.flush()
    return tenant


def seed() -> list[tuple[str, str, str]]:
    """Create what is missing and leave the rest; returns (email, role, tenant) for the printed logins."""
    password_hash = None
    logins = []
    for email, name, role, locale, tz, slug in PEOPLE:
        tenant = _tenant(slug)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            password_hash = password_hash or hash_password(PASSWORD)
            user = User(email=email, name=name, password_hash=password_hash, locale=locale, timezone=tz)
            db.session.add(user)
            db.session.flush()
        with tenant_context(tenant.id):  # memberships are the tenant's rows (row-level security on PostgreSQL)
            if members.member_by_user(tenant.id, user.id) is None:
                members.add_member(tenant, user, role)
            db.session.commit()
        logins.append((email, role.value, f"/t/{slug}/"))
    for slug in TENANTS:
        tenant = _tenant(slug)
        with tenant_context(tenant.id):
            for seeder in current_app.extensions["coordina"].demos:
                # A seeder may answer logins of its own (a partner's portal users), printed with the team's.
                logins.extend(seeder(tenant) or [])
            db.session.commit()
    return logins
