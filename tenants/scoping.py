"""Ambient, fail-closed tenancy for the ORM.

Every tenant-owned model inherits TenantScoped. While a tenant is set, every ORM select, update and
delete (joins, counts, relationship and column loads included) gets `tenant_id = <current>` through
`with_loader_criteria`; new rows are stamped with the current tenant before flush. With no tenant
set, touching a tenant table raises instead of returning everything. The only way across tenants
is an explicit `unscoped()` block, which is easy to grep for.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from sqlalchemy import (
    CompoundSelect,
    ForeignKey,
    ForeignKeyConstraint,
    Select,
    String,
    UniqueConstraint,
    bindparam,
    case,
    cast,
    event,
    func,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, with_loader_criteria
from sqlalchemy.orm.context import _ORMSelectCompileState
from sqlalchemy.sql import visitors
from sqlalchemy.sql.schema import Table

from . import fastread
from .db import db


class TenancyError(RuntimeError):
    """Tenant data was touched without a tenant, or across tenants."""


_tenant: ContextVar[int | None] = ContextVar("coordina_tenant", default=None)
# Who is signed in: PostgreSQL lets a person read their own memberships across tenants (the switcher).
_user: ContextVar[int | None] = ContextVar("coordina_user", default=None)
# The mail delivery job: the only reader of the outbox, whose bodies hold reset and invitation links.
_outbox: ContextVar[bool] = ContextVar("coordina_outbox", default=False)
_unscoped: ContextVar[bool] = ContextVar("coordina_unscoped", default=False)
# The distributor a partner (a distributor membership) acts for: a second ambient scope inside the tenant. 0 when
# the membership is bound to no distributor, so nothing partner-owned matches (fail closed).
_partner: ContextVar[int | None] = ContextVar("coordina_partner", default=None)


def tenant_args(*extra):
    """__table_args__ for a tenant table: UNIQUE (tenant_id, id) first, then the model's own."""
    return (UniqueConstraint("tenant_id", "id"), *extra)


def tenant_fk(column: str, table: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> table (tenant_id, id): no row can point across tenants."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


def tenant_join(parent: str, child: str, column: str) -> str:
    """primaryjoin of a relationship over a composite key: the id and the tenant both match.

    Only `column` is marked foreign; tenant_id is stamped by the flush hook, never copied by the
    relationship, so several relationships can share it without SQLAlchemy's overlap warnings.
    """
    return f"and_({parent}.id == foreign({child}.{column}), {parent}.tenant_id == {child}.tenant_id)"


class TenantScoped:
    """Mixin for every tenant-owned model."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        # No separate index: UNIQUE (tenant_id, id) already leads with tenant_id.
        return mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)

    @declared_attr.directive
    def __table_args__(cls):
        return tenant_args()


class PartnerScoped:
    """Mixin (beside TenantScoped) for rows a partner owns: `distributor_id` says whose they are.

    While a partner is set, every ORM select, update and delete sees only that distributor's rows and new rows
    are stamped with it. The distributors table itself is scoped on its own id (`__partner_key__ = "id"`).
    """

    __partner_key__ = "distributor_id"


# Tenant tables a partner may read beside their own rows (the catalogue, tiers, exchange rates): anything
# else touched while a partner is set raises, so a portal page cannot show the tenant's customers by mistake.
_partner_readable: set[str] = set()


def allow_partner_reads(*tables: str) -> None:
    """Let the portal read these tenant tables whole (reference data that every partner shares)."""
    _partner_readable.update(tables)


def current_partner_id() -> int | None:
    return _partner.get()


def set_partner(distributor_id: int | None):
    """Act as a partner (a distributor's portal user) for the rest of a request; returns a token for reset."""
    return _partner.set(distributor_id)


def reset_partner(token) -> None:
    _partner.reset(token)


@contextmanager
def partner_context(distributor_id: int) -> Iterator[None]:
    """Run the block as the portal user of distributor `distributor_id` (inside a tenant context)."""
    token = _partner.set(distributor_id)
    try:
        yield
    finally:
        _partner.reset(token)


def current_tenant_id() -> int | None:
    return _tenant.get()


def require_tenant_id() -> int:
    tid = _tenant.get()
    if tid is None:
        raise TenancyError("no tenant is set")
    return tid


# The settings the open transaction already carries, kept on its connection. A transaction starts with none
# (SET LOCAL dies at commit), and a setting is sent only when a statement is about to run with other ones:
# entering and leaving contexts costs nothing, and a request pays one round trip per change, not per step.
_APPLIED = "coordina_rls"
_NONE = ("", "", "", "")


def _wanted() -> tuple[str, str, str, str]:
    tid, uid, pid = _tenant.get(), _user.get(), _partner.get()
    return ("" if tid is None else str(tid), "" if uid is None else str(uid), "deliver" if _outbox.get() else "",
            "" if pid is None else str(pid))


def _apply_rls_setting(connection) -> None:
    """Make the transaction's row-level security settings match the current tenant, person and job."""
    if connection.dialect.name != "postgresql":
        return
    wanted = _wanted()
    if connection.info.get(_APPLIED, _NONE) == wanted:
        return
    connection.info[_APPLIED] = wanted
    # set_config(..., true) is SET LOCAL: it dies with the transaction, so a pooled connection never
    # carries one tenant's (or person's) setting into another request.
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tid, true), set_config('app.user_id', :uid, true), "
             "set_config('app.outbox', :outbox, true), set_config('app.partner_id', :pid, true)"),
        {"tid": wanted[0], "uid": wanted[1], "outbox": wanted[2], "pid": wanted[3]},
    )


