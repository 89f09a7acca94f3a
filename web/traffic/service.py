"""Digital deliverables: saving a placement and its tracked link, counting clicks and impressions (one upsert per
hit, exact under concurrency), the figures of the reports, the site-visit import and the monthly report mail. The
link checker is checker.py."""
from __future__ import annotations

import csv
import io
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Date, String, and_, bindparam, case, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from i18n.locales import SUPPORTED_LOCALES
from tenants import audit
from tenants.db import EditConflict, db, utcnow
from tenants.models import Role, Tenant, User
from tenants.pager import Keyset, Page
from tenants.scoping import prebuilt, tenant_context

from ..accounts.models import Account, Contact
from ..contracts.models import Contract
from ..contracts.service import visible_to
from ..deliverables.models import Deliverable, DeliverableKind
from ..links import public_url_for
from ..mail.service import send_email
from .models import Placement, SiteVisit, TrafficDay, TrafficReport

log = logging.getLogger(__name__)

# The deliverable kinds that run on the web: a web banner, a sponsored link (an ad placement on a site).
DIGITAL_KINDS = ("web_banner", "ad_placement")
REPORT_BATCH = 200  # monthly reports queued per tick
PERIODS = (30, 90)


class TrafficError(ValueError):
    """Input that cannot be saved: the message says why, in the reader's language."""


def tenant_today(tz: str, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(tz)).date()


# --- placements -----------------------------------------------------------------------------------------------


def digital_deliverables(contract: Contract) -> list[Deliverable]:
    """The contract's deliverables of a digital kind (a web banner, a sponsored link)."""
    return list(db.session.scalars(
        select(Deliverable).join(DeliverableKind, DeliverableKind.id == Deliverable.kind_id)
        .where(Deliverable.contract_id == contract.id, DeliverableKind.key.in_(DIGITAL_KINDS))
        .order_by(Deliverable.due_on, Deliverable.id)))


@dataclass
class PlacementRow:
    placement: Placement
    details: str
    clicks: int = 0
    impressions: int = 0
    clicks_before: int = 0
    impressions_before: int = 0
    contract_number: str = ""
    account_name: str = ""
    contract_id: int = 0

    @property
    def change(self) -> int | None:
        """Clicks against the 30 days before, in percent; None when there were none before."""
        if not self.clicks_before:
            return None
        return round((self.clicks - self.clicks_before) * 100 / self.clicks_before)


def _window_days(today: date) -> tuple[date, date]:
    """The first day of the last 30 (today counted) and of the 30 before them."""
    start = today - timedelta(days=29)
    return start, start - timedelta(days=30)


def _windows(today: date, *, start=None, before=None, placements=None):
    """Each placement's clicks and impressions in the last 30 days and the 30 before, as a subquery (pid, clicks,
    impressions, clicks_before, impressions_before). `today`, `start` and `before` may be bound parameters (a
    statement built once); `placements`, a subquery of ids, narrows the sums to those placements."""
    if start is None:
        start, before = _window_days(today)
    recent = TrafficDay.day >= start
    earlier = and_(TrafficDay.day >= before, TrafficDay.day < start)
    stmt = (select(TrafficDay.placement_id.label("pid"),
                   func.coalesce(func.sum(case((recent, TrafficDay.clicks), else_=0)), 0).label("clicks"),
                   func.coalesce(func.sum(case((recent, TrafficDay.impressions), else_=0)), 0).label("impressions"),
                   func.coalesce(func.sum(case((earlier, TrafficDay.clicks), else_=0)), 0).label("clicks_before"),
                   func.coalesce(func.sum(case((earlier, TrafficDay.impressions), else_=0)), 0)
                   .label("impressions_before"))
            .where(TrafficDay.day >= before, TrafficDay.day <= today))
    if placements is not None:
        stmt = stmt.where(TrafficDay.placement_id.in_(placements))
    return stmt.group_by(TrafficDay.placement_id).subquery()


