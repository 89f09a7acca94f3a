"""Sweep makers for events routes (see sweep_cases.py): argument name -> function(world) -> an id of acme's."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from tenants.db import db
from web.events.models import Event, EventCost


def _event(world):
    event = Event(name="Sweep Show", kind="trade_show", city="Milano", country="IT", timezone="Europe/Rome",
                  opens_on=date(2027, 1, 15), closes_on=date(2027, 1, 18), status="planned")
    db.session.add(event)
    db.session.commit()
    return event.id


def _cost(world):
    event_id = _event(world)
    cost = EventCost(event_id=event_id, category="travel", amount=Decimal(10), currency="EUR", incurred_on=date(2026, 10, 30),
                     base_amount=Decimal(10), base_currency="EUR", fx_rate=Decimal(1), fx_rate_date=date(2026, 10, 30),
                     fx_source="identity")
    db.session.add(cost)
    db.session.commit()
    return cost.id


MAKERS = {"event_id": _event, "cost_id": _cost}


def _task(world):
    from web.events.models import EventTask

    event_id = _event(world)
    task = EventTask(event_id=event_id, key="book_booth", offset_days=-120, due_on=date(2026, 9, 17))
    db.session.add(task)
    db.session.commit()
    return task.id


def _checklist_item(world):
    from web.events.models import ChecklistItem

    item = ChecklistItem(title="Sweep item", offset_days=-10, active=True)
    db.session.add(item)
    db.session.commit()
    return item.id


MAKERS.update({"task_id": _task, "item_id": _checklist_item})


def _shipment(world):
    from web.events.models import Shipment

    shipment = Shipment(event_id=_event(world), carrier="dhl", tracking_number="1234567890", transit_days=5,
                        ship_by=date(2027, 1, 9), destination_country="IT", language="it", status="prepared")
    db.session.add(shipment)
    db.session.commit()
    return shipment.id


def _packed(world):
    from web.events.models import ShipmentItem

    item = ShipmentItem(shipment_id=_shipment(world), kind="booth_part", description="Walls", quantity=4)
    db.session.add(item)
    db.session.commit()
    return item.id


MAKERS.update({"shipment_id": _shipment, "packed_id": _packed})


def _mailing(world):
    from web.events.models import Mailing

    mailing = Mailing(event_id=_event(world), kind="pre_show", status="draft", fallback_language="en")
    db.session.add(mailing)
    db.session.commit()
    return mailing.id


MAKERS["mailing_id"] = _mailing


def _captured(world):
    from web.events.models import EventLead
    from web.leads.models import Lead

    lead = Lead(company="Sweep Booth Visitor", company_key="sweep booth visitor", source="event", status="new")
    db.session.add(lead)
    db.session.flush()
    row = EventLead(event_id=_event(world), lead_id=lead.id, interest="warm")
    db.session.add(row)
    db.session.commit()
    return row.id


MAKERS["captured_id"] = _captured
