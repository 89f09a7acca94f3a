"""Sweep makers for the distributors' routes (see sweep_cases.py): argument name -> function(world) -> an id."""
from __future__ import annotations

from decimal import Decimal

from tenants.db import db
from web.distributors.models import Distributor, DistributorContact, Order, OrderLine, Product, Registration, Tier


def _tier(world):
    tier = Tier(name="Sweep Gold", rank=1, discount_percent=Decimal(10), exclusivity_days=90, lead_sla_hours=48)
    db.session.add(tier)
    db.session.commit()
    return tier.id


def _distributor(world):
    distributor = Distributor(name="Sweep Partner", name_key="sweep partner", countries=["VN"], language="vi",
                              currency="VND")
    db.session.add(distributor)
    db.session.commit()
    return distributor.id


def _contact(world):
    distributor = Distributor(name="Sweep Partner 2", name_key="sweep partner 2", countries=["SG"], language="en",
                              currency="SGD")
    db.session.add(distributor)
    db.session.flush()
    contact = DistributorContact(distributor_id=distributor.id, name="Sweep Contact")
    db.session.add(contact)
    db.session.commit()
    return contact.id


def registration_of(distributor_id: int, company: str = "Sweep Customer") -> int:
    """A deal registered by this distributor (run inside the tenant)."""
    reg = Registration(distributor_id=distributor_id, company=company, company_key=company.lower(), country="VN",
                       value_amount=Decimal(1000), value_currency="USD", status="submitted", conflicts=[])
    db.session.add(reg)
    db.session.commit()
    return reg.id


def _registration(world):
    return registration_of(_distributor(world))


def _product(world):
    product = Product(code="SWEEP-1", names={"en": "Sweep product"}, unit="piece", base_price=Decimal(10),
                      base_currency="EUR")
    db.session.add(product)
    db.session.commit()
    return product.id


def order_of(distributor_id: int) -> int:
    """An order placed by this distributor, with one line (run inside the tenant)."""
    from datetime import date

    product = Product(code=f"SWEEP-O-{distributor_id}", names={"en": "Sweep product"}, unit="piece",
                      base_price=Decimal(10), base_currency="EUR")
    db.session.add(product)
    db.session.flush()
    order = Order(distributor_id=distributor_id, country="VN", currency="VND", total_amount=Decimal(274500), base_currency="EUR",
                  base_total=Decimal(10), fx_rate=Decimal(27450), fx_rate_date=date(2026, 1, 1), fx_source="corporate")
    db.session.add(order)
    db.session.flush()
    db.session.add(OrderLine(order_id=order.id, distributor_id=distributor_id, product_id=product.id,
                             product_code=product.code, product_name="Sweep product", unit="piece", quantity=1,
                             base_unit_price=Decimal(10), unit_price=Decimal(274500), line_total=Decimal(274500)))
    db.session.commit()
    return order.id


def offer_of(distributor_id: int) -> int:
    """A lead passed to this distributor (run inside the tenant)."""
    from datetime import timedelta

    from tenants.db import utcnow
    from web.distributors.models import LeadOffer
    from web.leads.models import Lead

    lead = Lead(company="Sweep Offered Lead", company_key="sweep offered lead", source="cold_research", status="new")
    db.session.add(lead)
    db.session.flush()
    offer = LeadOffer(distributor_id=distributor_id, lead_id=lead.id, company=lead.company, status="offered",
                      due_at=utcnow() + timedelta(hours=48))
    db.session.add(offer)
    db.session.commit()
    return offer.id


def _offer(world):
    return offer_of(_distributor(world))


def _order(world):
    return order_of(_distributor(world))


# Portal routes: argument name -> function(distributor_id) -> an id owned by that partner (the portal sweep asks
# for another partner's and expects 404).
PARTNER_MAKERS = {
    "registration_id": registration_of,
    "order_id": order_of,
    "offer_id": offer_of,
}

MAKERS = {
    "registration_id": _registration,
    "product_id": _product,
    "order_id": _order,
    "offer_id": _offer,
    "tier_id": _tier,
    "distributor_id": _distributor,
    "partner_contact_id": _contact,
}