def placements_of(contract: Contract, today: date) -> list[PlacementRow]:
    """A contract's placements with their last 30 days: one query."""
    sums = _windows(today)
    stmt = (select(Placement, Deliverable.details, sums.c.clicks, sums.c.impressions, sums.c.clicks_before,
                   sums.c.impressions_before)
            .join(Deliverable, Deliverable.id == Placement.deliverable_id)
            .outerjoin(sums, sums.c.pid == Placement.id)
            .where(Placement.contract_id == contract.id).order_by(Placement.starts_on, Placement.id))
    return [PlacementRow(p, details, clicks or 0, impressions or 0, before or 0, impressions_before or 0)
            for p, details, clicks, impressions, before, impressions_before in db.session.execute(stmt)]


class PlacementShown(NamedTuple):
    """What a contract's page shows of a placement (and its tracked link's token), read as plain columns."""

    id: int
    deliverable_id: int
    landing_url: str
    starts_on: date
    ends_on: date | None
    placement: str | None
    token: str
    checked_at: datetime | None
    check_failures: int
    check_status: int | None
    check_error: str | None


_SHOWN = (Placement.id, Placement.deliverable_id, Placement.landing_url, Placement.starts_on, Placement.ends_on,
          Placement.placement, Placement.token, Placement.checked_at, Placement.check_failures, Placement.check_status,
          Placement.check_error)


@cache
def _panel_statement():
    """contract_panel_rows's statement, built once with its values as parameters (contract_id, start, before,
    today): building it anew took a third of the panel's time. Its sums read this contract's placements only."""
    start, before, today = (bindparam(name, type_=Date) for name in ("start", "before", "today"))
    sums = _windows(today, start=start, before=before,
                    placements=select(Placement.id).where(Placement.contract_id == bindparam("contract_id")))
    digital = DeliverableKind.key.in_(DIGITAL_KINDS)
    # prebuilt: its tenant-scoped copy is made once too, and the ORM's work on it skipped (tenants.scoping).
    return prebuilt(select(Deliverable.id, Deliverable.details, digital.label("digital"), *_SHOWN, sums.c.clicks,
                   sums.c.impressions, sums.c.clicks_before, sums.c.impressions_before)
            .select_from(Deliverable).join(DeliverableKind, DeliverableKind.id == Deliverable.kind_id)
            .outerjoin(Placement, and_(Placement.deliverable_id == Deliverable.id,
                                       Placement.contract_id == Deliverable.contract_id))
            .outerjoin(sums, sums.c.pid == Placement.id)
            .where(Deliverable.contract_id == bindparam("contract_id"), or_(digital, Placement.id.is_not(None)))
            .order_by(Placement.starts_on, Placement.id, Deliverable.due_on, Deliverable.id))


def contract_panel_rows(contract: Contract, today: date) -> tuple[list[tuple[int, str]], list[PlacementRow]]:
    """For a contract's page, in one statement of plain columns: its digital deliverables (id, details) and its
    placements with their last 30 days (the two reads of digital_deliverables and placements_of)."""
    start, before = _window_days(today)
    deliverables, rows = [], []
    for deliverable_id, details, is_digital, *shown, clicks, impressions, clicks_before, impressions_before \
            in db.session.execute(_panel_statement(), {"contract_id": contract.id, "start": start, "before": before,
                                                        "today": today}):
        if is_digital:
            deliverables.append((deliverable_id, details))
        if shown[0] is not None:
            rows.append(PlacementRow(PlacementShown(*shown), details, clicks or 0, impressions or 0,
                                     clicks_before or 0, impressions_before or 0))
    return deliverables, rows


def get_placement(placement_id: int, user: User, role: Role | None) -> tuple[Placement, Contract, Deliverable] | None:
    """A placement the reader may see (reps: of their own contracts), with its contract and deliverable."""
    rule = visible_to(user, role).whereclause
    stmt = (select(Placement, Contract, Deliverable).join(Contract, Contract.id == Placement.contract_id)
            .join(Deliverable, Deliverable.id == Placement.deliverable_id).where(Placement.id == placement_id))
    if rule is not None:
        stmt = stmt.where(rule)
    row = db.session.execute(stmt).first()
    return tuple(row) if row else None


def placement_of_deliverable(deliverable_id: int) -> Placement | None:
    return db.session.scalar(select(Placement).where(Placement.deliverable_id == deliverable_id))


def new_token() -> str:
    """The tracked link's secret: 96 random bits, URL-safe, 16 characters."""
    return secrets.token_urlsafe(12)