@contextmanager
def tenant_context(tenant_id: int) -> Iterator[None]:
    """Run the block as tenant `tenant_id`."""
    token = _tenant.set(tenant_id)
    try:
        yield
    finally:
        _tenant.reset(token)


def set_tenant(tenant_id: int | None):
    """Set the tenant for the rest of a request; returns a token for reset_tenant()."""
    token = _tenant.set(tenant_id)
    return token


def reset_tenant(token) -> None:
    _tenant.reset(token)


def set_user(user_id: int | None):
    """Say who is signed in (their memberships become readable); returns a token for reset_user()."""
    token = _user.set(user_id)
    return token


def reset_user(token) -> None:
    _user.reset(token)


@contextmanager
def acting_as(user_id: int) -> Iterator[None]:
    """Read what belongs to this person across tenants (their memberships), whoever is signed in."""
    token = _user.set(user_id)
    try:
        yield
    finally:
        _user.reset(token)


@contextmanager
def outbox_access() -> Iterator[None]:
    """Read and update the outbox: for the delivery job (and tests that read what was sent), nothing else."""
    token = _outbox.set(True)
    try:
        yield
    finally:
        _outbox.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """Cross tenants on purpose (CLI jobs, sign-up). The database's RLS still applies on PostgreSQL."""
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


def tenant_tables() -> set[Table]:
    return {m.local_table for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)}


_tenant_table_cache: set[Table] | None = None
_partner_classes: list[type] | None = None


_prebuilt: dict[int, tuple[object, bool | None]] = {}
_scoped_prebuilt: dict[int, tuple] = {}  # id of a prebuilt statement -> (its scoped copy, its Core form)


def prebuilt(statement):
    """Mark a statement built once and run with parameters (the kernel's per-request reads: the sign-in, the
    memberships): whether it touches tenant data is worked out on its first run with no tenant set, not on every
    one (walking the statement was a few percent of every page). The statement is kept, so its id stays its own."""
    _prebuilt[id(statement)] = (statement, None)
    return statement


# Statements built once (built_once), by where they are built and their shape.
_built: dict[tuple, object] = {}


def built_once(build, *shape):
    """The statement `build()` makes, built and marked prebuilt the first time, then kept for the process: a read
    whose statement depends on which filters are set and the kind of reader, not on their values (bound parameters),
    is built once per shape instead of on every request. It is kept under where it is built (`build`'s code, the
    same for every call of a lambda or nested function) and `shape`. A shape names kinds, never values (no person's
    id, no filter's value), so that their number stays small; past 4,096 the store starts over. `build()` may return
    a tuple of statements (a page's reads that go together): each is marked."""
    key = (id(build.__code__), *shape)
    found = _built.get(key)
    if found is None:
        if len(_built) >= 4096:
            _built.clear()
        built = build()
        found = _built[key] = tuple(map(prebuilt, built)) if isinstance(built, tuple) else prebuilt(built)
    return found


