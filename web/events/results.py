"""Leads at the show and what the show brought: captured, qualified, contracts won (in the base currency), cost
per lead and return on the event's cost, all counted and summed in SQL."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from i18n.fx import Total, add_up
from i18n.money import Money
from tenants import audit
from tenants.db import db

from ..contracts.models import Contract
from ..leads import service as leads
from ..leads.models import Lead
from ..rates.service import current_book
from .models import QUALIFIED_STATUSES, Event, EventCost, EventLead


def capture(event: Event, data: leads.LeadData, interest: str, *, card_file_id: int | None,
            actor_id: int | None) -> Lead:
    """A lead met at the booth: new in the leads inbox, from an event, tagged with the show. Caller commits."""
    lead = leads.create_lead(data, actor_id=actor_id)
    db.session.add(EventLead(event_id=event.id, lead_id=lead.id, interest=interest, card_file_id=card_file_id,
                             captured_by_id=actor_id))
    db.session.flush()
    audit.record("event.lead_captured", actor_id=actor_id, subject_type="event", subject_id=event.id,
                 details={"company": lead.title, "interest": interest})
    return lead


def captured(event: Event, limit: int = 200) -> list:
    return list(db.session.execute(select(EventLead, Lead).join(Lead, Lead.id == EventLead.lead_id)
                                   .where(EventLead.event_id == event.id)
                                   .order_by(EventLead.id.desc()).limit(limit)).all())


def get_captured(event: Event, captured_id: int) -> EventLead | None:
    return db.session.scalar(select(EventLead).where(EventLead.event_id == event.id, EventLead.id == captured_id))


@dataclass
class Results:
    captured: int
    qualified: int
    won_count: int
    won: Total
    cost: Total
    per_lead: Money | None
    roi: Decimal | None  # (won - cost) / cost


def results(event: Event, to: str, on: date) -> Results:
    """The event's figures in `to`: every amount converted (at its locked rate, or its day's) before adding."""
    counts = db.session.execute(
        select(func.count(), func.count().filter(Lead.status.in_(QUALIFIED_STATUSES)))
        .select_from(EventLead).join(Lead, Lead.id == EventLead.lead_id).where(EventLead.event_id == event.id)).one()
    won_rows = db.session.execute(
        select(Contract.base_currency, func.sum(Contract.base_amount), func.count())
        .join(Lead, Lead.contract_id == Contract.id).join(EventLead, EventLead.lead_id == Lead.id)
        .where(EventLead.event_id == event.id, Contract.signed_on.is_not(None))
        .group_by(Contract.base_currency)).all()
    cost_rows = db.session.execute(select(EventCost.base_currency, func.sum(EventCost.base_amount))
                                   .where(EventCost.event_id == event.id).group_by(EventCost.base_currency)).all()
    book = current_book()
    won = add_up(((c, a) for c, a, _n in won_rows), to, on, book=book)
    cost = add_up(cost_rows, to, on, book=book)
    per_lead = roi = None
    if cost.amount is not None and counts[0]:
        per_lead = Money(cost.amount.amount / counts[0], to).rounded()
    if cost.amount is not None and won.amount is not None and cost.amount.amount:
        roi = ((won.amount.amount - cost.amount.amount) / cost.amount.amount).quantize(Decimal("0.0001"))
    return Results(captured=counts[0], qualified=counts[1], won_count=sum(n for _c, _a, n in won_rows), won=won,
                   cost=cost, per_lead=per_lead, roi=roi)