def save_placement(deliverable: Deliverable, *, landing_url: str, starts_on: date, ends_on: date | None,
                   where: str | None, actor_id: int | None, version: int | None = None) -> Placement:
    """Create the deliverable's placement with a new tracked link, or change it (its link stays). Flushes.

    A new landing URL is checked again at the next tick: its failures so far were another address's."""
    placement = placement_of_deliverable(deliverable.id)
    if placement is None:
        placement = Placement(deliverable_id=deliverable.id, contract_id=deliverable.contract_id, token=new_token(),
                              landing_url=landing_url, starts_on=starts_on, ends_on=ends_on, placement=where)
        db.session.add(placement)
        db.session.flush()
        audit.record("traffic.placement_added", actor_id=actor_id, subject_type="contract",
                     subject_id=deliverable.contract_id,
                     details={"landing_url": landing_url, "starts_on": starts_on.isoformat(),
                              "ends_on": ends_on.isoformat() if ends_on else None, "placement": where})
        return placement
    if version is not None and version != placement.version:
        raise EditConflict()
    changes = {}
    for name, value in (("landing_url", landing_url), ("starts_on", starts_on), ("ends_on", ends_on),
                        ("placement", where)):
        old = getattr(placement, name)
        if old != value:
            changes[name] = [_plain(old), _plain(value)]
            setattr(placement, name, value)
    if "landing_url" in changes:
        placement.check_failures = 0
        placement.checked_at = None
        placement.check_status = None
        placement.check_error = None
    if changes:
        db.session.flush()
        audit.record("traffic.placement_changed", actor_id=actor_id, subject_type="contract",
                     subject_id=deliverable.contract_id, details=changes)
    return placement


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


# --- counting: the public tracked link and pixel ------------------------------------------------------------


def count_hit(tenant: Tenant, token: str, *, click: bool) -> str | None:
    """Count a click (or an impression) of the placement behind `token` on the tenant's local day; its landing URL,
    or None for an unknown token. Two statements and a commit: a lookup by the unique token, then one upsert."""
    found = db.session.execute(select(Placement.id, Placement.landing_url).where(Placement.token == token)).first()
    if found is None:
        return None
    placement_id, landing_url = found
    table = TrafficDay.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    column = "clicks" if click else "impressions"
    stmt = insert(table).values(tenant_id=tenant.id, placement_id=placement_id, day=tenant_today(tenant.timezone),
                                clicks=1 if click else 0, impressions=0 if click else 1)
    # The counter adds one in the database: concurrent hits never read-modify-write, so none is lost.
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.tenant_id, table.c.placement_id, table.c.day],
                                      set_={column: table.c[column] + 1})
    db.session.execute(stmt)
    db.session.commit()
    return landing_url


# --- the figures --------------------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    clicks: int = 0
    impressions: int = 0
    visits: int | None = None


@dataclass
class Series:
    start: date
    end: date
    days: list[Day] = field(default_factory=list)

    @property
    def clicks(self) -> int:
        return sum(d.clicks for d in self.days)

    @property
    def impressions(self) -> int:
        return sum(d.impressions for d in self.days)

    @property
    def visits(self) -> int | None:
        known = [d.visits for d in self.days if d.visits is not None]
        return sum(known) if known else None


def series(*, placement_id: int | None = None, contract_id: int | None = None, days: int, today: date,
           with_visits: bool = True) -> Series:
    """Clicks and impressions per day (every day, zeros included) of a placement or a whole contract, and the
    company's own site visits per day beside them: two grouped queries."""
    start = today - timedelta(days=days - 1)
    stmt = (select(TrafficDay.day, func.sum(TrafficDay.clicks), func.sum(TrafficDay.impressions))
            .where(TrafficDay.day >= start, TrafficDay.day <= today).group_by(TrafficDay.day))
    if placement_id is not None:
        stmt = stmt.where(TrafficDay.placement_id == placement_id)
    else:
        stmt = stmt.where(TrafficDay.placement_id.in_(select(Placement.id).where(Placement.contract_id == contract_id)))
    counted = {day: (int(c or 0), int(i or 0)) for day, c, i in db.session.execute(stmt)}
    visits = {}
    if with_visits:
        visits = {day: int(v or 0) for day, v in db.session.execute(
            select(SiteVisit.day, func.sum(SiteVisit.visits)).where(SiteVisit.day >= start, SiteVisit.day <= today)
            .group_by(SiteVisit.day))}
    out = Series(start, today)
    for n in range(days):
        day = start + timedelta(days=n)
        clicks, impressions = counted.get(day, (0, 0))
        out.days.append(Day(day, clicks, impressions, visits.get(day)))
    return out


