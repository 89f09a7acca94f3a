"""Helpers the distributor and portal tests share: tiers, partners and their portal users."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Membership, Role, Tenant
from tenants.scoping import tenant_context
from web.distributors.models import Distributor, DistributorContact, Tier

from .. import factories as f


def tier(app, tenant: Tenant, name="Gold", rank=1, discount="15", days=90, sla=48) -> Tier:
    with app.app_context(), tenant_context(tenant.id):
        row = Tier(name=name, rank=rank, discount_percent=Decimal(discount), exclusivity_days=days,
                   lead_sla_hours=sla, benefits="Co-marketing fund")
        db.session.add(row)
        db.session.commit()
        return f.detach(row)


def distributor(app, tenant: Tenant, name="Lotus Trading", *, countries=("VN",), language="vi", currency="VND",
                tier_id=None, coordinator_id=None) -> Distributor:
    with app.app_context(), tenant_context(tenant.id):
        row = Distributor(name=name, name_key=name.lower(), countries=list(countries), language=language,
                          currency=currency, tier_id=tier_id, coordinator_id=coordinator_id)
        db.session.add(row)
        db.session.commit()
        return f.detach(row)


def portal_user(app, tenant: Tenant, distributor_row, email: str, locale="en"):
    """A person at the partner, a member with role distributor bound to it."""
    with app.app_context():
        user = f.user(email, locale=locale)
        with tenant_context(tenant.id):
            db.session.add(Membership(tenant_id=tenant.id, user_id=user.id, role=Role.distributor.value,
                                      distributor_id=distributor_row.id if distributor_row else None))
            db.session.commit()
        return user


def partners(app, world) -> SimpleNamespace:
    """Two partners of acme (Lotus in Vietnam, VND, Vietnamese; Merlion in Singapore, SGD, English), a portal
    user each, and a tier."""
    gold = tier(app, world.acme)
    lotus = distributor(app, world.acme, "Lotus Trading", countries=("VN",), language="vi", currency="VND",
                        tier_id=gold.id, coordinator_id=world.coordinator.id)
    merlion = distributor(app, world.acme, "Merlion Distribution", countries=("SG", "MY"), language="en",
                          currency="SGD", tier_id=gold.id)
    ns = SimpleNamespace(gold=gold, lotus=lotus, merlion=merlion)
    ns.lotus_user = portal_user(app, world.acme, lotus, "minh@lotus.example", locale="vi")
    ns.merlion_user = portal_user(app, world.acme, merlion, "wei@merlion.example")
    return ns


def count_rows(app, tenant, model, *where) -> int:
    with app.app_context(), tenant_context(tenant.id):
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def contact(app, tenant, distributor_row, name="Trần Văn Minh") -> DistributorContact:
    with app.app_context(), tenant_context(tenant.id):
        row = DistributorContact(distributor_id=distributor_row.id, name=name, email="minh@lotus.example")
        db.session.add(row)
        db.session.commit()
        return f.detach(row)


def product(app, tenant, code="COF-1", en="Arabica coffee, 1 kg", vi="Cà phê Arabica, 1 kg", it="Caffè arabica, 1 kg",
            price="20.00", unit="bag"):
    from web.distributors.models import Product

    with app.app_context(), tenant_context(tenant.id):
        row = Product(code=code, names={"en": en, "vi": vi, "it": it}, unit=unit, base_price=Decimal(price),
                      base_currency=tenant.base_currency)
        db.session.add(row)
        db.session.commit()
        return f.detach(row)


def vnd_rate(app, tenant, rate="27450", day=None):
    """A corporate rate for VND (the ECB has none): 1 EUR = `rate` VND."""
    from datetime import date

    from web.rates.models import CorporateRate

    with app.app_context(), tenant_context(tenant.id):
        db.session.add(CorporateRate(currency="VND", base_currency=tenant.base_currency, day=day or date(2026, 1, 1),
                                     rate=Decimal(rate)))
        db.session.commit()
