"""Coordinator bonuses: the tenant's rule, one entry when a teed-up lead's first contract is signed,
and the ledger per coordinator and period with totals converted into the base currency before adding."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from i18n.fx import RateUnavailable, add_up
from i18n.money import Money, format_money, rounded
from tenants import audit
from tenants.db import db, utcnow
from tenants.models import Tenant, User
from tenants.pager import Keyset, Page
from tenants.scoping import current_tenant_id, tenant_context, unscoped

from ..contracts.models import Contract
from ..leads.models import BonusRule, Lead
from ..leads.service import settings, settings_if_any
from ..rates.service import current_book
from .models import BonusEntry

log = logging.getLogger(__name__)


def set_rule(tenant: Tenant, rule: str, *, amount: Decimal | None, percent: Decimal | None,
             actor_id: int | None) -> None:
    """Set the coordinator bonus rule: a fixed amount in the base currency, or a percentage. Commits."""
    row = settings()
    tracked = audit.Tracked(row, ("bonus_rule", "bonus_amount", "bonus_currency", "bonus_percent"))
    row.bonus_rule = rule
    if rule == BonusRule.fixed.value:
        row.bonus_amount, row.bonus_currency = rounded(amount, tenant.base_currency), tenant.base_currency
    else:
        row.bonus_amount = row.bonus_currency = None
    row.bonus_percent = percent if rule == BonusRule.percent.value else None
    if tracked.record("leads.settings_changed", actor_id=actor_id, subject_type="lead_settings", subject_id=row.id):
        row.bonus_rule_since = utcnow()
    db.session.commit()


# --- earning a bonus ----------------------------------------------------------------------------------


def _conversion_facts(contract: Contract, tenant: Tenant):
    """The contract's value in the base currency with the rate that made it: the one locked at signing."""
    if contract.base_amount is not None and contract.base_currency == tenant.base_currency:
        return contract.base_amount, contract.fx_rate, contract.fx_rate_date, contract.fx_source
    conversion = current_book().convert(contract.value, tenant.base_currency, contract.signed_on or date.today())
    return conversion.amount.amount, conversion.rate, conversion.rate_date, conversion.source


def credit(contract: Contract, *, actor_id: int | None = None) -> BonusEntry | None:
    """The bonus of the coordinator who teed up the lead behind this signed contract, once. Commits.

    Returns None when there is nothing to credit: no lead, nobody teed it up, no rule, or already credited.
    """
    lead = db.session.scalar(select(Lead).where(Lead.contract_id == contract.id))
    if lead is None or lead.teed_up_by_id is None or contract.signed_on is None:
        return None
    if db.session.scalar(select(BonusEntry.id).where(
            (BonusEntry.lead_id == lead.id) | (BonusEntry.contract_id == contract.id))) is not None:
        return None
    rule = settings_if_any()
    if rule is None or rule.bonus_rule == BonusRule.none.value:
        return None
    tenant = db.session.get(Tenant, contract.tenant_id)
    base = tenant.base_currency
    entry = BonusEntry(lead_id=lead.id, contract_id=contract.id, coordinator_id=lead.teed_up_by_id,
                       rule=rule.bonus_rule, contract_amount=contract.value_amount,
                       contract_currency=contract.value_currency, earned_on=contract.signed_on)
    if rule.bonus_rule == BonusRule.percent.value:
        try:
            base_value, rate, rate_date, source = _conversion_facts(contract, tenant)
        except RateUnavailable:
            log.warning("no rate to credit the bonus of lead %s; the tick job will try again", lead.id)
            return None
        entry.percent = rule.bonus_percent
        entry.amount, entry.currency = rounded(base_value * rule.bonus_percent / 100, base), base
        entry.fx_rate, entry.fx_rate_date, entry.fx_source = rate, rate_date, source
    else:
        amount = Money(rule.bonus_amount, rule.bonus_currency or base)
        if amount.currency != base:
            # The base currency changed since the rule was set: convert at the signing date's rate.
            try:
                conversion = current_book().convert(amount, base, contract.signed_on)
                amount = conversion.amount
                entry.fx_rate, entry.fx_rate_date, entry.fx_source = (conversion.rate, conversion.rate_date,
                                                                      conversion.source)
            except RateUnavailable:
                pass  # kept in the rule's currency; ledger totals convert before adding and say when they cannot
        entry.amount, entry.currency = amount.amount, amount.currency
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        return None  # credited meanwhile by another request or machine
    audit.record("lead.bonus_earned", actor_id=actor_id, subject_type="lead", subject_id=lead.id,
                 details={"coordinator": lead.teed_up_by_id, "bonus": str(entry.money),
                          "contract_value": str(entry.contract_value)})
    db.session.commit()
    return entry


def credit_on_signing(sender, contract: Contract, actor_id: int | None = None, **kwargs) -> None:
    """Receiver: a contract was signed and committed; credit its lead's coordinator."""
    tenant_id = current_tenant_id()
    try:
        if tenant_id is None:
            with unscoped():
                tenant_id = inspect(contract).attrs.tenant_id.value
        with tenant_context(tenant_id):
            credit(contract, actor_id=actor_id)
    except Exception:  # the signing is committed already; the tick job credits what this missed
        log.exception("crediting the bonus for contract %s failed", inspect(contract).identity)
        db.session.rollback()