def read_shared(statement, params: dict | None = None):
    """Run a read of shared tables only (the sign-in's session row) as plain Core on the session's connection: none of
    the ORM's per-statement work, a third of the cost of a small read (28 us against 85). Tenant data is refused
    here, with or without a tenant set: it needs the ORM's tenant scope. Row-level security settings are sent first
    when they changed, as for the ORM: some shared tables have a policy (memberships: the person's or the tenant's)."""
    if _touches(statement):
        raise TenancyError("read_shared() was given a statement that reads tenant data")
    connection = db.session.connection()
    _apply_rls_setting(connection)  # a shared table may have a policy of its own (memberships: the person or tenant)
    if _is_prebuilt(statement):
        return fastread.run(connection, statement, params)
    return connection.execute(statement, params or {})


def read_sign_in(statement, params: dict, user_column):
    """The first row of a read of shared tables (read_shared) that finds who is signed in: `user_column`, one of the
    statement's columns, is the person the rest of the request reads as. On PostgreSQL the same round trip sets them
    as the row-level security reader (set_config in the select list runs for the row found, and only then), so the
    memberships read that follows sends no settings of its own: one round trip fewer on every signed-in page."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or connection.info.get(_APPLIED, _NONE) != _NONE \
            or _wanted() != _NONE:  # only from no settings at all: what is then set is exactly the reader
        return read_shared(statement, params).first()
    # Kept per statement (the sign-in's: a module's constant, alive as long as the process).
    with_reader = built_once(lambda: statement.add_columns(
        func.set_config("app.user_id", cast(user_column, String), True).label("coordina_reader")), id(statement))
    row = read_shared(with_reader, params).first()
    if row is not None:
        connection.info[_APPLIED] = ("", row.coordina_reader, "", "")
    return row


def read_entering(statement, params: dict, tenant_column, slug_column, slug: str) -> list:
    """The rows of a read of shared tables (read_shared) that finds the workspace a request enters: `slug_column` and
    `tenant_column` are the statement's workspace's slug and id. On PostgreSQL, read as exactly the signed-in person
    (read_sign_in's settings), the same round trip makes the row whose slug is `slug` the transaction's tenant: CASE
    calls set_config for that row only, so the page's first statement sends no settings of its own, one round trip
    fewer on every page of a workspace. The request then sets the same tenant (its membership was that row), or sets
    other settings (a partner, none), which are then sent as usual. There, each row carries one more column at the
    end (the tenant set, or None)."""
    connection = db.session.connection()
    reader = connection.info.get(_APPLIED, _NONE)
    if connection.dialect.name != "postgresql" or reader != _wanted() or reader != ("", reader[1], "", "") \
            or not reader[1]:
        return list(read_shared(statement, params))
    entering = built_once(lambda: statement.add_columns(
        case((slug_column == bindparam("coordina_slug"),
              func.set_config("app.tenant_id", cast(tenant_column, String), True))).label("coordina_tenant")),
        id(statement))
    rows = list(read_shared(entering, {**params, "coordina_slug": slug}))
    for row in rows:
        if row[-1] is not None:
            connection.info[_APPLIED] = (row[-1], *reader[1:])
    return rows


def _is_prebuilt(statement) -> bool:
    known = _prebuilt.get(id(statement))
    return known is not None and known[0] is statement


def _touches(statement) -> bool:
    if not _is_prebuilt(statement):
        return _touches_tenant_data(statement)
    touches = _prebuilt[id(statement)][1]
    if touches is None:
        touches = _touches_tenant_data(statement)
        _prebuilt[id(statement)] = (statement, touches)
    return touches


def _touches_tenant_data(statement) -> bool:
    global _tenant_table_cache
    if _tenant_table_cache is None:
        _tenant_table_cache = tenant_tables()
    for element in visitors.iterate(statement):
        if isinstance(element, Table) and element in _tenant_table_cache:
            return True
    return False


def partner_classes() -> list[type]:
    global _partner_classes
    if _partner_classes is None:
        _partner_classes = [m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, PartnerScoped)]
    return _partner_classes


_partner_owned: set[Table] | None = None


def _partner_forbidden(statement) -> str | None:
    """The first tenant table the statement reads that is neither the partner's own nor shared with partners."""
    global _tenant_table_cache, _partner_owned
    if _tenant_table_cache is None:
        _tenant_table_cache = tenant_tables()
    if _partner_owned is None:
        _partner_owned = {cls.__table__ for cls in partner_classes()}
    for element in visitors.iterate(statement):
        if isinstance(element, Table) and element in _tenant_table_cache and element not in _partner_owned \
                and element.name not in _partner_readable:
            return element.name
    return None


@event.listens_for(Session, "after_begin")
def _fresh_transaction(session, transaction, connection):
    connection.info[_APPLIED] = _NONE


# The current tenant's id as one bound parameter, read from the context when a statement runs, not when it is built
# (no tenant then raises). Every tenant's statements share one criteria option, hence one cache key and one compiled
# form. A value fixed per tenant (a lambda's closure) made a copy of the option per tenant, and each statement
# carried as many clones of its parameter as it had tenant entities, which SQLAlchemy then compared one by one
# (building an SQL expression per comparison) on every run: 2 to 4% of a record page.
_TENANT_ID = bindparam("coordina_tenant_id", callable_=require_tenant_id)
_TENANT_CRITERIA = with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == _TENANT_ID, include_aliases=True)


