"""The schema's shape: migrations match the models, every model is classified, keys lead with tenant_id."""
from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint

import web.features  # noqa: F401  (the app fixture installs every feature, and so every model)
from tenants import schema
from tenants.db import db
from tenants.scoping import TenantScoped, tenant_tables


def test_the_migrations_build_exactly_the_models(app):
    with app.app_context(), db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite's reflection cannot read an index on an expression, and says so; those are the migrations' alone.
        for name in schema.EXPRESSION_INDEXES:
            warnings.filterwarnings("ignore", f"Skipped unsupported reflection of expression-based index {name}")
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_object": schema.include_object}), db.metadata)
    assert diff == [], "models and migrations disagree; run `coordina db migrate` and review the file"


def test_every_model_is_tenant_scoped_or_says_why_it_is_shared():
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        scoped = issubclass(cls, TenantScoped)
        reason = cls.__dict__.get("__shared__")
        assert scoped != bool(reason), f"{cls.__name__}: inherit TenantScoped or give __shared__ a reason"


def test_every_tenant_table_is_unique_on_tenant_and_id():
    for table in tenant_tables():
        uniques = [tuple(c.name for c in con.columns) for con in table.constraints if isinstance(con, UniqueConstraint)]
        assert ("tenant_id", "id") in uniques, table.name
        assert not table.c.tenant_id.nullable, table.name


def test_every_key_between_tenant_tables_is_composite_and_leads_with_tenant_id():
    tenant_names = {t.name for t in tenant_tables()}
    for table in tenant_tables():
        for fk in table.constraints:
            if not isinstance(fk, ForeignKeyConstraint):
                continue
            target = fk.referred_table.name
            if target not in tenant_names:
                continue
            assert [c.name for c in fk.columns][0] == "tenant_id", f"{table.name} -> {target}"
            assert [e.column.name for e in fk.elements][0] == "tenant_id", f"{table.name} -> {target}"
