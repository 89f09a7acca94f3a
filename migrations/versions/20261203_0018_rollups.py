"""rollups kept by triggers: leads per owner, person handed to, status and currency; contracts ending per day, owner,
status and currency

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 09:00:00

The leads list's count, the board's columns, the pipeline and the renewals calendar read these few rows instead of
every lead or contract (issue 15: a page that costs the same at 100,000 rows as at 1,000). Triggers keep them, not
the ORM, so that every write counts: imports' bulk inserts, a bulk UPDATE, a user's removal setting owners to NULL,
a tenant's deletion. New tables and triggers only: leads and contracts are not rebuilt, so 0013's FTS triggers stay.
"""
import sqlalchemy as sa
from alembic import op

from tenants import rls

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


class Rollup:
    """A rollup table over a source table: its group columns (each an SQL expression of the source row), a counter
    and an amount."""

    def __init__(self, table, source, keys, counter, amount, watched):
        self.table, self.source, self.keys, self.counter, self.amount, self.watched = (
            table, source, keys, counter, amount, watched)

    @property
    def group(self) -> str:
        return ", ".join(["tenant_id", *self.keys])

    def values(self, row: str) -> str:
        return ", ".join([f"{row}.tenant_id", *(e.format(row=row) for e in self.keys.values())])

    def match(self, row: str) -> str:
        return " AND ".join([f"tenant_id = {row}.tenant_id",
                             *(f"{col} = {e.format(row=row)}" for col, e in self.keys.items())])

    def change(self, row: str, sign: str) -> str:
        return (f"UPDATE {self.table} SET {self.counter} = {self.counter} {sign} 1, "
                f"amount = amount {sign} {self.amount.format(row=row)} WHERE {self.match(row)};")

    def sqlite(self) -> list[str]:
        def add(row, sign):
            # Not INSERT OR IGNORE: a foreign key's SET NULL (a user removed) runs the trigger under its own
            # conflict policy, which overrides the body's; SQLite has one writer at a time, so NOT EXISTS is enough.
            return (f"INSERT INTO {self.table} ({self.group}, {self.counter}, amount) SELECT {self.values(row)}, 0, 0 "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {self.table} WHERE {self.match(row)}); {self.change(row, sign)}")
        name = f"{self.source}_rollup"
        return [f"CREATE TRIGGER {name}_insert AFTER INSERT ON {self.source} BEGIN {add('NEW', '+')} END",
                f"CREATE TRIGGER {name}_delete AFTER DELETE ON {self.source} BEGIN {add('OLD', '-')} END",
                f"CREATE TRIGGER {name}_update AFTER UPDATE OF {self.watched} ON {self.source} BEGIN "
                f"{add('OLD', '-')} {add('NEW', '+')} END"]

    def postgresql(self) -> list[str]:
        # A foreign key's SET NULL (a user removed) writes the source with no tenant in force, and row-level security
        # would refuse the rollup's row. The function takes the tenant of the row it counts (a write the database
        # has already allowed) for its own statements only, and puts the setting back before it returns.
        name = f"{self.source}_rollup"
        return [f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kept text := current_setting('app.tenant_id', true);
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM set_config('app.tenant_id', OLD.tenant_id::text, true);
    {self.change('OLD', '-')}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM set_config('app.tenant_id', NEW.tenant_id::text, true);
    INSERT INTO {self.table} ({self.group}, {self.counter}, amount)
    VALUES ({self.values('NEW')}, 1, {self.amount.format(row='NEW')})
    ON CONFLICT ({self.group}) DO UPDATE
      SET {self.counter} = {self.table}.{self.counter} + 1, amount = {self.table}.amount + EXCLUDED.amount;
  END IF;
  PERFORM set_config('app.tenant_id', coalesce(kept, ''), true);
  RETURN NULL;
END $$""",
                f"CREATE TRIGGER {name}_insert AFTER INSERT OR DELETE ON {self.source} FOR EACH ROW "
                f"EXECUTE FUNCTION {name}()",
                f"CREATE TRIGGER {name}_update AFTER UPDATE OF {self.watched} ON {self.source} FOR EACH ROW "
                f"EXECUTE FUNCTION {name}()"]

    def backfill(self, where: str = "") -> str:
        exprs = ", ".join(e.format(row=self.source) for e in self.keys.values())
        places = ", ".join(str(i) for i in range(1, len(self.keys) + 2))
        return (f"INSERT INTO {self.table} ({self.group}, {self.counter}, amount) "
                f"SELECT {self.source}.tenant_id, {exprs}, count(*), sum({self.amount.format(row=self.source)}) "
                f"FROM {self.source} {where} GROUP BY {places}")

    def drop(self, dialect: str) -> list[str]:
        name = f"{self.source}_rollup"
        if dialect == "postgresql":
            return [f"DROP TRIGGER IF EXISTS {name}_update ON {self.source}",
                    f"DROP TRIGGER IF EXISTS {name}_insert ON {self.source}", f"DROP FUNCTION IF EXISTS {name}()"]
        return [f"DROP TRIGGER IF EXISTS {name}_{what}" for what in ("insert", "delete", "update")]


ROLLUPS = [
    Rollup("lead_rollups", "leads",
           {"owner_key": "coalesce({row}.owner_id, 0)", "handed_key": "coalesce({row}.handed_to_id, 0)",
            "status": "{row}.status", "currency": "coalesce({row}.value_currency, '')"},
           "leads", "coalesce({row}.value_amount, 0)", "owner_id, handed_to_id, status, value_currency, value_amount"),
    # A signed contract counts at its locked base value, any other at its own: what the calendar adds.
    Rollup("contract_rollups", "contracts",
           {"owner_id": "{row}.owner_id", "status": "{row}.status", "ends_on": "{row}.ends_on",
            "currency": "CASE WHEN {row}.base_amount IS NOT NULL THEN {row}.base_currency ELSE {row}.value_currency END"},
           "contracts", "coalesce({row}.base_amount, {row}.value_amount, 0)",
           "owner_id, status, ends_on, base_amount, base_currency, value_amount, value_currency"),
]


def upgrade():
    op.create_table('lead_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_key', sa.Integer(), nullable=False),
    sa.Column('handed_key', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('leads', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_rollups_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_rollups')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_rollups_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'owner_key', 'handed_key', 'status', 'currency', name='uq_lead_rollups_group')
    )
    with op.batch_alter_table('lead_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_lead_rollups_sums', ['tenant_id', 'status', 'currency', 'owner_key', 'handed_key',
                                                       'leads', 'amount'], unique=False)
    op.create_table('contract_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('contracts', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contract_rollups_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_rollups')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contract_rollups_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'owner_id', 'status', 'ends_on', 'currency', name='uq_contract_rollups_group')
    )
    with op.batch_alter_table('contract_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_contract_rollups_ends', ['tenant_id', 'ends_on', 'status'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rls.enable(op, *(r.table for r in ROLLUPS))
        # Row-level security binds the migration too: existing rows are counted tenant by tenant.
        tenants = [row[0] for row in bind.execute(sa.text("SELECT id FROM tenants ORDER BY id"))]
        for tenant_id in tenants:
            bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
            for rollup in ROLLUPS:
                op.execute(rollup.backfill(f"WHERE {rollup.source}.tenant_id = {int(tenant_id)}"))
        bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))
        for rollup in ROLLUPS:
            for sql in rollup.postgresql():
                op.execute(sql)
    else:
        for rollup in ROLLUPS:
            op.execute(rollup.backfill())
            for sql in rollup.sqlite():
                op.execute(sql)


def downgrade():
    dialect = op.get_bind().dialect.name
    for rollup in ROLLUPS:
        for sql in rollup.drop(dialect):
            op.execute(sql)
    rls.disable(op, *(r.table for r in ROLLUPS))
    op.drop_table('contract_rollups')
    op.drop_table('lead_rollups')