def _core_form(scoped, state):
    """The Core statement the ORM makes of `scoped` (a prebuilt read, tenant criteria applied), when running it as
    Core returns what the ORM would: it reads columns only (no object to build), and it compiles to the very SQL the
    ORM sends, tenant conditions included, with the same names for its columns. None otherwise. Worked out once, with
    the scoped copy (_scoped_prebuilt): the ORM's compile state, context and result set-up cost more than the read of
    a page's rows (a contract list's: 6% of its instructions)."""
    if state.is_relationship_load or state.is_column_load:
        return None
    if isinstance(scoped, CompoundSelect):
        return _compound_core_form(scoped, state)
    if not isinstance(scoped, Select) or any(_is_entity(d["expr"]) for d in scoped.column_descriptions):
        return None
    candidate = _orm_core_statement(scoped)
    dialect = state.session.get_bind().dialect
    compiled = scoped.compile(dialect=dialect)
    names = [d["name"] for d in scoped.column_descriptions]
    # The proof: the same SQL text (every tenant condition in it) and the same result keys.
    if candidate is not None and str(candidate.compile(dialect=dialect)) == str(compiled) \
            and list(candidate.selected_columns.keys()) == names:
        return candidate
    # The ORM's statement puts the tenant's condition on its subqueries only as it compiles (a search's ids, a
    # traffic panel's sums, the board's columns), so its Core form lacks them. Run as Core, the statement itself
    # compiles the ORM's way, conditions and all: it is its own Core form when its result's keys are the ORM's
    # (an unlabelled count is "count_1" to Core and "count" to the ORM: those go the ORM's way).
    return scoped if _keys(compiled) == names else None


def _keys(compiled) -> list[str]:
    """The keys of a compiled statement's rows when it runs as Core."""
    return [column.keyname for column in compiled._result_columns]


def _compound_core_form(scoped, state):
    """A UNION of column reads (home's arrivals) runs as Core as it is: it compiles the ORM's way, each part's tenant
    conditions in it, and its rows' keys are its columns' names either way."""
    parts = scoped.selects
    if not all(isinstance(part, Select) and not any(_is_entity(d["expr"]) for d in part.column_descriptions)
               for part in parts):
        return None
    keys = _keys(scoped.compile(dialect=state.session.get_bind().dialect))
    names = [d["name"] for d in parts[0].column_descriptions]
    return scoped if keys == names == list(scoped.selected_columns.keys()) else None


def _orm_core_statement(scoped):
    """The Core statement the ORM's compile state makes of `scoped`, or None."""
    try:
        return _ORMSelectCompileState._create_orm_context(scoped, toplevel=True, compiler=None).statement
    except (AttributeError, TypeError):  # another SQLAlchemy's internals: the ORM runs it, as before
        return None


