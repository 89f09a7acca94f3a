"""The forecast: the coming quarters' likely signed value per rep, from open leads (weighed by their stage),
draft contracts (by when they start) and renewals due (by when they end), each weighed by the odds admins set,
converted into the base currency at today's rates (open items float) before adding; a snapshot of each
quarter's forecast as it began, to set beside what happened."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, literal, select
from sqlalchemy.exc import IntegrityError

from i18n.fx import Total, add_up
from i18n.money import Money
from tenants.db import db
from tenants.members import members_with_roles
from tenants.models import SELLERS, Tenant, User
from tenants.scoping import tenant_context

from ..contracts.models import OPEN_STATUSES as OPEN_CONTRACTS
from ..contracts.models import ContractMonthRollup, Status
from ..leads.models import LeadRollup
from ..rates.service import current_book
from .models import DEFAULT_ODDS, ODDS_KEYS, ForecastSnapshot, StageOdds
from .service import Period, parse_period

log = logging.getLogger(__name__)

OPEN_LEADS = ("new", "researching", "qualified", "handed_off")


def quarter_key(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def coming_quarters(today: date, count: int = 4) -> list[Period]:
    """This quarter and the ones after it."""
    quarters, day = [], today
    for _ in range(count):
        period = parse_period(quarter_key(day), today)
        quarters.append(period)
        day = period.end + timedelta(days=1)
    return quarters


def odds() -> dict[str, int]:
    """Each stage's percent: the tenant's own, else the default."""
    found = {stage: percent for stage, percent in db.session.execute(select(StageOdds.stage, StageOdds.percent))}
    return {key: found.get(key, DEFAULT_ODDS[key]) for key in ODDS_KEYS}


def set_odds(values: dict[str, int]) -> None:
    """Save the admin's percentages. Commits."""
    rows = {row.stage: row for row in db.session.scalars(select(StageOdds))}
    for key in ODDS_KEYS:
        row = rows.get(key)
        if row is None:
            db.session.add(StageOdds(stage=key, percent=values[key]))
        else:
            row.percent = values[key]
    db.session.commit()


@dataclass
class Cell:
    """One rep's (or the team's) forecast for one quarter, by source, in the base currency."""

    leads: list = field(default_factory=list)  # (currency, weighted amount)
    drafts: list = field(default_factory=list)
    renewals: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)  # source -> Total, and "all" -> Total

    def add(self, source: str, currency: str, amount: Decimal) -> None:
        getattr(self, source).append((currency, amount))

    def settle(self, base: str, today: date, book) -> None:
        for source in ("leads", "drafts", "renewals"):
            self.totals[source] = add_up(getattr(self, source), base, today, book=book)
        self.totals["all"] = add_up(self.leads + self.drafts + self.renewals, base, today, book=book)

    @property
    def total(self) -> Total:
        return self.totals["all"]


@dataclass
class Forecast:
    quarters: list[Period]
    currency: str
    reps: list[User]
    cells: dict  # (rep id or None for the team, quarter index) -> Cell
    odds: dict[str, int]

    def cell(self, rep_id: int | None, index: int) -> Cell:
        return self.cells[(rep_id, index)]


