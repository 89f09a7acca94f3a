"""Deliverables: the kinds, what each contract promised, changing them without overwriting, and what is due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import and_, bindparam, case, func, not_, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from i18n.text import slug
from tenants import audit, reference
from tenants.db import check_version, commit, db
from tenants.models import Role, User
from tenants.pager import Keyset, Page
from tenants.scoping import built_once
from tenants.shapes import rule_of

from ..accounts.models import Account
from ..contracts.models import Contract, Status
from ..contracts.service import visible_to
from ..files.models import StoredFile
from ..row_cache import Named, named
from .models import BUILTIN_KINDS, OPEN, Deliverable, DeliverableKind, DeliverableStatus, kind_label

# --- kinds ------------------------------------------------------------------------------------------------


def kinds(*, include_inactive: bool = False) -> list[DeliverableKind]:
    """The tenant's deliverable kinds; the six built-in ones are added (and kept) the first time. Reference data
    (tenants.reference): objects in no session, which no one may change (toggle_kind loads its own)."""
    stmt = built_once(lambda: select(DeliverableKind).order_by(DeliverableKind.position, DeliverableKind.id))
    rows = reference.kept("deliverable_kinds", read := lambda session: tuple(session.scalars(stmt)))
    if not rows:
        _seed_builtin_kinds()  # commits: a new stamp, so the kinds are read again
        rows = reference.kept("deliverable_kinds", read)
    return list(rows) if include_inactive else [k for k in rows if k.active]


reference.watch(DeliverableKind)


def _seed_builtin_kinds() -> None:
    """Make the six built-in kinds and commit them at once, even from a page that only shows them.

    Left to the request's end they were rolled back with a GET, and on PostgreSQL (whose sequences do not roll
    back) the next request made them again under new ids: the kind a new workspace picked on the contract page
    no longer existed when the form came back, so its first deliverable could never be added. The views call
    kinds() before they change anything, so nothing else is committed with them.
    """
    try:
        with db.session.begin_nested():
            db.session.add_all([DeliverableKind(key=key, position=i) for i, key in enumerate(BUILTIN_KINDS)])
    except IntegrityError:
        return  # another request made them a moment ago (and committed them)
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False  # what the page has loaded stays loaded
    try:
        commit()
    finally:
        session.expire_on_commit = keep


def kind_names(ids: set[int]) -> dict[int, str]:
    """Deliverable kinds' names by id in the reader's language, for history lines (one query)."""
    return {k.id: kind_label(k) for k in db.session.scalars(select(DeliverableKind).where(DeliverableKind.id.in_(ids)))}


def kind_by_key(key: str) -> DeliverableKind:
    for kind in kinds(include_inactive=True):
        if kind.key == key:
            return kind
    raise LookupError(key)


def add_kind(name: str, *, actor_id: int | None) -> DeliverableKind:
    """A kind of the tenant's own, keyed from its name. Commits."""
    existing = kinds(include_inactive=True)
    base = slug(name, separator="_")
    key, n = f"custom_{base or 'kind'}", 2
    keys = {k.key for k in existing}
    while key in keys:
        key, n = f"custom_{base or 'kind'}_{n}", n + 1
    kind = DeliverableKind(key=key[:40], name=name, position=len(existing))
    db.session.add(kind)
    db.session.flush()
    audit.record("contracts.kind_added", actor_id=actor_id, subject_type="deliverable_kind", subject_id=kind.id,
                 details={"name": name})
    db.session.commit()
    return kind


def toggle_kind(kind_id: int, *, actor_id: int | None) -> bool:
    kind = db.session.get(DeliverableKind, kind_id)
    if kind is None:
        return False
    kind.active = not kind.active
    audit.record("contracts.kind_toggled", actor_id=actor_id, subject_type="deliverable_kind", subject_id=kind.id,
                 details={"active": kind.active})
    db.session.commit()
    return True


# --- a contract's deliverables ------------------------------------------------------------------------------