def _is_entity(expression) -> bool:
    found = inspect(expression, raiseerr=False)
    return bool(getattr(found, "is_mapper", False) or getattr(found, "is_aliased_class", False))


# What the ORM itself puts in a statement's execution options (its result's columns are read as they are): nothing
# a Core run needs to honour.
_ORM_OWN_OPTIONS = frozenset({"_result_disable_adapt_to_context"})


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state):
    _apply_rls_setting(state.session.connection())
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if _unscoped.get():
        return
    tid = _tenant.get()
    if tid is None:
        if _touches(state.statement):
            raise TenancyError("tenant data touched with no tenant set")
        return
    options = [_TENANT_CRITERIA]
    pid = _partner.get()
    if pid is None and _is_prebuilt(state.statement):
        # A statement built once gets its scoped copy once too (the same for every tenant: the tenant is a bound
        # parameter): the copy keeps its cache key, which SQLAlchemy would otherwise work out anew on every run.
        key = id(state.statement)
        found = _scoped_prebuilt.get(key)
        if found is None:
            if len(_scoped_prebuilt) > 16384:
                _scoped_prebuilt.clear()
            scoped = state.statement.options(*options)
            found = _scoped_prebuilt[key] = (scoped, _core_form(scoped, state))
        scoped, core = found
        if core is not None:
            # Returned, it is the statement's result: the ORM's own execution is skipped, not repeated.
            if state.local_execution_options.keys() <= _ORM_OWN_OPTIONS:
                return fastread.run(state.session.connection(), core, state.parameters)
            return state.session.connection().execute(core, state.parameters,
                                                      execution_options=state.local_execution_options)
        state.statement = scoped
        return
    if pid is not None:
        forbidden = _partner_forbidden(state.statement)
        if forbidden is not None:
            raise TenancyError(f"a partner touched {forbidden}, which is not theirs to read")
        for cls in partner_classes():
            key = getattr(cls, cls.__partner_key__)
            options.append(with_loader_criteria(cls, key == pid, include_aliases=True))
    state.statement = state.statement.options(*options)


@event.listens_for(Session, "before_flush")
def _stamp_and_guard(session, flush_context, instances):
    _apply_rls_setting(session.connection())
    tid = _tenant.get()
    free = _unscoped.get()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tid is None:
                raise TenancyError(f"new {type(obj).__name__} with no tenant set")
            obj.tenant_id = tid
        elif tid is not None and obj.tenant_id != tid and not free:
            raise TenancyError(f"new {type(obj).__name__} belongs to another tenant")
    pid = None if free else _partner.get()
    if pid is not None:
        _guard_partner(session, pid)
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if inspect(obj).attrs.tenant_id.history.has_changes() and obj in session.dirty:
            raise TenancyError(f"{type(obj).__name__} cannot move between tenants")
        if not free and obj.tenant_id != tid:
            raise TenancyError(f"{type(obj).__name__} of another tenant written")


def _guard_partner(session, pid: int) -> None:
    """A partner writes only their own rows: new ones are stamped with their distributor, others refused."""
    for obj in session.new:
        if isinstance(obj, TenantScoped) and not isinstance(obj, PartnerScoped) \
                and type(obj).__table__.name not in _partner_writable:
            raise TenancyError(f"a partner cannot add {type(obj).__name__}")
        if not isinstance(obj, PartnerScoped):
            continue
        key = obj.__partner_key__
        if getattr(obj, key) is None and key != "id":
            setattr(obj, key, pid)
        elif getattr(obj, key) != pid:
            raise TenancyError(f"new {type(obj).__name__} belongs to another partner")
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if not isinstance(obj, PartnerScoped) or getattr(obj, obj.__partner_key__) != pid:
            raise TenancyError(f"a partner cannot write {type(obj).__name__} {getattr(obj, 'id', '')}")


# Tenant tables a partner's actions may add rows to beside their own (the audit trail, the outbox).
_partner_writable: set[str] = set()


def allow_partner_inserts(*tables: str) -> None:
    """Let a partner's requests add rows to these tenant tables (records of what they did)."""
    _partner_writable.update(tables)