def month_key(day: date) -> str:
    """A day's month as contract_month_rollups keeps it: 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def _quarter_of(month, quarters: list[Period]):
    """The index of the quarter a month ('YYYY-MM') falls in, in SQL (0 for anything before the first)."""
    if len(quarters) == 1:
        return literal(0)
    return case(*[(month <= month_key(q.end), i) for i, q in enumerate(quarters[:-1])], else_=len(quarters) - 1)


def forecast(reps: list[User], base: str, today: date | None = None, *, count: int = 4) -> Forecast:
    """The coming quarters' forecast per rep and for the team: three grouped reads of the rollups the database
    keeps (migrations 0018 and 0025), a few rows per rep, month and currency whatever the number of leads and
    contracts."""
    today = today or date.today()
    quarters = coming_quarters(today, count)
    rep_ids = [r.id for r in reps]
    weights = odds()
    cells = {(rep, i): Cell() for rep in [*rep_ids, None] for i in range(len(quarters))}

    def weigh(amount, percent):
        return amount * percent / 100

    # Open leads close, if they close, this quarter: a lead carries no date of its own to place it later. A lead is
    # the rep's it was handed to, else its owner's (keys are 0 for nobody). Leads with no value add nothing.
    leads = LeadRollup
    lead_rep = case((leads.handed_key != 0, leads.handed_key), else_=leads.owner_key)
    for rep, stage, currency, amount in db.session.execute(
            select(lead_rep, leads.status, leads.currency, func.sum(leads.amount))
            .where(leads.status.in_(OPEN_LEADS), leads.currency != "", lead_rep.in_(rep_ids))
            .group_by(lead_rep, leads.status, leads.currency).having(func.sum(leads.amount) != 0)):
        for key in (rep, None):
            cells[(key, 0)].add("leads", currency, weigh(amount, weights[stage]))
    months = ContractMonthRollup
    starts = _quarter_of(months.starts_month, quarters)
    for rep, index, currency, amount in db.session.execute(
            select(months.owner_id, starts, months.currency, func.sum(months.amount))
            .where(months.status == Status.draft.value, months.starts_month <= month_key(quarters[-1].end),
                   months.owner_id.in_(rep_ids))
            .group_by(months.owner_id, starts, months.currency).having(func.sum(months.contracts) > 0)):
        for key in (rep, None):
            cells[(key, index)].add("drafts", currency, weigh(amount, weights["draft"]))
    ends = _quarter_of(months.ends_month, quarters)
    for rep, index, auto, currency, amount in db.session.execute(
            select(months.owner_id, ends, months.auto_renew, months.currency, func.sum(months.amount))
            .where(months.status.in_(OPEN_CONTRACTS), months.ends_month >= month_key(quarters[0].start),
                   months.ends_month <= month_key(quarters[-1].end), months.owner_id.in_(rep_ids))
            .group_by(months.owner_id, ends, months.auto_renew, months.currency)
            .having(func.sum(months.contracts) > 0)):
        for key in (rep, None):
            cells[(key, index)].add("renewals", currency, weigh(amount, weights["auto_renewal" if auto else "renewal"]))
    book = current_book()
    for cell in cells.values():
        cell.settle(base, today, book)
    return Forecast(quarters, base, sorted(reps, key=lambda r: r.name.casefold()), cells, weights)


# --- last quarter: the forecast as it began, beside what happened ------------------------------------------

def snapshots(quarter: str, rep_ids: list[int]) -> dict[int, ForecastSnapshot]:
    return {s.rep_id: s for s in db.session.scalars(select(ForecastSnapshot).where(
        ForecastSnapshot.quarter == quarter, ForecastSnapshot.rep_id.in_(rep_ids)))}


def take_snapshot(tenant: Tenant, today: date | None = None) -> int:
    """Keep this quarter's forecast for every seller, once per quarter (the first tick of it); returns rows made."""
    today = today or date.today()
    key = quarter_key(today)
    if db.session.scalar(select(ForecastSnapshot.id).where(ForecastSnapshot.quarter == key).limit(1)) is not None:
        return 0
    reps = [m.user for m in members_with_roles(tenant.id, SELLERS)]
    if not reps:
        return 0
    result = forecast(reps, tenant.base_currency, today, count=1)
    made = 0
    try:
        with db.session.begin_nested():
            for rep in reps:
                total = result.cell(rep.id, 0).total
                if total.amount is None:
                    log.warning("no rate for %s: %s's forecast for %s is not kept", total.problem, rep.id, key)
                    continue
                db.session.add(ForecastSnapshot(quarter=key, rep_id=rep.id, amount=total.amount.amount,
                                                currency=total.amount.currency))
                made += 1
            db.session.flush()
    except IntegrityError:
        return 0  # another machine's tick kept it first
    db.session.commit()
    return made


def snapshot_all(app) -> dict:
    """The tick job: each tenant's quarter snapshot, in its own tenant context."""
    made = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            made += take_snapshot(tenant)
    return {"kept": made}


@dataclass
class Looking:
    rep: User | None
    forecast: Money | None
    actual: Money | None

    @property
    def difference(self) -> Money | None:
        if self.forecast is None or self.actual is None or self.forecast.currency != self.actual.currency:
            return None
        return Money(self.actual.amount - self.forecast.amount, self.actual.currency)


def looking_back(report, kept: dict[int, ForecastSnapshot], base: str, today: date) -> list[Looking]:
    """Each rep's forecast for last quarter beside what was signed, and the team's (kept ones added up)."""
    rows, forecasts = [], []
    book = current_book()
    for line in report.lines:
        snap = kept.get(line.rep.id)
        money = None
        if snap is not None:
            money = add_up([(snap.currency, snap.amount)], base, today, book=book).amount
            forecasts.append((snap.currency, snap.amount))
        rows.append(Looking(line.rep, money, line.signed_total))
    team = Looking(None, add_up(forecasts, base, today, book=book).amount if forecasts else None,
                   report.team.signed_total)
    return [*rows, team]
