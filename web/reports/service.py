"""The team report: targets, and actuals per rep and period, every aggregate in SQL and every money total
converted per currency group before it adds (i18n.fx.add_up); manual figures and who supports whom."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, case, distinct, func, literal, select, type_coerce
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from i18n.fx import RateUnavailable, Total, add_up
from i18n.money import Amount, Money, rounded
from tenants import audit
from tenants.db import db
from tenants.models import Role, Tenant, User
from tenants.pager import Keyset, Page

from ..bonuses.service import Period, parse_period
from ..contracts.models import UNSIGNED, AccountFirstSignature, Contract, ContractRollup, ContractSignedRollup, Status
from ..leads.models import Handoff, Lead
from ..rates.service import current_book
from .models import ManualFigure, Support, Target

__all__ = ["Period", "parse_period", "team_report", "set_target", "set_support", "add_figure", "target_period"]

LOST = (Status.expired.value, Status.cancelled.value)


def target_period(text: str | None) -> str | None:
    """A target's period as typed: '2026-11' (a month) or '2026-Q4' (a quarter); anything else is None."""
    text = (text or "").strip().upper()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return text if 2000 <= int(m[1]) <= 2200 else None
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return text if 2000 <= int(m[1]) <= 2200 and 1 <= int(m[2]) <= 12 else None
    return None


