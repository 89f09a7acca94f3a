"""search on PostgreSQL reads an index under row-level security: each searched row's trigrams in search_grams

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 09:00:00

Migration 0013 gave PostgreSQL pg_trgm GIN indexes for `lower(title) LIKE '%q%'`. The app reads as its own role,
under row-level security, and PostgreSQL lets a query's own conditions go into an index scan ahead of the policy's
only when their functions are leakproof: LIKE and lower() are not (nor is any trigram operator), so every keystroke
read the tenant's whole table (97 ms at 100,000 contracts). Making them leakproof takes a superuser. Text equality
is leakproof: each searched row's distinct trigrams are kept here, one row each, and a search finds its candidates
by its rarest trigram through this table's primary key, then checks them with the same LIKE as before.

Triggers keep the table, as 0013's keep SQLite's FTS5 tables, so every write counts (imports, bulk updates). SQLite
keeps FTS5: this migration does nothing there.
"""
import sqlalchemy as sa
from alembic import op

from tenants import rls
from tenants.search import GRAM_SOURCES

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def _grams_of(row: str, kind: int, expressions: tuple[str, ...], source: str = "") -> str:
    """SELECT of the distinct trigrams of a row's searched values (each expression over `row`; `source` is the
    table to read them from, none for a trigger's NEW)."""
    values = ", ".join(e.format(row=row) for e in expressions)
    return (f"SELECT DISTINCT {row}.tenant_id, {kind}, substr(v, i, 3), {row}.id "
            f"FROM {source}unnest(ARRAY[{values}]::text[]) AS v, generate_series(1, length(v) - 2) AS i "
            f"WHERE v IS NOT NULL")


def _function(table: str, kind: int, expressions: tuple[str, ...]) -> str:
    # A foreign key's SET NULL or a tenant's deletion writes the source with no tenant in force, and row-level
    # security would refuse this table's rows: the function takes the tenant of the row it indexes (a write the
    # database has already allowed) for its own statements only, and puts the setting back before it returns.
    return f"""CREATE FUNCTION {table}_search_grams() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kept text := current_setting('app.tenant_id', true);
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM set_config('app.tenant_id', OLD.tenant_id::text, true);
    DELETE FROM search_grams WHERE tenant_id = OLD.tenant_id AND kind = {kind} AND row_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM set_config('app.tenant_id', NEW.tenant_id::text, true);
    INSERT INTO search_grams (tenant_id, kind, gram, row_id) {_grams_of('NEW', kind, expressions)};
  END IF;
  PERFORM set_config('app.tenant_id', coalesce(kept, ''), true);
  RETURN NULL;
END $$"""


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.create_table(
        'search_grams',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.SmallInteger(), nullable=False),
        sa.Column('gram', sa.Text(), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_search_grams_tenant_id_tenants',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('tenant_id', 'kind', 'gram', 'row_id', name='pk_search_grams'),
    )
    op.create_index('ix_search_grams_row', 'search_grams', ['tenant_id', 'kind', 'row_id'])
    rls.enable(op, 'search_grams')
    # Row-level security binds the migration too: existing rows are indexed tenant by tenant.
    tenants = [row[0] for row in bind.execute(sa.text("SELECT id FROM tenants ORDER BY id"))]
    for tenant_id in tenants:
        bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        for table, (kind, columns, expressions) in GRAM_SOURCES.items():
            op.execute(f"INSERT INTO search_grams (tenant_id, kind, gram, row_id) "
                       f"{_grams_of(table, kind, expressions, f'{table}, ')} AND {table}.tenant_id = {int(tenant_id)}")
    bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))
    for table, (kind, columns, expressions) in GRAM_SOURCES.items():
        op.execute(_function(table, kind, expressions))
        op.execute(f"CREATE TRIGGER {table}_search_grams_write AFTER INSERT OR DELETE ON {table} FOR EACH ROW "
                   f"EXECUTE FUNCTION {table}_search_grams()")
        op.execute(f"CREATE TRIGGER {table}_search_grams_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_search_grams()")
    op.execute("ANALYZE search_grams")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in GRAM_SOURCES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_search_grams_update ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_search_grams_write ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_search_grams()")
    rls.disable(op, 'search_grams')
    op.drop_table('search_grams')
