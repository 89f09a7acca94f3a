"""Demo collateral: brochures, kits and price lists in Italian, Vietnamese and English at three places, what the
finished show took and brought back, and one price list that must be reordered for Milan."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant

from ..events.models import Event, Shipment
from ..leads.demo import people
from . import reprints, service
from .models import CollateralItem

LOCATIONS = [("Sede di Vicenza", "office"), ("Magazzino Verona", "warehouse"), ("Auto di Marco", "car")]
# name, kind, language, version, reorder level, lead time, supplier, [(location index, quantity)]
ITEMS = [
    ("Brochure 2027", "brochure", "it", "2027", 300, 21, "Tipografia Berica", [(0, 1800), (2, 60)]),
    ("Brochure 2027", "brochure", "en", "2027", 300, 21, "Tipografia Berica", [(0, 900), (1, 400)]),
    ("Tài liệu giới thiệu 2027", "brochure", "vi", "2027", 200, 28, "In Sài Gòn", [(1, 650)]),
    ("Listino prezzi 2027", "price_list", "it", "v2", 100, 21, "Tipografia Berica", [(0, 140)]),
    ("Sales kit", "sales_kit", "en", "v3", 20, 30, "Studio Grafico Nord", [(0, 45)]),
    ("Shopper in cotone", "giveaway", "it", "2026", 150, 45, "Promo Veneto", [(1, 700)]),
]


def seed(tenant: Tenant) -> None:
    """The demo's collateral, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(CollateralItem)):
        return
    team = people()
    if "giulia" not in team:
        return
    actor = team["giulia"].id
    places = [service.add_location(name, kind, actor_id=actor) for name, kind in LOCATIONS]
    items = []
    for name, kind, language, version, level, lead, supplier, stock in ITEMS:
        item = service.create_item(service.ItemData(name=name, kind=kind, language=language, version=version,
                                                    reorder_level=level, lead_time_days=lead, supplier=supplier),
                                   actor_id=actor)
        for place, quantity in stock:
            service.receive(item, places[place], quantity, actor_id=actor, note="Inventario iniziale")
        items.append(item)
    events = {e.name: e for e in db.session.scalars(select(Event))}
    milan, frankfurt = events.get("HOMI Milano"), events.get("Ambiente Frankfurt")
    if frankfurt is not None:
        taken = service.take_to(frankfurt, items[1], places[0], 400, actor_id=actor)
        service.reconcile(taken, 250, 120, actor_id=actor, today=frankfurt.closes_on + timedelta(days=5))
    if milan is not None:
        by_dhl = db.session.scalar(select(Shipment.id).where(Shipment.event_id == milan.id, Shipment.direction == "out"))
        service.take_to(milan, items[0], places[0], 500, actor_id=actor, shipment_id=by_dhl)
        service.take_to(milan, items[5], places[1], 300, actor_id=actor, shipment_id=by_dhl)
        # 140 price lists, 80 to Milan: 60 left, below the level of 100; Milan's set-up minus 21 days is the order-by.
        service.take_to(milan, items[3], places[0], 80, actor_id=actor)
        # Its reprint has started: Marco, who takes it to Milan, is asked whether he wants changes.
        reprints.start(items[3], tenant, 1000, actor_id=actor)
    db.session.commit()