def add_deliverable(contract: Contract, *, kind: DeliverableKind, details: str, due_on: date,
                    responsible_id: int | None = None, department: str | None = None,
                    value_share: Decimal | None = None, status: str = DeliverableStatus.planned.value,
                    actor_id: int | None = None) -> Deliverable:
    """A new deliverable on the contract; the caller commits."""
    deliverable = Deliverable(contract_id=contract.id, kind_id=kind.id, details=details, due_on=due_on,
                              responsible_id=responsible_id, department=department, value_share=value_share,
                              status=status)
    db.session.add(deliverable)
    db.session.flush()
    audit.record("deliverable.added", actor_id=actor_id, subject_type="contract", subject_id=contract.id,
                 details={"deliverable": deliverable.id, "details": details, "due_on": due_on.isoformat()})
    return deliverable


def get_deliverable(contract: Contract, deliverable_id: int) -> Deliverable | None:
    """One of the contract's deliverables with its kind, responsible person and proof joined (one statement; after
    a commit, the same call reloads it in one)."""
    return db.session.scalar(
        select(Deliverable).where(Deliverable.id == deliverable_id, Deliverable.contract_id == contract.id)
        .options(joinedload(Deliverable.kind), joinedload(Deliverable.responsible), joinedload(Deliverable.proof_file))
    )


def rows_of(contract: Contract) -> list[ListRow]:
    """A contract's deliverables as its page's rows show them (the list's plain columns, one statement, built once)."""
    stmt = built_once(lambda: _with_list_columns(
        select(Deliverable).join(Deliverable.contract).where(Deliverable.contract_id == bindparam("contract_id")))
        .order_by(Deliverable.due_on, Deliverable.id))
    return [ListRow._make(row) for row in db.session.execute(stmt, {"contract_id": contract.id})]


def deliverables_of(contract: Contract) -> list[Deliverable]:
    """A contract's deliverables, by due date (a renewal copies them)."""
    return list(db.session.scalars(select(Deliverable).where(Deliverable.contract_id == contract.id)
                                   .order_by(Deliverable.due_on, Deliverable.id)))


DELIVERABLE_FIELDS = ("kind_id", "details", "due_on", "responsible_id", "department", "value_share", "status",
                      "proof_url")


def update_deliverable(deliverable: Deliverable, *, version: int | None, actor_id: int | None, **values) -> dict:
    """Change a deliverable made on `version`; EditConflict if someone saved in between. Commits."""
    check_version(deliverable, version)
    tracked = audit.Tracked(deliverable, DELIVERABLE_FIELDS)
    for field, value in values.items():
        if field in DELIVERABLE_FIELDS or field == "proof_file_id":
            setattr(deliverable, field, value)
    if deliverable.status == DeliverableStatus.delivered.value and deliverable.delivered_on is None:
        deliverable.delivered_on = date.today()
    elif deliverable.status != DeliverableStatus.delivered.value:
        deliverable.delivered_on = None
    details = {"deliverable": deliverable.id, "details_text": deliverable.details}
    if "proof_file_id" in values:
        details["proof_file"] = [None, values["proof_file_id"]]
    changed = tracked.record("deliverable.updated", actor_id=actor_id, subject_type="contract",
                             subject_id=deliverable.contract_id, details=details)
    commit()
    return changed


def delete_deliverable(deliverable: Deliverable, *, actor_id: int | None) -> None:
    audit.record("deliverable.removed", actor_id=actor_id, subject_type="contract", subject_id=deliverable.contract_id,
                 details={"deliverable": deliverable.id, "details": deliverable.details})
    db.session.delete(deliverable)
    db.session.commit()


def copy_forward(old: Contract, new: Contract, shift: timedelta) -> int:
    """The deliverables of `old` again on `new` (a renewal), planned, each due `shift` later. Caller commits."""
    copied = 0
    for d in deliverables_of(old):
        db.session.add(Deliverable(contract_id=new.id, kind_id=d.kind_id, details=d.details,
                                   responsible_id=d.responsible_id, department=d.department,
                                   due_on=d.due_on + shift, value_share=d.value_share,
                                   status=DeliverableStatus.planned.value))
        copied += 1
    return copied


# --- what is due ------------------------------------------------------------------------------------------


def any_deliverable():
    """A SQL condition: some contract has a deliverable."""
    return select(Deliverable.id).exists()