def csv_of(data: Series, headers: list[str]) -> str:
    """The series as CSV: date, clicks, impressions, site visits."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for d in data.days:
        writer.writerow([d.day.isoformat(), d.clicks, d.impressions, "" if d.visits is None else d.visits])
    return out.getvalue()


# The rep's view: their contracts' placements, newest start first, a page at a time.
OVERVIEW = Keyset(Placement.starts_on.desc(), Placement.id.desc(),
                  values=lambda row: (row[0].starts_on, row[0].id))


def overview(user: User, role: Role | None, today: date, after: str | None, limit: int = 50) -> tuple[Page, list]:
    """The placements of the contracts the reader sees, with their last 30 days against the 30 before: one
    query whatever the number of placements and days."""
    sums = _windows(today)
    stmt = (select(Placement, Deliverable.details, Contract.number, Account.name, sums.c.clicks,
                   sums.c.impressions, sums.c.clicks_before, sums.c.impressions_before)
            .join(Contract, Contract.id == Placement.contract_id)
            .join(Account, Account.id == Contract.account_id)
            .join(Deliverable, Deliverable.id == Placement.deliverable_id)
            .outerjoin(sums, sums.c.pid == Placement.id))
    rule = visible_to(user, role).whereclause
    if rule is not None:
        stmt = stmt.where(rule)
    page = OVERVIEW.page(stmt, after, limit=limit, scalars=False)
    rows = [PlacementRow(p, details, clicks or 0, impressions or 0, before or 0, impressions_before or 0,
                         number, account, p.contract_id)
            for p, details, number, account, clicks, impressions, before, impressions_before in page.rows]
    return page, rows


# --- the company's own site visits --------------------------------------------------------------------------


@dataclass
class ImportResult:
    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


MAX_ROWS = 20000


def import_site_visits(text: str, *, actor_id: int | None) -> ImportResult:
    """Read date,page,visits lines; any bad line refuses the whole file (its line numbers said), nothing saved.
    Importing the same file again changes nothing: a (day, page) is replaced, never added twice. Flushes."""
    result = ImportResult()
    rows: dict[tuple[date, str], int] = {}
    reader = csv.reader(io.StringIO(text))
    for number, line in enumerate(reader, start=1):
        if not line or not any(cell.strip() for cell in line):
            continue
        cells = [cell.strip() for cell in line]
        if number == 1 and cells[0].lower() in ("date", "data", "ngày", "day"):
            continue  # a header line
        if len(cells) != 3:
            result.errors.append((number, _("Give three columns: date, page, visits.")))
            continue
        raw_day, page, raw_visits = cells
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            result.errors.append((number, _("“%(text)s” is not a date (YYYY-MM-DD).", text=raw_day)))
            continue
        if not page or len(page) > 500 or "\x00" in page:
            result.errors.append((number, _("Give the page (at most 500 characters).")))
            continue
        if not (raw_visits.isascii() and raw_visits.isdigit()) or int(raw_visits) > 2_000_000_000:
            result.errors.append((number, _("“%(text)s” is not a number of visits (a whole number, 0 or more).",
                                            text=raw_visits)))
            continue
        rows[(day, page)] = int(raw_visits)
        if len(rows) > MAX_ROWS:
            result.errors.append((number, _("The file has more than %(count)d lines: split it.", count=MAX_ROWS)))
            break
    if result.errors:
        return result
    if not rows:
        result.errors.append((1, _("The file has no lines to import.")))
        return result
    days = {day for day, _page in rows}
    existing = {(v.day, v.page): v for v in db.session.scalars(
        select(SiteVisit).where(SiteVisit.day >= min(days), SiteVisit.day <= max(days)))}
    for (day, page), visits in rows.items():
        row = existing.get((day, page))
        if row is None:
            db.session.add(SiteVisit(day=day, page=page, visits=visits))
        else:
            row.visits = visits
        result.saved += 1
    db.session.flush()
    audit.record("traffic.site_visits_imported", actor_id=actor_id, subject_type="site_visits",
                 details={"lines": result.saved, "from": min(days).isoformat(), "to": max(days).isoformat()})
    return result


def site_visit_months(limit: int = 24) -> list[tuple[str, int, int]]:
    """(month "2026-10", days with figures, visits) of the months imported, newest first."""
    month = func.substr(func.cast(SiteVisit.day, String), 1, 7)
    return [(m, int(n), int(v or 0)) for m, n, v in db.session.execute(
        select(month, func.count(func.distinct(SiteVisit.day)), func.sum(SiteVisit.visits))
        .group_by(month).order_by(month.desc()).limit(limit))]


# --- the monthly report -------------------------------------------------------------------------------------


def previous_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def client_contact(account_id: int) -> Contact | None:
    """Who receives the client's traffic report: the account's first contact with an email address."""
    return db.session.scalar(select(Contact).where(Contact.account_id == account_id, Contact.email.is_not(None),
                                                   Contact.email != "").order_by(Contact.id).limit(1))


def send_reports(tenant: Tenant, today: date, limit: int = REPORT_BATCH) -> int:
    """From the 1st of a month: each contract whose placements ran in the month before gets its report, once."""
    first, last = previous_month(today)
    month = first.strftime("%Y-%m")
    sent_already = select(TrafficReport.contract_id).where(TrafficReport.month == month)
    contract_ids = list(db.session.scalars(
        select(Placement.contract_id).where(Placement.starts_on <= last,
                                            or_(Placement.ends_on.is_(None), Placement.ends_on >= first),
                                            Placement.contract_id.not_in(sent_already))
        .distinct().order_by(Placement.contract_id).limit(limit)))
    if not contract_ids:
        return 0
    sums = {pid: (int(c or 0), int(i or 0)) for pid, c, i in db.session.execute(
        select(TrafficDay.placement_id, func.sum(TrafficDay.clicks), func.sum(TrafficDay.impressions))
        .join(Placement, Placement.id == TrafficDay.placement_id)
        .where(Placement.contract_id.in_(contract_ids), TrafficDay.day >= first, TrafficDay.day <= last)
        .group_by(TrafficDay.placement_id))}
    pending = []
    for contract_id in contract_ids:
        contract = db.session.get(Contract, contract_id)
        account = db.session.get(Account, contract.account_id)
        contact = client_contact(contract.account_id)
        rows = []
        for placement, details in db.session.execute(
                select(Placement, Deliverable.details).join(Deliverable, Deliverable.id == Placement.deliverable_id)
                .where(Placement.contract_id == contract_id).order_by(Placement.starts_on, Placement.id)):
            clicks, impressions = sums.get(placement.id, (0, 0))
            rows.append({"details": details, "where": placement.placement, "clicks": clicks,
                         "impressions": impressions})
        locale = contact.language if contact and contact.language in SUPPORTED_LOCALES else tenant.default_locale
        pending.append(dict(contract_id=contract_id, to=contact.email if contact else None,
                            name=contact.name if contact else None, locale=locale, rows=rows,
                            number=contract.number, account=account.name,
                            clicks=sum(r["clicks"] for r in rows), impressions=sum(r["impressions"] for r in rows)))
    sent = 0
    for item in pending:
        try:
            with db.session.begin_nested():
                db.session.add(TrafficReport(contract_id=item["contract_id"], month=month, to_email=item["to"]))
                db.session.flush()
        except IntegrityError:
            continue  # another machine's tick took it
        if item["to"]:
            send_email(item["to"], "traffic_report", item["locale"], tenant=tenant, name=item["name"],
                       month=first, rows=item["rows"], clicks=item["clicks"], impressions=item["impressions"],
                       number=item["number"], account=item["account"])
            sent += 1
        db.session.commit()
    return sent


def send_all_reports(app) -> dict:
    """The tick job: every tenant's monthly traffic reports, each in its own tenant context."""
    sent = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            sent += send_reports(tenant, tenant_today(tenant.timezone))
    return {"sent": sent}


def tracked_url(tenant_slug: str, placement: Placement) -> str:
    return public_url_for("traffic.go", tenant=tenant_slug, token=placement.token)


def pixel_url(tenant_slug: str, placement: Placement) -> str:
    return public_url_for("traffic.pixel", tenant=tenant_slug, token=placement.token)