def catch_up(tenant: Tenant) -> int:
    """Credit bonuses the signal missed (a crash, a missing rate): signed contracts of teed-up leads with none,
    signed since the rule took effect (a new rule never pays for the past)."""
    rule = settings_if_any()
    if rule is None or rule.bonus_rule == BonusRule.none.value or rule.bonus_rule_since is None:
        return 0
    credited = 0
    contracts = db.session.scalars(
        select(Contract).join(Lead, Lead.contract_id == Contract.id)
        .where(Contract.signed_on >= rule.bonus_rule_since.date(), Lead.teed_up_by_id.is_not(None),
               ~select(BonusEntry.id).where(BonusEntry.lead_id == Lead.id).exists())
        .limit(500)).all()
    for contract in contracts:
        if credit(contract) is not None:
            credited += 1
    return credited


# --- the ledger ------------------------------------------------------------------------------------------


@dataclass
class Period:
    key: str
    start: date | None
    end: date | None  # inclusive

    def previous(self) -> str | None:
        if self.start is None:
            return None
        return period_key(self.key, self.start - timedelta(days=1))

    def next(self) -> str | None:
        if self.end is None:
            return None
        return period_key(self.key, self.end + timedelta(days=1))


def period_key(like: str, day: date) -> str:
    if re.fullmatch(r"\d{4}-Q[1-4]", like):
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if re.fullmatch(r"\d{4}", like):
        return str(day.year)
    return f"{day.year}-{day.month:02d}"


def parse_period(value: str | None, today: date) -> Period:
    """'2026-11' (a month), '2026-Q4', '2026' or 'all'; anything else is this month."""
    value = (value or "").strip()
    if value == "all":
        return Period("all", None, None)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(m[1]), int(m[2])
        start = date(year, 3 * quarter - 2, 1)
        return Period(value, start, _month_end(date(year, 3 * quarter, 1)))
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        if 1900 < year < 3000:
            return Period(value, date(year, 1, 1), date(year, 12, 31))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12 and 1900 < year < 3000:
            start = date(year, month, 1)
            return Period(value, start, _month_end(start))
    start = today.replace(day=1)
    return Period(f"{today.year}-{today.month:02d}", start, _month_end(start))


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _in_period(stmt, period: Period, coordinator_id: int | None):
    if period.start is not None:
        stmt = stmt.where(BonusEntry.earned_on >= period.start, BonusEntry.earned_on <= period.end)
    if coordinator_id:
        stmt = stmt.where(BonusEntry.coordinator_id == coordinator_id)
    return stmt


NEWEST_FIRST = Keyset(BonusEntry.earned_on.desc(), BonusEntry.id.desc())


def entries(period: Period, coordinator_id: int | None, *, after: str | None = None, limit: int = 100) -> Page:
    """A keyset page of the period's entries, newest first, with lead, contract and coordinator loaded."""
    stmt = _in_period(select(BonusEntry), period, coordinator_id).options(
        joinedload(BonusEntry.lead), joinedload(BonusEntry.contract), joinedload(BonusEntry.coordinator))
    return NEWEST_FIRST.page(stmt, after, limit=limit)


@dataclass
class CoordinatorTotal:
    coordinator: User | None
    count: int
    amount: Money | None
    problem: str | None = None


def totals(period: Period, coordinator_id: int | None, base: str) -> tuple[list[CoordinatorTotal], CoordinatorTotal]:
    """Each coordinator's total and the grand total in the base currency; amounts kept in another currency
    (the base changed since) convert at the rate of the day they were earned, before adding."""
    rows = db.session.execute(_in_period(
        select(BonusEntry.coordinator_id, BonusEntry.currency, BonusEntry.earned_on, func.sum(BonusEntry.amount),
               func.count(BonusEntry.id)), period, coordinator_id)
        .group_by(BonusEntry.coordinator_id, BonusEntry.currency, BonusEntry.earned_on)).all()
    book = current_book()
    # Amounts kept in another currency (the base changed since) convert at the rate of the day they were earned.
    by_person: dict[int | None, list] = {}
    for person, currency, earned_on, amount, n in rows:
        by_person.setdefault(person, []).append((currency, amount, earned_on, n))
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([p for p in by_person if p])))}
    result = []
    for person, parts in by_person.items():
        total = add_up([(c, a, d) for c, a, d, _n in parts], base, date.today(), book=book)
        result.append(CoordinatorTotal(people.get(person), sum(n for *_x, n in parts), total.amount, total.problem))
    result.sort(key=lambda t: (t.coordinator.name if t.coordinator else "").casefold())
    everything = add_up([(c, a, d) for parts in by_person.values() for c, a, d, _n in parts], base, date.today(),
                        book=book)
    grand = CoordinatorTotal(None, sum(t.count for t in result), everything.amount, everything.problem)
    return result, grand


def rule_text(row) -> str:
    """The rule as a sentence, in the reader's language."""
    if row is None or row.bonus_rule == BonusRule.none.value:
        return str(_l("No bonus rule is set."))
    if row.bonus_rule == BonusRule.fixed.value:
        return str(_l("%(amount)s for each teed-up lead whose first contract is signed.",
                      amount=format_money(Money(row.bonus_amount, row.bonus_currency), get_locale())))
    return str(_l("%(percent)s%% of the first contract's value, in the base currency at the signing date's rate.",
                  percent=format_decimal(row.bonus_percent, format="#,##0.##")))


def catch_up_all() -> int:
    """The catch-up for every tenant in turn (the tick job), each inside its own tenant context."""
    credited = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            credited += catch_up(tenant)
            db.session.commit()
    return credited