def week_bounds(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def due_deliverables(user: User, role: Role | None, *, today: date, mine: bool, limit: int = 200):
    """Open deliverables due up to the end of this week, overdue first (then by due date): rows of what a list of
    them shows (id, contract_id, details, due_on, account_name), in one query."""
    _, sunday = week_bounds(today)

    def build():
        stmt = (_of_visible_contracts(user, role, Deliverable.id, Deliverable.contract_id, Deliverable.details,
                                      Deliverable.due_on, Account.name.label("account_name"))
                .join(Contract.account)
                .where(Deliverable.due_on <= _p("to"), Deliverable.status.in_(OPEN))
                .order_by(Deliverable.due_on, Deliverable.id)
                .limit(_p("limit")))
        return stmt.where(_mine(_p("me"))) if mine else stmt

    stmt = built_once(build, rule_of(role), mine)
    return db.session.execute(stmt, {"contracts_reader": user.id, "deliverables_me": user.id,
                                     "deliverables_to": sunday, "deliverables_limit": limit}).all()


def _of_visible_contracts(user: User, role: Role | None, *columns):
    """Deliverables joined to their contract, of the contracts the reader sees (cancelled ones left out).

    A join, not `contract_id IN (the visible contracts)`: that list is every contract of the tenant for a
    coordinator, built on each request (the home page's 283 ms at 100,000 contracts); joined, the due-date index
    is read in order and each row's contract found by its key.

    On SQLite the join goes one way only: `contract_id + 0` cannot be looked up in an index, so no plan can read
    the tenant's contracts first and then each one's deliverables. With exact statistics (a full ANALYZE at 100,000
    rows) SQLite chose that plan, and sorted every open deliverable: 245 ms a page instead of 1. PostgreSQL keeps
    the plain join: given the expression, its planner hashed every contract of the tenant (62 ms instead of 6).
    """
    stmt = (select(*columns) if columns else select(Deliverable)).select_from(Deliverable)
    if db.session.get_bind().dialect.name == "sqlite":
        stmt = stmt.join(Contract, Contract.id == Deliverable.contract_id + 0)
    else:
        stmt = stmt.join(Deliverable.contract)
    stmt = stmt.where(Contract.status.not_in([Status.cancelled.value]))
    rule = visible_to(user, role).whereclause
    return stmt if rule is None else stmt.where(rule)


def _mine(me):
    """Mine: what I am responsible for, and what is on a contract I sell or coordinate. `me`: the reader's id (a
    bound parameter in a statement built once)."""
    return or_(Deliverable.responsible_id == me, Contract.coordinator_id == me, Contract.owner_id == me)


def _p(name: str):
    """The list's named parameter `name` (deliverables_<name>): statements are built once per shape (_shape) and run
    with each request's values (_values)."""
    return bindparam(f"deliverables_{name}")


def _shape(role: Role | None, filters: "ListFilters") -> tuple:
    """What the list's statements depend on besides their parameters: the kind of reader and which filters are set
    (a person's filter is one of three kinds: mine, nobody's, or someone's)."""
    statuses = "" if not filters.statuses else "open" if set(filters.statuses) <= set(OPEN) else "some"
    responsible = filters.responsible if filters.responsible in (None, MINE, NOBODY) else "person"
    return (rule_of(role), filters.kind_id is not None, statuses, responsible, filters.due_from is not None,
            filters.due_to is not None)


def _values(user: User, filters: "ListFilters", today: date) -> dict:
    """Every parameter of the list's statements, from this request (those a shape does not use are ignored)."""
    return {"contracts_reader": user.id, "deliverables_me": user.id, "deliverables_today": today,
            "deliverables_kind_id": filters.kind_id, "deliverables_statuses": list(filters.statuses),
            "deliverables_responsible": filters.responsible if isinstance(filters.responsible, int) else None,
            "deliverables_from": filters.due_from, "deliverables_to": filters.due_to}


# --- the list: a date range and filters, overdue first, a keyset page at a time ------------------------------


def quarter_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the quarter `day` falls in."""
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return start, following - timedelta(days=1)


# The quick ranges, by the key a URL names them with. None is an open end: no start reaches back to everything
# still overdue, which is what today's work needs; planning print lead times needs a quarter ahead.
def _overdue(today):
    return None, today - timedelta(days=1)


def _week(today):
    return None, week_bounds(today)[1]


def _four_weeks(today):
    return None, today + timedelta(weeks=4)


def _thirty_days(today):
    return today, today + timedelta(days=30)


def _quarter(today):
    return quarter_bounds(today)


def _next_quarter(today):
    return quarter_bounds(quarter_bounds(today)[1] + timedelta(days=1))


PERIODS = {"overdue": _overdue, "week": _week, "4weeks": _four_weeks, "30days": _thirty_days,
           "quarter": _quarter, "next-quarter": _next_quarter}
DEFAULT_PERIOD = "4weeks"

MINE, NOBODY = "mine", "none"  # the responsible filter's two values that are not a person's id


@dataclass(frozen=True)
class ListFilters:
    due_from: date | None = None  # None: no start, so everything overdue is in
    due_to: date | None = None
    kind_id: int | None = None
    responsible: int | str | None = None  # a user id, MINE, NOBODY, or None for everyone
    statuses: tuple[str, ...] = OPEN  # () for any status


# Counts stop at this many: a list of 100,000 deliverables says "more than 200" in the time it takes to count two
# hundred, where an exact count read every matching row (250 ms at 100,000 on SQLite; three counts to 1,000, 9 ms;
# to 500, 1.7 ms, a fifth of the page; to 200, 0.7 ms). A coordinator acts on the first page of fifty.
COUNT_CAP = 200


@dataclass(frozen=True)
class ListCounts:
    """How many the range holds, each counted up to COUNT_CAP + 1 (more than the cap reads "more than")."""

    overdue: int  # in the range and the filters, overdue
    on_time: int  # in the range and the filters, not overdue
    overdue_elsewhere: int  # overdue, matching the filters, but due before the range starts
    cap: int = COUNT_CAP

    @property
    def total(self) -> int:
        return min(self.overdue + self.on_time, self.cap + 1)

    def more(self, number: int) -> bool:
        return number > self.cap


def overdue_clause(today: date):
    return and_(Deliverable.due_on < today, Deliverable.status.in_(OPEN))


def _in_range(filters: ListFilters):
    bounds = []
    if filters.due_from is not None:
        bounds.append(Deliverable.due_on >= _p("from"))
    if filters.due_to is not None:
        bounds.append(Deliverable.due_on <= _p("to"))
    return and_(true(), *bounds)


def _matching(user: User, role: Role | None, filters: ListFilters):
    """Deliverables of the contracts the reader sees (cancelled ones left out) that pass every filter but the
    date range."""
    stmt = _of_visible_contracts(user, role)
    if filters.kind_id is not None:
        stmt = stmt.where(Deliverable.kind_id == _p("kind_id"))
    if filters.statuses:
        stmt = stmt.where(Deliverable.status.in_(bindparam("deliverables_statuses", expanding=True)))
    if filters.responsible == MINE:
        stmt = stmt.where(_mine(_p("me")))
    elif filters.responsible == NOBODY:
        stmt = stmt.where(Deliverable.responsible_id.is_(None))
    elif filters.responsible is not None:
        stmt = stmt.where(Deliverable.responsible_id == _p("responsible"))
    return stmt


def list_page(user: User, role: Role | None, filters: ListFilters, *, today: date, after: str | None,
              limit: int = 50) -> Page:
    """A keyset page of the filtered deliverables in the range: overdue first, then by due date, with what a
    row shows loaded (a fixed number of queries whatever the page holds). The first page runs a statement built once
    per shape of filters (_shape) with this request's values."""
    if filters.statuses and set(filters.statuses) <= set(OPEN):
        # Only open ones: overdue is then "due before today", so overdue first is plain due-date order, read
        # from the due-date index (ranking them made SQLite sort every due deliverable: 131 ms at 100,000).
        order = Keyset(Deliverable.due_on, Deliverable.id)
    else:
        rank = case((overdue_clause(_p("today")), 0), else_=1)
        order = Keyset(rank, Deliverable.due_on, Deliverable.id,
                       values=lambda d: (0 if d.is_overdue(today) else 1, d.due_on, d.id))
    # Everything a row names is one row away by its key: joined in the same statement (the contract is already
    # joined for visibility) and read as plain columns, not ORM objects (six statements a page before, then five
    # objects a row).
    params = _values(user, filters, today)
    if after:
        stmt = _with_list_columns(_matching(user, role, filters).where(_in_range(filters)))
        return order.page(stmt, after, limit=limit, scalars=False, make=ListRow._make, params=params)
    stmt = built_once(lambda: order.after(
        _with_list_columns(_matching(user, role, filters).where(_in_range(filters))), None).limit(limit + 1),
        limit, *_shape(role, filters))
    return order.page(stmt, None, limit=limit, scalars=False, make=ListRow._make, prepared=True, params=params)


class _KindShown(NamedTuple):
    key: str | None
    name: str | None


class _ContractShown(NamedTuple):
    number: str
    account: Named
    value_currency: str


class ListRow(NamedTuple):
    """A deliverable as the list shows it: its columns and its contract's, kind's, person's and proof file's names,
    read in one statement (issue 15). It is its own row-cache key, and reads as a Deliverable does in the row's
    template (d.kind, d.responsible.name, d.contract.account.name)."""

    id: int
    version: int
    status: str
    details: str
    due_on: date
    department: str | None
    proof_url: str | None
    proof_file_id: int | None
    proof_file_name: str | None
    value_share: Decimal | None
    contract_id: int
    contract_number: str
    account_name: str
    value_currency: str
    kind_key: str | None
    kind_name: str | None
    responsible_id: int | None
    responsible_name: str | None

    is_overdue = Deliverable.is_overdue

    @property
    def kind(self) -> _KindShown:
        return _KindShown(self.kind_key, self.kind_name)

    @property
    def responsible(self) -> Named | None:
        return named(self.responsible_name)

    @property
    def proof_file(self) -> Named | None:
        return named(self.proof_file_name)

    @property
    def contract(self) -> _ContractShown:
        return _ContractShown(self.contract_number, Named(self.account_name), self.value_currency)


def _with_list_columns(stmt):
    """`stmt` (deliverables joined to their contract) reading ListRow's columns: the contract's account, the kind,
    the person and the proof file joined."""
    return (stmt.with_only_columns(*LIST_COLUMNS).join(Contract.account).join(Deliverable.kind)
            .outerjoin(Deliverable.responsible).outerjoin(Deliverable.proof_file))


LIST_COLUMNS = (Deliverable.id, Deliverable.version, Deliverable.status, Deliverable.details, Deliverable.due_on,
                Deliverable.department, Deliverable.proof_url, Deliverable.proof_file_id,
                StoredFile.name.label("proof_file_name"), Deliverable.value_share, Deliverable.contract_id,
                Contract.number.label("contract_number"), Account.name.label("account_name"),
                Contract.value_currency, DeliverableKind.key.label("kind_key"),
                DeliverableKind.name.label("kind_name"), Deliverable.responsible_id,
                User.name.label("responsible_name"))


def list_counts(user: User, role: Role | None, filters: ListFilters, *, today: date,
                cap: int | None = None) -> ListCounts:
    """How many deliverables of the range are overdue and on time, and how many overdue ones it leaves out, each
    up to cap + 1 read from the due-date index: one statement, flat whatever the tenant holds."""
    cap = COUNT_CAP if cap is None else cap

    def build():
        in_range, overdue = _in_range(filters), overdue_clause(_p("today"))
        matching = _matching(user, role, filters)

        def capped(condition):
            rows = matching.where(condition).with_only_columns(Deliverable.id).limit(cap + 1).subquery()
            return select(func.count()).select_from(rows).scalar_subquery()

        # With only open ones listed, "not overdue" is "due from today": a range the due-date index starts at, where
        # NOT (overdue) had it walk every overdue entry first.
        on_time_clause = (Deliverable.due_on >= _p("today") if filters.statuses and set(filters.statuses) <= set(OPEN)
                          else not_(overdue))
        # Labelled: the ORM and Core name the columns alike, so the read runs as Core (tenants.scoping._core_form).
        return select(capped(and_(in_range, overdue)).label("late"),
                      capped(and_(in_range, on_time_clause)).label("on_time"),
                      capped(and_(not_(in_range), overdue)).label("elsewhere"))

    stmt = built_once(build, cap, *_shape(role, filters))
    late, on_time, elsewhere = db.session.execute(stmt, _values(user, filters, today)).one()
    return ListCounts(int(late), int(on_time), int(elsewhere), cap)
