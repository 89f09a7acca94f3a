"""The coordinator's compiled report for the manager: targets against actuals, the forecast, renewals at risk,
deliverables overdue, leads per coordinator and bonuses, in one reader's display currency; its CSV and PDF, and
the weekly mail to each manager who asks for it (once per ISO week, whatever the number of ticks or machines)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import render_template
from flask_babel import force_locale, format_number
from flask_babel import gettext as _
from sqlalchemy import Date, func, literal_column, select, union_all, update
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from i18n.fx import RateUnavailable
from i18n.money import Money
from tenants.db import db
from tenants.members import members_with_roles
from tenants.models import ADMINS, SELLERS, Role, Tenant, User
from tenants.pgcursor import custom_plan
from tenants.scoping import tenant_context

from ..bonuses import service as bonuses
from ..contracts.models import OPEN_STATUSES, Contract
from ..deliverables.models import Deliverable, DeliverableStatus
from ..leads.models import STATUS_LABELS as LEAD_STATUS_LABELS
from ..leads.models import LeadCoordinatorRollup
from ..links import public_url_for
from ..mail.service import send_email
from ..rates.service import current_book
from . import forecast, service
from .models import Subscription

log = logging.getLogger(__name__)

# Who may read the compiled report and ask for it by mail.
READERS = (*ADMINS, Role.manager, Role.coordinator)
AT_RISK_DAYS = 60  # a renewal is at risk from 60 days before its notice deadline until it is renewed
LISTED = 10  # rows shown per list: the rest is counted
# Counts stop at this many ("more than 200", as the deliverables list says): a workspace with thousands of renewals
# at risk reads two hundred of them, not all (issue 15).
COUNT_CAP = 200


@dataclass
class Display:
    """Base-currency figures as the reader reads them: converted at one rate, kept beside them."""

    base: str
    currency: str
    rate: object = None
    rate_date: date | None = None
    source: str | None = None
    problem: str | None = None

    def __call__(self, money: Money | None) -> Money | None:
        if money is None or self.currency == money.currency or self.rate is None:
            return money
        return Money(money.amount * self.rate, self.currency).rounded()

    @property
    def converted(self) -> bool:
        return self.currency != self.base and self.rate is not None


def display_for(base: str, wanted: str | None, today: date) -> Display:
    """The reader's display currency at today's rate, or the base currency when there is no rate for it."""
    if not wanted or wanted == base:
        return Display(base, base)
    try:
        rate, rate_date, source = current_book().rate(base, wanted, today)
    except RateUnavailable:
        return Display(base, base, problem=wanted)
    return Display(base, wanted, rate, rate_date, source)


def _deadline(contract):
    """A contract's notice deadline (its end less its notice days) in SQL, as ix_contracts_deadline holds it
    (migration 0025): on SQLite its expression, written the same so that the planner matches them; on PostgreSQL
    the stored column of it (row-level security would keep the expression, not leakproof, out of the index)."""
    if db.engine.dialect.name == "postgresql":
        return literal_column(f"{contract.__table__.name}.notice_deadline", Date)
    return func.date(contract.ends_on, func.printf(literal_column("'-%d days'"), contract.notice_days))


def _no_range(column):
    """`column` as SQLite's planner may neither range on nor order by from an index (a unary +): the renewals at risk
    are found by their deadline, which bounds what is read, where the end date (ix_contracts_status) would read
    every contract ending after today."""
    if db.engine.dialect.name == "postgresql":
        return column
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _capped(stmt) -> int:
    """How many rows `stmt` finds, counted up to COUNT_CAP + 1."""
    return db.session.scalar(select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery()))


def _counted(number: int) -> str:
    """A capped count as the reader reads it: the number, or "more than 200"."""
    if number > COUNT_CAP:
        return _("more than %(num)s", num=format_number(COUNT_CAP))
    return format_number(number)


@dataclass
class Compiled:
    period: service.Period
    report: service.Report
    forecast: forecast.Forecast
    at_risk: list
    at_risk_count: int
    overdue: list
    overdue_count: int
    leads_per_coordinator: list  # (User, {status: count}, total)
    bonuses: tuple
    display: Display
    today: date
    lead_statuses: list = field(default_factory=lambda: list(LEAD_STATUS_LABELS.items()))

    @property
    def at_risk_shown(self) -> str:
        return _counted(self.at_risk_count)

    @property
    def overdue_shown(self) -> str:
        return _counted(self.overdue_count)


def compile_report(tenant: Tenant, reader: User, period: service.Period, today: date | None = None) -> Compiled:
    """Everything the manager reads, for the team the reader may see; a fixed number of queries."""
    today = today or date.today()
    role = Role(next((m.role for m in members_with_roles(tenant.id, READERS) if m.user_id == reader.id), "rep"))
    sellers = [m.user for m in members_with_roles(tenant.id, SELLERS)]
    people = service.visible(sellers, role, reader)
    ids = [p.id for p in people]
    base = tenant.base_currency
    report = service.team_report(period, people, base, today, tz=tenant.timezone)
    ahead = forecast.forecast(people, base, today)
    horizon = today + timedelta(days=AT_RISK_DAYS)
    renewal = aliased(Contract)
    risky = select(Contract).where(Contract.status.in_(OPEN_STATUSES), Contract.owner_id.in_(ids),
                                   _deadline(Contract) <= horizon,
                                   ~select(renewal.id).where(renewal.renewal_of_id == Contract.id).exists())
    # Counted by deadline: the contracts at risk, and those whose end passed today (the tick expires them), are all
    # that range holds. Listed by end date when there are many (the first ones read are at risk), else among the
    # few the count found.
    ends = _no_range(Contract.ends_on)  # neither a range nor an order SQLite may take from an end-date index
    by_deadline = risky.where(ends >= today)
    at_risk_count = _capped(by_deadline.with_only_columns(Contract.id))
    if at_risk_count <= COUNT_CAP:
        listed = by_deadline.order_by(ends, Contract.id)
    else:
        listed = risky.where(Contract.ends_on >= today).order_by(Contract.ends_on, Contract.id)
    at_risk = db.session.scalars(listed.options(joinedload(Contract.account), joinedload(Contract.owner))
                                 .limit(LISTED)).all()
    overdue_count, overdue = _overdue(ids, today)
    coordinators = {m.user.id: m.user for m in members_with_roles(tenant.id, (Role.coordinator,))}
    per: dict[int, dict[str, int]] = {}
    brought = LeadCoordinatorRollup  # kept by the database (migration 0025): a few rows per coordinator
    for person, status, count in db.session.execute(
            select(brought.coordinator_key, brought.status, brought.leads)
            .where(brought.coordinator_key.in_(list(coordinators)), brought.leads > 0)):
        per.setdefault(person, {})[status] = count
    leads = sorted(((coordinators[p], counts, sum(counts.values())) for p, counts in per.items()),
                   key=lambda row: row[0].name.casefold())
    bonus = bonuses.totals(period, None, base) if role != Role.coordinator else bonuses.totals(period, reader.id, base)
    return Compiled(period, report, ahead, at_risk, at_risk_count, overdue, overdue_count, leads, bonus,
                    display_for(base, reader.display_currency, today), today)


def _overdue(ids: list[int], today: date) -> tuple[int, list]:
    """The reps' deliverables still to deliver whose day has passed: how many (up to COUNT_CAP + 1) and the LISTED
    oldest. Each open status is read from its own stretch of ix_deliverables_open, oldest first, so neither reads
    what was delivered or what is not due yet."""
    late = []
    for status in (DeliverableStatus.planned.value, DeliverableStatus.in_progress.value):
        late.append(select(Deliverable.id, Deliverable.due_on)
                    .join(Contract, Contract.id == Deliverable.contract_id)
                    .where(Deliverable.status == status, Deliverable.due_on < today, Contract.owner_id.in_(ids))
                    .order_by(Deliverable.due_on, Deliverable.id).limit(COUNT_CAP + 1).subquery())
    found = union_all(*(select(part.c.id, part.c.due_on) for part in late)).subquery()
    count = db.session.scalar(custom_plan(select(func.count()).select_from(found)))  # tenants.pgcursor.custom_plan
    oldest = select(found.c.id).order_by(found.c.due_on, found.c.id).limit(LISTED)
    listed = db.session.scalars(select(Deliverable).where(Deliverable.id.in_(oldest))
                                .options(joinedload(Deliverable.contract), joinedload(Deliverable.responsible))
                                .order_by(Deliverable.due_on, Deliverable.id)).all()
    return count, listed


def csv_rows(compiled: Compiled, gettext) -> list[list]:
    """The compiled report as rows of a spreadsheet: section, line, figure, target, currency."""
    shown = compiled.display
    rows = []

    def amount(money):
        money = shown(money)
        return (money.amount, money.currency) if money else ("", "")

    for line in [*compiled.report.lines, compiled.report.team]:
        name = line.rep.name if line.rep else gettext("The team")
        value, currency = amount(line.signed_total)
        target, _c = amount(line.target_signed)
        rows.append([gettext("Signed value"), name, value, target, currency])
        rows.append([gettext("Renewals kept"), name, line.renewals_kept, line.target_renewals, ""])
        rows.append([gettext("Renewals lost"), name, line.renewals_lost, "", ""])
        rows.append([gettext("New accounts"), name, line.accounts, line.target_accounts, ""])
        rows.append([gettext("Leads handed off"), name, line.handed_off, "", ""])
        rows.append([gettext("Leads converted"), name, line.converted, "", ""])
    for i, quarter in enumerate(compiled.forecast.quarters):
        value, currency = amount(compiled.forecast.cell(None, i).total.amount)
        rows.append([gettext("Forecast"), quarter.key, value, "", currency])
    for contract in compiled.at_risk:
        value, currency = amount(contract.base_value)
        rows.append([gettext("Renewals at risk"), f"{contract.number} {contract.account.name}", value,
                     contract.notice_deadline.isoformat(), currency])
    for item in compiled.overdue:
        rows.append([gettext("Deliverables overdue"), f"{item.contract.number} {item.details}", "",
                     item.due_on.isoformat(), ""])
    for person, _counts, total in compiled.leads_per_coordinator:
        rows.append([gettext("Leads per coordinator"), person.name, total, "", ""])
    per_person, grand = compiled.bonuses
    for entry in [*per_person, grand]:
        value, currency = amount(entry.amount)
        rows.append([gettext("Bonuses"), entry.coordinator.name if entry.coordinator else gettext("The team"),
                     value, "", currency])
    return rows


def pdf_bytes(compiled: Compiled, **ctx) -> bytes:
    """The compiled report as a PDF (WeasyPrint; DejaVu carries Vietnamese), in the current locale."""
    from weasyprint import HTML  # heavy: imported when a PDF is asked for, not at start-up

    html = render_template("reports/compiled_pdf.html", c=compiled, shown=compiled.display, **ctx)
    return HTML(string=html).write_pdf()


# --- the weekly mail -----------------------------------------------------------------------------------------

def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def subscribe(user_id: int, on: bool) -> None:
    """Ask for (or stop) the weekly mail. Commits."""
    row = db.session.scalar(select(Subscription).where(Subscription.user_id == user_id))
    if on and row is None:
        db.session.add(Subscription(user_id=user_id))
    elif not on and row is not None:
        db.session.delete(row)
    db.session.commit()


def subscribed(user_id: int) -> bool:
    return db.session.scalar(select(Subscription.id).where(Subscription.user_id == user_id)) is not None


def send_weekly(tenant: Tenant, today: date) -> int:
    """Mail this week's compiled report to each reader who asked, once: the week is claimed by a conditional
    update, so a second tick (or a second machine) finds it taken and sends nothing."""
    week = week_of(today)
    readers = {m.user_id: m.user for m in members_with_roles(tenant.id, READERS)}
    sent = 0
    for row in db.session.scalars(select(Subscription).where(
            (Subscription.last_week.is_(None)) | (Subscription.last_week != week))).all():
        reader = readers.get(row.user_id)
        if reader is None:
            continue  # no longer someone who reads it (role changed, removed): nothing goes out
        claimed = db.session.execute(
            update(Subscription).where(Subscription.id == row.id,
                                       (Subscription.last_week.is_(None)) | (Subscription.last_week != week))
            .values(last_week=week).execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            db.session.rollback()
            continue
        locale = reader.locale or tenant.default_locale
        with force_locale(locale):
            period = service.parse_period(forecast.quarter_key(today), today)
            compiled = compile_report(tenant, reader, period, today)
        send_email(reader.email, "weekly_report", locale, person=reader, tenant=tenant, c=compiled,
                   shown=compiled.display, link=public_url_for("reports.compiled_page", tenant=tenant.slug),
                   pdf_link=public_url_for("reports.compiled_pdf", tenant=tenant.slug))
        db.session.commit()  # the claim and the message together: neither without the other
        sent += 1
    return sent


def weekly_all(app) -> dict:
    """The tick job: each tenant's weekly mails, in its own tenant context."""
    sent = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            sent += send_weekly(tenant, date.today())
    return {"sent": sent}
