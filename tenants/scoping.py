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

from flask import has_app_context
from sqlalchemy import ForeignKey, ForeignKeyConstraint, UniqueConstraint, event, inspect, text
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.schema import Table

from .db import db


class TenancyError(RuntimeError):
    """Tenant data was touched without a tenant, or across tenants."""


_tenant: ContextVar[int | None] = ContextVar("coordina_tenant", default=None)
_unscoped: ContextVar[bool] = ContextVar("coordina_unscoped", default=False)


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


def current_tenant_id() -> int | None:
    return _tenant.get()


def require_tenant_id() -> int:
    tid = _tenant.get()
    if tid is None:
        raise TenancyError("no tenant is set")
    return tid


def _sync_database_setting() -> None:
    """Re-issue the RLS setting when the tenant changes inside an open transaction."""
    if not has_app_context():
        return
    session = db.session()
    if session.in_transaction():
        _apply_rls_setting(session.connection())


def _apply_rls_setting(connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    tid = _tenant.get()
    # set_config(..., true) is SET LOCAL: it dies with the transaction, so a pooled connection never
    # carries one tenant's setting into another request.
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tid, true)"), {"tid": "" if tid is None else str(tid)}
    )


@contextmanager
def tenant_context(tenant_id: int) -> Iterator[None]:
    """Run the block as tenant `tenant_id`."""
    token = _tenant.set(tenant_id)
    _sync_database_setting()
    try:
        yield
    finally:
        _tenant.reset(token)
        _sync_database_setting()


def set_tenant(tenant_id: int | None):
    """Set the tenant for the rest of a request; returns a token for reset_tenant()."""
    token = _tenant.set(tenant_id)
    _sync_database_setting()
    return token


def reset_tenant(token) -> None:
    _tenant.reset(token)


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


def _touches_tenant_data(statement) -> bool:
    global _tenant_table_cache
    if _tenant_table_cache is None:
        _tenant_table_cache = tenant_tables()
    for element in visitors.iterate(statement):
        if isinstance(element, Table) and element in _tenant_table_cache:
            return True
    return False


@event.listens_for(Session, "after_begin")
def _set_rls_on_begin(session, transaction, connection):
    _apply_rls_setting(connection)


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state):
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if _unscoped.get():
        return
    tid = _tenant.get()
    if tid is None:
        if _touches_tenant_data(state.statement):
            raise TenancyError("tenant data touched with no tenant set")
        return
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tid, include_aliases=True)
    )


@event.listens_for(Session, "before_flush")
def _stamp_and_guard(session, flush_context, instances):
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
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if inspect(obj).attrs.tenant_id.history.has_changes() and obj in session.dirty:
            raise TenancyError(f"{type(obj).__name__} cannot move between tenants")
        if not free and obj.tenant_id != tid:
            raise TenancyError(f"{type(obj).__name__} of another tenant written")
