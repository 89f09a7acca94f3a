"""The demo's partners: Gold and Silver tiers, Merlion (Singapore, SGD, English) and Lotus (Vietnam, VND,
Vietnamese), each with a portal user who signs in with the demo password."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app, has_request_context
from sqlalchemy import func, select

from i18n.money import Money
from tenants import members
from tenants.db import db, utcnow
from tenants.models import Role, Tenant, User
from tenants.passwords import hash_password
from tenants.scoping import partner_context

from ..accounts.service import normalise_company
from . import offers
from . import orders as orders_service
from . import registrations as regs
from .models import Distributor, DistributorContact, Product, Registration, Tier, TierPrice

PASSWORD = "coordina-demo"
# email, name, locale, timezone, partner
PORTAL_USERS = [
    ("wei@merlion.example.com", "Tan Wei Ling", "en", "Asia/Singapore", "Merlion Distribution Pte Ltd"),
    ("minh@lotus.example.com", "Trần Văn Minh", "vi", "Asia/Ho_Chi_Minh", "Công ty TNHH Lotus Trading"),
]


# partner, company, country, website, contact, email, value, state (what the coordinator decided), days ago
REGISTRATIONS = [
    ("Công ty TNHH Lotus Trading", "Cà Phê Núi Xanh", "VN", "nuixanh.example", "Lê Văn Nam", "nam@nuixanh.example",
     "420000000", "submitted", 1),  # the demo's lead of the same name: the conflict check finds it
    ("Công ty TNHH Lotus Trading", "Khách sạn Sông Hàn", "VN", "songhan.example", "Phạm Thu Trang",
     "trang@songhan.example", "900000000", "approved", 20),
    ("Công ty TNHH Lotus Trading", "Nhà hàng Mekong Xanh", "KH", "mekongxanh.example", "Sok Dara",
     "dara@mekongxanh.example", "150000000", "rejected", 15),
    ("Công ty TNHH Lotus Trading", "Siêu thị Bến Thành", "VN", "benthanh.example", "Ngô Minh Tuấn",
     "tuan@benthanh.example", "300000000", "expired", 120),
    ("Merlion Distribution Pte Ltd", "Orchard Gourmet Pte Ltd", "SG", "orchardgourmet.example", "Lim Hui Min",
     "huimin@orchardgourmet.example", "48000", "submitted", 2),
    ("Merlion Distribution Pte Ltd", "Penang Spice Traders", "MY", "penangspice.example", "Aisyah Rahman",
     "aisyah@penangspice.example", "26500", "approved", 8),
]
# code, English, Italian, Vietnamese, unit, base price (EUR)
PRODUCTS = [
    ("BOOTH-9", "Trade fair booth, 9 m²", "Stand fieristico, 9 m²", "Gian hàng hội chợ, 9 m²", "booth", "4800.00"),
    ("ADV-FP", "Full-page advertisement", "Pagina pubblicitaria intera", "Quảng cáo trọn trang", "page", "2900.00"),
    ("ADV-HP", "Half-page advertisement", "Mezza pagina pubblicitaria", "Quảng cáo nửa trang", "page", "1650.00"),
    ("CAT-100", "Printed catalogues, 100 copies", "Cataloghi stampati, 100 copie", "Catalogue in, 100 cuốn",
     "box", "380.00"),
    ("BAN-W", "Web banner, one month", "Banner web, un mese", "Banner web, một tháng", "month", "750.00"),
]
# partner, {code: quantity}, how far it went
ORDERS = [
    ("Công ty TNHH Lotus Trading", {"BOOTH-9": 1, "CAT-100": 3}, "delivered"),
    ("Công ty TNHH Lotus Trading", {"ADV-HP": 2}, "shipped"),
    ("Công ty TNHH Lotus Trading", {"BAN-W": 3}, "submitted"),
    ("Merlion Distribution Pte Ltd", {"ADV-FP": 1, "BAN-W": 2}, "invoiced"),
    ("Merlion Distribution Pte Ltd", {"CAT-100": 5}, "confirmed"),
]
REJECTED_BECAUSE = "Nhà hàng này đã làm việc trực tiếp với đội ngũ bán hàng của chúng tôi từ năm ngoái."


def seed(tenant: Tenant) -> list[tuple[str, str, str]]:
    """The demo tenant's partners, once; answers the portal users' logins (email, role, where they land)."""
    if tenant.slug != "demo":
        return []
    logins = [(email, Role.distributor.value, f"/t/{tenant.slug}/portal") for email, *_rest in PORTAL_USERS]
    if db.session.scalar(select(func.count()).select_from(Distributor)):
        return logins
    if has_request_context():
        _seed(tenant)
    else:
        # Decisions mail the partners, and mail carries absolute links, which need a request.
        with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
            _seed(tenant)
    return logins


def _seed(tenant: Tenant) -> None:
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
    _registrations(tenant, partners, lan or giulia)
    _catalogue_and_orders(tenant, partners, silver, giulia or lan)
    _lead_offers(tenant, partners, lan or giulia)


def _lead_offers(tenant: Tenant, partners: dict[str, Distributor], coordinator: User | None) -> None:
    """A lead waiting for Lotus's answer, and one Merlion accepted."""
    from ..leads.models import Lead

    if coordinator is None:
        return
    for company, partner_name, accept in (("Công ty TNHH Sao Mai", "Công ty TNHH Lotus Trading", False),
                                          ("Brauerei Sonnenberg GmbH", "Merlion Distribution Pte Ltd", True)):
        lead = db.session.scalar(select(Lead).where(Lead.company == company))
        if lead is None:
            continue
        partner = db.session.get(Distributor, partners[partner_name].id)
        offer = offers.offer(lead, partner, tenant, note="Call before 10 am their time.", actor=coordinator)
        if accept:
            with partner_context(partner.id):
                offers.answer(offers.get(offer.id), tenant, accept=True, note=None, version=offer.version,
                              actor_id=None)


