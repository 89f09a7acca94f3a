"""Partner results for staff: registrations, approval rate, won value and orders in the base currency, by tier and
by country. Every figure is an SQL aggregate (a handful of grouped queries, whatever the data); amounts are
grouped by currency in SQL and converted before they are added (i18n.fx.add_up)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, select

from i18n import fx
from i18n.money import Money
from tenants.db import db
from tenants.models import Tenant

from ..contracts.models import Contract
from ..leads.models import Lead
from .models import Distributor, Order, Registration, Status, Tier

APPROVED = (Status.approved.value, Status.expired.value)


@dataclass
class Line:
    key: str | int | None  # a tier id, or a country code
    label: str
    registrations: int = 0
    approved: int = 0
    decided: int = 0
    won: fx.Total | None = None
    orders: int = 0
    ordered: fx.Total | None = None

    @property
    def approval_rate(self) -> Decimal | None:
        return None if not self.decided else Decimal(self.approved * 100) / self.decided


@dataclass
class Results:
    currency: str
    by_tier: list[Line] = field(default_factory=list)
    by_country: list[Line] = field(default_factory=list)


def _registration_counts(group):
    return (select(group, func.count(Registration.id),
                   func.sum(case((Registration.status.in_(APPROVED), 1), else_=0)),
                   func.sum(case((Registration.status != Status.submitted.value, 1), else_=0)))
            .join(Distributor, and_(Distributor.id == Registration.distributor_id,
                                    Distributor.tenant_id == Registration.tenant_id))
            .group_by(group))


def _won_by_tier():
    """Signed contracts credited to a partner, by the partner's tier, in the currency they were locked in. "Credited"
    is said outright: it reads the partner index, which holds the credited contracts only (migration 0023)."""
    return (select(Distributor.tier_id, Contract.base_currency, func.sum(Contract.base_amount))
            .select_from(Contract)
            .join(Distributor, and_(Distributor.id == Contract.distributor_id,
                                    Distributor.tenant_id == Contract.tenant_id))
            .where(Contract.signed_on.is_not(None), Contract.distributor_id.is_not(None))
            .group_by(Distributor.tier_id, Contract.base_currency))


def _won_by_country():
    """Signed contracts credited to a partner, by the country of the registration whose lead they came of."""
    return (select(Registration.country, Contract.base_currency, func.sum(Contract.base_amount))
            .select_from(Contract)
            .join(Lead, and_(Lead.contract_id == Contract.id, Lead.tenant_id == Contract.tenant_id))
            .join(Registration, and_(Registration.lead_id == Lead.id, Registration.tenant_id == Lead.tenant_id,
                                     Registration.distributor_id == Contract.distributor_id))
            .where(Contract.signed_on.is_not(None), Contract.distributor_id.is_not(None))
            .group_by(Registration.country, Contract.base_currency))


def results(tenant: Tenant, *, on: date | None = None, no_tier: str = "") -> Results:
    """The figures by tier and by country, totals converted to the tenant's base currency before adding."""
    on = on or date.today()
    base = tenant.base_currency
    tiers = {t.id: t.name for t in db.session.scalars(select(Tier).order_by(Tier.rank, Tier.name))}
    lines: dict = {tid: Line(tid, name) for tid, name in tiers.items()}

    def line(tid):
        if tid not in lines:
            lines[tid] = Line(tid, no_tier)
        return lines[tid]

    for tid, count, approved, decided in db.session.execute(_registration_counts(Distributor.tier_id)):
        found = line(tid)
        found.registrations, found.approved, found.decided = count, int(approved or 0), int(decided or 0)
    won_parts: dict = {}
    for tid, currency, amount in db.session.execute(_won_by_tier()):
        won_parts.setdefault(tid, []).append((currency, amount))
    order_parts: dict = {}
    for tid, currency, amount, count in db.session.execute(
            select(Distributor.tier_id, Order.base_currency, func.sum(Order.base_total), func.count(Order.id))
            .join(Distributor, and_(Distributor.id == Order.distributor_id, Distributor.tenant_id == Order.tenant_id))
            .group_by(Distributor.tier_id, Order.base_currency)):
        order_parts.setdefault(tid, []).append((currency, amount))
        line(tid).orders += count
    for tid, found in lines.items():
        found.won = fx.add_up(won_parts.get(tid, []), base, on)
        found.ordered = fx.add_up(order_parts.get(tid, []), base, on)
    out = Results(base, by_tier=list(lines.values()))

    countries: dict = {}
    for country, count, approved, decided in db.session.execute(_registration_counts(Registration.country)):
        countries[country] = Line(country, country, registrations=count, approved=int(approved or 0),
                                  decided=int(decided or 0))
    country_won: dict = {}
    for country, currency, amount in db.session.execute(_won_by_country()):
        country_won.setdefault(country, []).append((currency, amount))
    country_orders: dict = {}
    for country, currency, amount, count in db.session.execute(
            select(Order.country, Order.base_currency, func.sum(Order.base_total), func.count(Order.id))
            .group_by(Order.country, Order.base_currency)):
        country_orders.setdefault(country, []).append((currency, amount))
        found = countries.setdefault(country, Line(country, country))
        found.orders += count
    for country, found in countries.items():
        found.won = fx.add_up(country_won.get(country, []), base, on)
        found.ordered = fx.add_up(country_orders.get(country, []), base, on)
    out.by_country = sorted(countries.values(), key=lambda c: (-c.registrations, -c.orders, c.key or ""))
    return out


@dataclass
class Bar:
    label: str
    value: Money
    y: float
    width: float


@dataclass
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    left: float


def orders_chart(res: Results, *, width: int = 640, bar: int = 28, gap: int = 14) -> BarChart | None:
    """Orders in the base currency by tier, as horizontal bars; None when nothing was ordered."""
    values = [(line.label, line.ordered.amount) for line in res.by_tier
              if line.ordered is not None and line.ordered.amount is not None and line.ordered.amount.amount > 0]
    if not values:
        return None
    left, right = 140.0, 140.0
    top = max(v.amount for _label, v in values)
    bars = [Bar(label, value, gap + i * (bar + gap), float(value.amount / top) * (width - left - right))
            for i, (label, value) in enumerate(values)]
    return BarChart(width, gap + len(bars) * (bar + gap), bars, left)
