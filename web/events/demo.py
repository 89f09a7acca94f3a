"""Demo events: two upcoming shows abroad (Milan, Ho Chi Minh City) and one finished, with budgets in three currencies."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants.db import db
from tenants.models import Tenant

from ..leads import service as leads
from ..leads.demo import people
from . import checklist, mailing, results, service, shipping
from .models import Event

# name, kind, venue, city, country, timezone, opens in (days from today), days open, status, hall, booth, size, who
EVENTS = [
    ("HOMI Milano", "trade_show", "Fiera Milano Rho", "Milano", "IT", "Europe/Rome", 38, 4, "confirmed", "Pad. 14",
     "C22", "6 × 4 m", ("giulia", "marco")),
    ("Vietnam Expo", "trade_show", "SECC", "Thành phố Hồ Chí Minh", "VN", "Asia/Ho_Chi_Minh", 75, 3, "planned",
     "Hall A", "A-118", "3 × 3 m", ("lan", "marco")),
    ("Ambiente Frankfurt", "trade_show", "Messe Frankfurt", "Frankfurt am Main", "DE", "Europe/Berlin", -60, 5, "done",
     "Halle 11.0", "B41", "4 × 3 m", ("giulia", "marco")),
]
# event index, category, description, amount, currency, days after the event's opening day
COSTS = [
    (0, "booth_fee", "Stand 24 m²", "9800", "EUR", -120),
    (0, "travel", "Treni e hotel, 2 persone", "1450", "EUR", -20),
    (1, "booth_fee", "Booth package 9 m²", "4200", "USD", -100),
    (1, "shipping", "Sea freight, Genova → Cát Lái", "2650", "USD", -40),
    (2, "booth_fee", "Standmiete", "7600", "EUR", -150),
    (2, "giveaways", "Tote bags", "980", "GBP", -45),
    (2, "hospitality", "Abendessen mit Kunden", "1320", "EUR", 1),
]


def seed(tenant: Tenant) -> None:
    """The demo's events, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Event)):
        return
    team = people()
    if not {"giulia", "lan", "marco"} <= set(team):
        return
    today = date.today()
    events = []
    for (name, kind, venue, city, country, tz, opens_in, days, status, hall, booth, size, who) in EVENTS:
        opens = today + timedelta(days=opens_in)
        events.append(service.create_event(service.EventData(
            name=name, kind=kind, venue=venue, city=city, country=country, timezone=tz, setup_on=opens - timedelta(days=1),
            opens_on=opens, closes_on=opens + timedelta(days=days - 1), teardown_on=opens + timedelta(days=days),
            hall=hall, booth_number=booth, booth_size=size, status=status,
            attendee_ids=[team[k].id for k in who]), actor_id=team["giulia"].id))
    # The finished show's checklist was worked through; the next show's first steps are done too.
    for task in checklist.tasks_of(events[2]) + checklist.tasks_of(events[0])[:1]:
        checklist.tick(task, actor_id=team["giulia"].id)
    for index, category, description, amount, currency, offset in COSTS:
        event = events[index]
        # A cost is booked on its day, but never in the future (no rate is published for tomorrow).
        on = min(event.opens_on + timedelta(days=offset), today)
        try:
            service.add_cost(event, tenant, service.CostData(category=category, description=description,
                                                             amount=Money(Decimal(amount), currency), incurred_on=on),
                             actor_id=team["giulia"].id)
        except RateUnavailable:
            continue  # the demo still shows the event; the cost waits for a rate
    _shipments(events, team["giulia"].id)
    # Frankfurt brought three leads to the inbox, met at the booth.
    for name, company, email, interest in (
            ("Katrin Vogel", "Brauerei Sonnenberg GmbH", "k.vogel@sonnenberg-messe.example", "hot"),
            ("Lukas Huber", "Kaffeehaus Wien", "lukas.huber@kaffeehaus-messe.example", "warm"),
            ("Amelia Clarke", "Northwind Outdoor Ltd", "amelia.clarke@northwind-fair.example", "info")):
        results.capture(events[2], leads.LeadData(contact_name=name, company=company, email=email, source="event",
                                                  owner_id=team["marco"].id, tags=["ambiente frankfurt"]),
                        interest, card_file_id=None, actor_id=team["marco"].id)
    # The Milan invitation, written in three languages, waits to be sent to the customers' contacts.
    mailing.create(events[0], "pre_show", {
        "it": ("Vieni a trovarci a HOMI Milano", "Cari amici,\n\nvi aspettiamo al padiglione 14, stand C22."),
        "vi": ("Hẹn gặp bạn tại HOMI Milano", "Các bạn thân mến,\n\nhẹn gặp tại sảnh 14, gian C22."),
        "en": ("Meet us at HOMI Milano", "Dear friends,\n\ncome and see us in hall 14, booth C22."),
    }, "en", mailing.Audience(contacts=True, leads=False), actor_id=team["giulia"].id)
    db.session.commit()


# event index, direction, carrier, tracking number, transit days, language, status steps, items
SHIPMENTS = [
    (0, "out", "dhl", "4829301756", 5, "it", ("shipped", "in_transit"),
     [("booth_part", "Pareti, bancone e luci dello stand", 1)]),  # the brochures come from the inventory
    (1, "out", "dbschenker", "SGN20270118", 30, "vi", (),
     [("booth_part", "Booth 3 × 3 m", 1), ("collateral", "Tài liệu giới thiệu 2027 (VI)", 400)]),
    (2, "out", "ups", "1Z999AA10123456784", 4, "en", ("shipped", "in_transit", "delivered"),
     [("booth_part", "Standwände und Theke", 1), ("collateral", "Brochure 2027 (EN)", 400),
      ("giveaway", "Tote bags", 250)]),
    (2, "back", "ups", "1Z999AA10123456791", 4, "it", ("shipped", "in_transit", "delivered", "returned"),
     [("booth_part", "Standwände und Theke", 1), ("collateral", "Brochure 2027 (EN)", 120)]),
]


def _shipments(events, actor_id: int) -> None:
    for index, direction, carrier, number, transit, language, steps, items in SHIPMENTS:
        event = events[index]
        shipment = shipping.create(event, shipping.ShipmentData(
            direction=direction, carrier=carrier, tracking_number=number, transit_days=transit,
            destination_country=event.country if direction == "out" else "IT", language=language,
            ata_carnet_number="IT/2026/004417" if event.country not in ("IT", "DE") else None,
            ata_carnet_expires_on=event.closes_on + timedelta(days=365) if event.country not in ("IT", "DE") else None,
            declared_amount=Decimal("18500") if event.country not in ("IT", "DE") else None,
            declared_currency="EUR" if event.country not in ("IT", "DE") else None,
            incoterm="DAP" if event.country not in ("IT", "DE") else None), actor_id=actor_id)
        for kind, description, quantity in items:
            shipping.add_item(shipment, kind, description, quantity, actor_id=actor_id)
        for step in steps:
            shipping.move(shipment, step, actor_id=actor_id)