def _catalogue_and_orders(tenant: Tenant, partners: dict[str, Distributor], silver: Tier, staff: User | None) -> None:
    """The products, Silver's own price for the booth, and orders at several steps (placed by the partners)."""
    products = {}
    for code, en, it, vi, unit, price in PRODUCTS:
        products[code] = Product(code=code, names={"en": en, "it": it, "vi": vi}, unit=unit, base_price=Decimal(price),
                                 base_currency=tenant.base_currency)
        db.session.add(products[code])
    db.session.flush()
    db.session.add(TierPrice(tier_id=silver.id, product_id=products["BOOTH-9"].id, price=Decimal("4300.00")))
    db.session.commit()
    if staff is None:
        return
    steps = ["confirm", "ship", "deliver", "invoice"]
    reached = {"submitted": 0, "confirmed": 1, "shipped": 2, "delivered": 3, "invoiced": 4}
    for partner_name, quantities, state in ORDERS:
        partner = db.session.get(Distributor, partners[partner_name].id)
        with partner_context(partner.id):
            try:
                order = orders_service.place(partner, tenant, {products[c].id: q for c, q in quantities.items()},
                                             notes=None, actor_id=None)
            except orders_service.OrderError:
                db.session.rollback()
                continue  # no rate for the partner's currency in this demo: no orders for them
        for step in steps[:reached[state]]:
            order = orders_service.get(order.id)
            shipment = orders_service.Shipment(carrier="DHL Express", tracking=f"JD0146{order.id:04d}", incoterm="DAP",
                                               export_papers="EX-A 26IT000" + str(order.id)) if step == "ship" else None
            orders_service.advance(order, tenant, step, version=order.version, actor=staff, shipment=shipment,
                                   invoice_number=f"2026/{order.id:04d}" if step == "invoice" else None)


def _registrations(tenant: Tenant, partners: dict[str, Distributor], coordinator: User | None) -> None:
    """Registrations in every state, made the way people make them: the partner registers, staff decide."""
    if coordinator is None:
        return
    today = date.today()
    for partner_name, company, country, website, contact, email, value, state, days in REGISTRATIONS:
        partner = partners[partner_name]
        with partner_context(partner.id):
            reg = regs.register(partner, regs.RegistrationData(
                company=company, country=country, value=Money(Decimal(value), partner.currency), website=website,
                contact_name=contact, contact_email=email, expected_close=today + timedelta(days=60),
                products="Stand 12 m², catalogue page"), actor_id=None)
        reg = db.session.get(Registration, reg.id)
        if state in ("approved", "expired"):
            regs.approve(reg, tenant, days=90, version=reg.version, actor=coordinator,
                         today=today - timedelta(days=days))
        elif state == "rejected":
            regs.reject(reg, tenant, reason=REJECTED_BECAUSE, version=reg.version, actor=coordinator)
        if state == "expired":
            reg.status = "expired"
        reg.created_at = utcnow() - timedelta(days=days, hours=2)
        db.session.commit()