def default_period(today: date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


# --- who sees whom ------------------------------------------------------------------------------------------

def supported_by(coordinator_id: int) -> set[int]:
    """The reps a coordinator supports."""
    return set(db.session.scalars(select(Support.rep_id).where(Support.coordinator_id == coordinator_id)))


def coordinator_of(rep_id: int) -> int | None:
    return db.session.scalar(select(Support.coordinator_id).where(Support.rep_id == rep_id))


def visible(people: list[User], role: Role, me: User) -> list[User]:
    """Whose numbers this reader may see: managers and admins the team, a coordinator the reps they support,
    a rep their own."""
    if role == Role.rep:
        return [p for p in people if p.id == me.id] or [me]
    if role == Role.coordinator:
        mine = supported_by(me.id)
        return [p for p in people if p.id in mine]
    return people


def set_support(rep_id: int, coordinator_id: int | None, *, actor_id: int | None) -> None:
    """Name (or clear) the coordinator who supports a rep. Commits."""
    row = db.session.scalar(select(Support).where(Support.rep_id == rep_id))
    before = row.coordinator_id if row else None
    if coordinator_id is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(Support(rep_id=rep_id, coordinator_id=coordinator_id))
    else:
        row.coordinator_id = coordinator_id
    if before != coordinator_id:
        audit.record("reports.support_set", actor_id=actor_id, subject_type="user", subject_id=rep_id,
                     details={"coordinator": [before, coordinator_id]})
    db.session.commit()


# --- targets ------------------------------------------------------------------------------------------------

TARGET_FIELDS = ("signed_amount", "currency", "renewals_kept", "new_accounts")


def set_target(tenant: Tenant, *, rep_id: int | None, period: str, signed: Decimal | None, renewals_kept: int | None,
               new_accounts: int | None, actor_id: int | None) -> Target:
    """Set a rep's (or the team's) target for a month or quarter, in the base currency; the change goes to the
    audit trail, which is the target's history. Commits."""
    def existing():
        return db.session.scalar(select(Target).where(
            Target.period == period, Target.rep_id.is_(None) if rep_id is None else Target.rep_id == rep_id))

    row = existing()
    if row is None:
        try:
            with db.session.begin_nested():
                row = Target(rep_id=rep_id, period=period, currency=tenant.base_currency)
                db.session.add(row)
                db.session.flush()
        except IntegrityError:
            row = existing()  # another manager saved it a moment ago: this save updates theirs
    tracked = audit.Tracked(row, TARGET_FIELDS)
    row.currency = tenant.base_currency
    row.signed_amount = None if signed is None else rounded(signed, tenant.base_currency)
    row.renewals_kept, row.new_accounts, row.updated_by_id = renewals_kept, new_accounts, actor_id
    db.session.flush()
    tracked.record("reports.target_set", actor_id=actor_id, subject_type="report_target", subject_id=row.id,
                   details={"rep": rep_id, "period": period})
    db.session.commit()
    return row


def targets_of(period: str) -> list[Target]:
    """Every target of one period, the team's first."""
    return list(db.session.scalars(select(Target).where(Target.period == period)
                                   .options(joinedload(Target.rep)).order_by(Target.rep_id.is_not(None), Target.id)))


def target_history(limit: int = 50) -> list:
    """The latest target changes, newest first (the audit trail's)."""
    return list(db.session.scalars(select(audit.AuditEvent).where(audit.AuditEvent.action == "reports.target_set")
                                   .options(joinedload(audit.AuditEvent.actor))
                                   .order_by(audit.AuditEvent.id.desc()).limit(limit)))


# --- manual figures -----------------------------------------------------------------------------------------

def add_figure(tenant: Tenant, *, rep_id: int, kind: str, day: date, value: Money | None, note: str,
               actor_id: int | None) -> ManualFigure:
    """Record a figure a rep reported from outside Coordina, with its note; a value is locked into the base
    currency at that day's rate, as a signed contract is. Raises RateUnavailable when there is no rate."""
    figure = ManualFigure(rep_id=rep_id, kind=kind, day=day, note=note, entered_by_id=actor_id)
    if value is not None:
        value = value.rounded()
        conversion = current_book().convert(value, tenant.base_currency, day)
        figure.amount, figure.currency = value.amount, value.currency
        figure.base_amount, figure.base_currency = conversion.amount.rounded().amount, tenant.base_currency
        figure.fx_rate, figure.fx_rate_date, figure.fx_source = conversion.rate, conversion.rate_date, conversion.source
    db.session.add(figure)
    db.session.flush()
    audit.record("reports.figure_added", actor_id=actor_id, subject_type="user", subject_id=rep_id,
                 details={"figure": kind, "value": str(value) if value else None, "note": note})
    db.session.commit()
    return figure


# --- actuals ------------------------------------------------------------------------------------------------

@dataclass
class CurrencyPart:
    """One original currency of a rep's signed value: as sold, and in the base currency."""

    currency: str
    original: Money
    count: int
    base: Total | None = None


@dataclass
class Line:
    rep: User | None  # None: the team
    signed: Total
    signed_count: int = 0
    renewals_won: int = 0
    renewals_lost: int = 0
    new_accounts: int = 0
    handed_off: int = 0
    converted: int = 0
    manual_signed: Total | None = None
    manual_renewals: int = 0
    manual_accounts: int = 0
    target: Target | None = None
    target_signed: Money | None = None
    target_renewals: int | None = None
    target_accounts: int | None = None
    by_currency: list[CurrencyPart] = field(default_factory=list)

    @property
    def manual(self) -> bool:
        return bool(self.manual_renewals or self.manual_accounts or (self.manual_signed and self.manual_signed.parts))

    @property
    def renewals_kept(self) -> int:
        return self.renewals_won + self.manual_renewals

    @property
    def accounts(self) -> int:
        return self.new_accounts + self.manual_accounts

    @property
    def signed_total(self) -> Money | None:
        """Contracts and manual figures together, in the base currency."""
        if self.signed.amount is None or (self.manual_signed and self.manual_signed.amount is None):
            return None
        extra = self.manual_signed.amount.amount if self.manual_signed else Decimal(0)
        return Money(self.signed.amount.amount + extra, self.signed.amount.currency)

    @property
    def signed_share(self) -> int | None:
        """Percent of the signed-value target reached."""
        total = self.signed_total
        if total is None or not self.target_signed or not self.target_signed.amount:
            return None
        return int(total.amount * 100 / self.target_signed.amount)


@dataclass
class Report:
    period: Period
    currency: str
    lines: list[Line]
    team: Line


def _bounds(period: Period, tz: str):
    """The period's days, and the same as instants for timestamps (end exclusive): its days begin and end in the
    tenant's timezone, so a hand-off at 00:30 in Rome on the 1st belongs to that month, not the one before."""
    if period.start is None:
        return None
    zone = ZoneInfo(tz)
    return (period.start, period.end, datetime.combine(period.start, time(), zone).astimezone(timezone.utc),
            datetime.combine(period.end + timedelta(days=1), time(), zone).astimezone(timezone.utc))


def _locked_parts(currency_col, amount_col, base_cur_col, base_amt_col, day_col, base: str):
    """SQL for (currency, day, amount) of a sum that converts per group: an amount locked in today's base
    currency adds as it is (day NULL); one not locked (no rate at signing, or the base changed since) keeps its
    own currency and converts at its own day's rate."""
    locked = and_(base_amt_col.is_not(None), base_cur_col == base)
    currency = case((locked, literal(base)), else_=currency_col)
    day = case((~locked, day_col), else_=literal(None, Date))
    amount = type_coerce(func.sum(case((locked, base_amt_col), else_=amount_col)), Amount())
    return currency, day, amount


def _signed_rows(bounds, rep_ids, base):
    """Per rep, currency and (unlocked) day: the value signed in the period, from the rollup the database keeps
    (migration 0025), a few rows per day whatever the number of contracts."""
    signed = ContractSignedRollup
    currency, day, amount = _locked_parts(signed.currency, signed.amount, signed.base_currency, signed.base_amount,
                                          signed.signed_on, base)
    stmt = (select(signed.owner_id, signed.currency, currency, day, amount,
                   type_coerce(func.sum(signed.amount), Amount()), func.sum(signed.contracts))
            .where(signed.status != Status.draft.value, signed.owner_id.in_(rep_ids))
            .group_by(signed.owner_id, signed.currency, currency, day).having(func.sum(signed.contracts) > 0))
    if bounds:
        stmt = stmt.where(signed.signed_on >= bounds[0], signed.signed_on <= bounds[1])
    else:
        stmt = stmt.where(signed.signed_on > UNSIGNED)
    return db.session.execute(stmt).all()


def _renewal_rows(bounds, rep_ids):
    """Per rep: contracts ending in the period that were renewed, and that expired or were cancelled (from
    contract_rollups, migration 0018)."""
    ending = ContractRollup
    stmt = (select(ending.owner_id,
                   func.sum(case((ending.status == Status.renewed.value, ending.contracts), else_=0)),
                   func.sum(case((ending.status.in_(LOST), ending.contracts), else_=0)))
            .where(ending.owner_id.in_(rep_ids), ending.status != Status.draft.value)
            .group_by(ending.owner_id))
    if bounds:
        stmt = stmt.where(ending.ends_on >= bounds[0], ending.ends_on <= bounds[1])
    return db.session.execute(stmt).all()


def _new_account_rows(bounds, rep_ids):
    """Accounts whose first signed contract is in the period: a new customer for each rep who signed a first
    contract (not a renewal) that day. The accounts are those whose first signing day (account_first_signatures,
    kept by the database: migration 0025) is in the period; their contracts of that day are one seek each."""
    first = AccountFirstSignature
    stmt = (select(Contract.owner_id, func.count(distinct(Contract.account_id)))
            .join(first, and_(first.account_id == Contract.account_id, first.signed_on == Contract.signed_on))
            .where(Contract.status != Status.draft.value, Contract.renewal_of_id.is_(None))
            # No filter on the owner: it would lead the planner through all of those reps' contracts instead of
            # the period's first signatures; a row per owner comes back, and the caller keeps the reps it shows.
            .group_by(Contract.owner_id))
    if bounds:
        stmt = stmt.where(first.signed_on >= bounds[0], first.signed_on <= bounds[1])
    return db.session.execute(stmt).all()


def _lead_rows(bounds, rep_ids):
    handed = select(Handoff.to_id, func.count()).where(Handoff.to_id.in_(rep_ids)).group_by(Handoff.to_id)
    rep = func.coalesce(Lead.handed_to_id, Lead.owner_id)
    converted = (select(rep, func.count()).where(Lead.converted_at.is_not(None), rep.in_(rep_ids)).group_by(rep))
    if bounds:
        handed = handed.where(Handoff.created_at >= bounds[2], Handoff.created_at < bounds[3])
        converted = converted.where(Lead.converted_at >= bounds[2], Lead.converted_at < bounds[3])
    return db.session.execute(handed).all(), db.session.execute(converted).all()


def _manual_rows(bounds, rep_ids, base):
    currency, day, amount = _locked_parts(ManualFigure.currency, ManualFigure.amount, ManualFigure.base_currency,
                                          ManualFigure.base_amount, ManualFigure.day, base)
    stmt = (select(ManualFigure.rep_id, ManualFigure.kind, currency, day, amount, func.count())
            .where(ManualFigure.rep_id.in_(rep_ids))
            .group_by(ManualFigure.rep_id, ManualFigure.kind, currency, day))
    if bounds:
        stmt = stmt.where(ManualFigure.day >= bounds[0], ManualFigure.day <= bounds[1])
    return db.session.execute(stmt).all()


def _target_keys(period: Period) -> list[str]:
    if re.fullmatch(r"\d{4}-Q[1-4]", period.key):
        year, q = int(period.key[:4]), int(period.key[-1])
        return [period.key] + [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    if re.fullmatch(r"\d{4}-\d{2}", period.key):
        return [period.key]
    if re.fullmatch(r"\d{4}", period.key):
        year = period.key
        return [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
    return []


def _apply_targets(lines: dict, team: Line, period: Period, base: str, today: date) -> None:
    """A period's target: the target set for it, else the sum of its months' (or a year's quarters')."""
    keys = _target_keys(period)
    if not keys:
        return
    rows = db.session.scalars(select(Target).where(Target.period.in_(keys))).all()
    by_owner: dict[int | None, list[Target]] = {}
    for row in rows:
        by_owner.setdefault(row.rep_id, []).append(row)
    for owner, targets in by_owner.items():
        line = team if owner is None else lines.get(owner)
        if line is None:
            continue
        exact = [t for t in targets if t.period == period.key]
        if not exact and len(period.key) == 4:  # a year: its quarters, else its months
            exact = [t for t in targets if "Q" in t.period] or targets
        chosen = exact or targets
        line.target = exact[0] if exact else None
        money = [(t.currency, t.signed_amount) for t in chosen if t.signed_amount is not None]
        if money:
            line.target_signed = add_up(money, base, today, book=current_book()).amount
        counts = [t.renewals_kept for t in chosen if t.renewals_kept is not None]
        line.target_renewals = sum(counts) if counts else None
        counts = [t.new_accounts for t in chosen if t.new_accounts is not None]
        line.target_accounts = sum(counts) if counts else None


def team_report(period: Period, reps: list[User], base: str, today: date | None = None, *, tz: str = "UTC") -> Report:
    """Every rep's actuals and targets for the period, and the team's: a fixed number of grouped queries
    whatever the number of contracts, money summed per currency in SQL and converted before adding."""
    today = today or date.today()
    book = current_book()
    rep_ids = [r.id for r in reps]
    bounds = _bounds(period, tz)
    signed_parts: dict[int, list] = {}
    originals: dict[int, dict[str, list]] = {}
    for owner, value_currency, currency, day, amount, original, count in _signed_rows(bounds, rep_ids, base):
        signed_parts.setdefault(owner, []).append((currency, amount, day, count))
        originals.setdefault(owner, {}).setdefault(value_currency, []).append((currency, amount, day, original, count))
    manual_parts: dict[int, list] = {}
    manual_counts: dict[tuple[int, str], int] = {}
    for rep_id, kind, currency, day, amount, count in _manual_rows(bounds, rep_ids, base):
        if kind == "signed_value" and amount is not None:
            manual_parts.setdefault(rep_id, []).append((currency, amount, day))
        manual_counts[(rep_id, kind)] = manual_counts.get((rep_id, kind), 0) + count
    lines: dict[int, Line] = {}
    for rep in reps:
        parts = signed_parts.get(rep.id, [])
        line = Line(rep, add_up([p[:3] for p in parts], base, today, book=book), sum(p[3] for p in parts))
        if rep.id in manual_parts or manual_counts.get((rep.id, "signed_value")):
            line.manual_signed = add_up(manual_parts.get(rep.id, []), base, today, book=book)
        line.manual_renewals = manual_counts.get((rep.id, "renewal_kept"), 0)
        line.manual_accounts = manual_counts.get((rep.id, "new_account"), 0)
        for value_currency, groups in sorted(originals.get(rep.id, {}).items()):
            line.by_currency.append(CurrencyPart(
                value_currency, Money(sum(g[3] for g in groups), value_currency), sum(g[4] for g in groups),
                add_up([g[:3] for g in groups], base, today, book=book)))
        lines[rep.id] = line
    for owner, won, lost in _renewal_rows(bounds, rep_ids):
        lines[owner].renewals_won, lines[owner].renewals_lost = int(won or 0), int(lost or 0)
    for owner, count in _new_account_rows(bounds, rep_ids):
        if owner in lines:
            lines[owner].new_accounts = count
    handed, converted = _lead_rows(bounds, rep_ids)
    for owner, count in handed:
        lines[owner].handed_off = count
    for owner, count in converted:
        lines[owner].converted = count
    everything = [p[:3] for parts in signed_parts.values() for p in parts]
    team = Line(None, add_up(everything, base, today, book=book), sum(line.signed_count for line in lines.values()))
    all_manual = [p for parts in manual_parts.values() for p in parts]
    if all_manual:
        team.manual_signed = add_up(all_manual, base, today, book=book)
    for attr in ("renewals_won", "renewals_lost", "new_accounts", "handed_off", "converted", "manual_renewals",
                 "manual_accounts"):
        setattr(team, attr, sum(getattr(line, attr) for line in lines.values()))
    _apply_targets(lines, team, period, base, today)
    ordered = sorted(lines.values(), key=lambda line: line.rep.name.casefold())
    return Report(period, base, ordered, team)


# --- drill-down -------------------------------------------------------------------------------------------

NEWEST_SIGNED = Keyset(Contract.signed_on.desc(), Contract.id.desc())


def signed_contracts(rep_id: int, period: Period, *, after: str | None = None, limit: int = 50) -> Page:
    """The rep's contracts signed in the period, newest first, in their own currency and as locked at signing."""
    stmt = (select(Contract).where(Contract.owner_id == rep_id, Contract.signed_on.is_not(None),
                                   Contract.status != Status.draft.value)
            .options(joinedload(Contract.account)))
    if period.start is not None:
        stmt = stmt.where(Contract.signed_on >= period.start, Contract.signed_on <= period.end)
    return NEWEST_SIGNED.page(stmt, after, limit=limit)


def figures(rep_id: int, period: Period) -> list[ManualFigure]:
    """The rep's manual figures in the period (few: typed by hand), with who entered them."""
    stmt = (select(ManualFigure).where(ManualFigure.rep_id == rep_id)
            .options(joinedload(ManualFigure.entered_by)).order_by(ManualFigure.day.desc(), ManualFigure.id.desc()))
    if period.start is not None:
        stmt = stmt.where(ManualFigure.day >= period.start, ManualFigure.day <= period.end)
    return list(db.session.scalars(stmt.limit(200)))


__all__ += ["RateUnavailable", "visible", "supported_by", "coordinator_of", "signed_contracts", "figures",
            "targets_of", "target_history", "default_period", "supports", "Money"]


def supports() -> list[Support]:
    """Who supports whom, by rep."""
    return list(db.session.scalars(select(Support).order_by(Support.rep_id)))
