"""Sweep makers for collateral routes (see sweep_cases.py): argument name -> function(world) -> an id of acme's."""
from __future__ import annotations

from tenants.db import db
from web.collateral.models import CollateralItem, EventCollateral, StockLocation

from .sweep_events import _event


def _item(world):
    _item.made = getattr(_item, "made", 0) + 1  # each call its own item (the name, language and version are unique)
    item = CollateralItem(name=f"Sweep brochure {_item.made}", kind="brochure", language="it", version="1", reorder_level=10,
                          lead_time_days=14, on_hand=0)
    db.session.add(item)
    db.session.commit()
    return item.id


def _taken(world):
    location = StockLocation(name="Sweep office", kind="office")
    db.session.add(location)
    db.session.flush()
    row = EventCollateral(event_id=_event(world), item_id=_item(world), location_id=location.id, shipped=10)
    db.session.add(row)
    db.session.commit()
    return row.id


MAKERS = {"collateral_id": _item, "taken_id": _taken}


def _reprint(world):
    from web.collateral.models import Reprint

    row = Reprint(item_id=_item(world), status="asking", quantity=1000)
    db.session.add(row)
    db.session.commit()
    return row.id


MAKERS["reprint_id"] = _reprint


def _need(world):
    from web.collateral.models import MailingCollateral

    from .sweep_events import _mailing

    row = MailingCollateral(mailing_id=_mailing(world), item_id=_item(world), quantity=5)
    db.session.add(row)
    db.session.commit()
    return row.id


MAKERS["need_id"] = _need
