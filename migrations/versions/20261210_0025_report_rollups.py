"""rollups for the reports: contracts per owner, status, automatic renewal, currency and the months they start and
end; contracts signed per day, owner, status and currencies; each account's first signature; leads per coordinator
and status

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-10 09:00:00

The forecast (and the compiled report that shows it) summed every open lead, every draft and every open contract
ending in the coming year: 181 ms at 100,000 leads and contracts against 10 ms at 1,000. The open leads are read
from lead_rollups (0018); drafts and renewals from contract_month_rollups, whose months are all the forecast's
quarters need; the compiled report's leads per coordinator from lead_coordinator_rollups. The team report (and the
forecast's look back at last quarter) summed every contract signed in the period and compared each with its
account's first signature: contract_signed_rollups keeps the signed value per day, owner, status and currencies,
and account_first_signatures each account's first signing day, so new customers are read from the accounts that
became one in the period. Triggers keep them, as 0018's, so every write counts. The compiled report's renewals at
risk are found by their notice deadline (an index on the expression, which differs by database) and its overdue
deliverables among the open ones (ix_deliverables_open); an account's contracts are paged by (end date, id). On
SQLite, new tables, triggers and indexes only: leads and contracts are not rebuilt, so their triggers stay.
"""
import sqlalchemy as sa
from alembic import op

from tenants import rls
from tenants.rollups import Rollup, Triggers, fill

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

MONTH = {"sqlite": "strftime('%Y-%m', {day})", "postgresql": "to_char({day}, 'YYYY-MM')"}
UNSIGNED = {"sqlite": "'0001-01-01'", "postgresql": "DATE '0001-01-01'"}  # a key is never NULL: not signed yet

# Each account's first signing day. A signature adds its day when the account has none or a later one (no write
# otherwise: a bulk import into one account writes the row once, not once a contract). A signature that leaves (a
# delete, another day, another account) changes the account's row only if it was the first: the next is one seek
# on ix_contracts_account_signed (ORDER BY ... LIMIT 1: min() with a GROUP BY read every contract of the account),
# and the row goes when the account has signed nothing left.
ADD_FIRST = """INSERT INTO account_first_signatures (tenant_id, account_id, signed_on)
  SELECT {row}.tenant_id, {row}.account_id, {row}.signed_on WHERE {row}.signed_on IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM account_first_signatures WHERE tenant_id = {row}.tenant_id AND account_id = {row}.account_id);
UPDATE account_first_signatures SET signed_on = {row}.signed_on
  WHERE tenant_id = {row}.tenant_id AND account_id = {row}.account_id AND signed_on > {row}.signed_on;"""
SIGNED = """SELECT signed_on FROM contracts WHERE tenant_id = {row}.tenant_id AND account_id = {row}.account_id
    AND signed_on IS NOT NULL"""
REMOVE_FIRST = f"""DELETE FROM account_first_signatures
  WHERE tenant_id = {{row}}.tenant_id AND account_id = {{row}}.account_id AND signed_on = {{row}}.signed_on
    AND NOT EXISTS ({SIGNED});
UPDATE account_first_signatures SET signed_on = ({SIGNED} ORDER BY signed_on LIMIT 1)
  WHERE tenant_id = {{row}}.tenant_id AND account_id = {{row}}.account_id AND signed_on = {{row}}.signed_on;"""
FIRST_SIGNATURES = Triggers("contracts_first_signature", "contracts", "account_id, signed_on",
                            leave=lambda row: REMOVE_FIRST.format(row=row), arrive=lambda row: ADD_FIRST.format(row=row),
                            when=lambda row: f"{row}.signed_on IS NOT NULL")


# A contract's notice deadline, indexed. SQLite: an index on the expression, written as web.reports.compiled writes
# it so that the planner matches them. PostgreSQL: a stored generated column, since row-level security lets only
# leakproof operators into an index condition and date - integer is not one (the expression's index was read whole).
DEADLINE = {"sqlite": "date(ends_on, printf('-%d days', notice_days))", "postgresql": "notice_deadline"}


def rollups(dialect: str) -> list[Rollup]:
    month = MONTH[dialect]
    return [
        Rollup("contract_month_rollups", "contracts",
               {"owner_id": "{row}.owner_id", "status": "{row}.status", "auto_renew": "{row}.auto_renew",
                "currency": "{row}.value_currency", "starts_month": month.format(day="{row}.starts_on"),
                "ends_month": month.format(day="{row}.ends_on")},
               "contracts", "{row}.value_amount",
               "owner_id, status, auto_renew, value_currency, value_amount, starts_on, ends_on",
               name="contracts_month_rollup"),
        # A signed contract's value as it was locked in its base currency (base_currency '' when not locked) and its
        # own: the team report adds the locked value when the base is today's, else converts its own at its day.
        Rollup("contract_signed_rollups", "contracts",
               {"owner_id": "{row}.owner_id", "status": "{row}.status",
                "signed_on": "coalesce({row}.signed_on, %s)" % UNSIGNED[dialect], "currency": "{row}.value_currency",
                "base_currency": "CASE WHEN {row}.base_amount IS NULL THEN '' ELSE coalesce({row}.base_currency, '') END"},
               "contracts", {"amount": "{row}.value_amount", "base_amount": "coalesce({row}.base_amount, 0)"},
               "owner_id, status, signed_on, value_currency, value_amount, base_currency, base_amount",
               name="contracts_signed_rollup"),
        Rollup("lead_coordinator_rollups", "leads",
               {"coordinator_key": "coalesce({row}.teed_up_by_id, {row}.owner_id, 0)", "status": "{row}.status"},
               "leads", {}, "teed_up_by_id, owner_id, status", name="leads_coordinator_rollup"),
    ]


def upgrade():
    op.create_table('contract_month_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('auto_renew', sa.Boolean(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('starts_month', sa.String(length=7), nullable=False),
    sa.Column('ends_month', sa.String(length=7), nullable=False),
    sa.Column('contracts', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contract_month_rollups_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_month_rollups')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contract_month_rollups_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'owner_id', 'status', 'auto_renew', 'currency', 'starts_month', 'ends_month',
                        name='uq_contract_month_rollups_group')
    )
    op.create_index('ix_contract_month_rollups_starts', 'contract_month_rollups',
                    ['tenant_id', 'status', 'starts_month'], unique=False)
    op.create_index('ix_contract_month_rollups_ends', 'contract_month_rollups', ['tenant_id', 'status', 'ends_month'],
                    unique=False)
    op.create_table('lead_coordinator_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coordinator_key', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('leads', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_coordinator_rollups_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_coordinator_rollups')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_coordinator_rollups_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'coordinator_key', 'status', name='uq_lead_coordinator_rollups_group')
    )
    op.create_table('contract_signed_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('base_currency', sa.String(length=3), nullable=False),
    sa.Column('contracts', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('base_amount', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contract_signed_rollups_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_signed_rollups')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contract_signed_rollups_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'owner_id', 'status', 'signed_on', 'currency', 'base_currency',
                        name='uq_contract_signed_rollups_group')
    )
    op.create_index('ix_contract_signed_rollups_day', 'contract_signed_rollups', ['tenant_id', 'signed_on'],
                    unique=False)
    op.create_table('account_first_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_account_first_signatures_tenant_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_account_first_signatures_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_first_signatures')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_account_first_signatures_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'account_id', name='uq_account_first_signatures_account')
    )
    op.create_index('ix_account_first_signatures_day', 'account_first_signatures', ['tenant_id', 'signed_on'],
                    unique=False)
    bind = op.get_bind()
    dialect = bind.dialect.name
    for rollup in rollups(dialect):
        rollup.create(op, bind, rls)
    if dialect == "postgresql":
        rls.enable(op, 'account_first_signatures')
    fill(op, bind, lambda tenant_id: (
        "INSERT INTO account_first_signatures (tenant_id, account_id, signed_on) "
        "SELECT tenant_id, account_id, min(signed_on) FROM contracts WHERE signed_on IS NOT NULL "
        f"{'' if tenant_id is None else f'AND tenant_id = {int(tenant_id)} '}GROUP BY tenant_id, account_id"))
    for sql in FIRST_SIGNATURES.create(dialect):
        op.execute(sql)
    if dialect == "postgresql":
        op.execute("ALTER TABLE contracts ADD COLUMN notice_deadline date "
                   "GENERATED ALWAYS AS (ends_on - notice_days) STORED")
    op.execute(f"CREATE INDEX ix_contracts_deadline ON contracts (tenant_id, status, {DEADLINE[dialect]}, ends_on)")
    op.create_index('ix_deliverables_open', 'deliverables', ['tenant_id', 'status', 'due_on'], unique=False)
    # An account's page lists its contracts a page at a time by (end date, id): PostgreSQL reads them in that order
    # from the index only with id in it (SQLite's indexes end with the rowid anyway).
    op.drop_index('ix_contracts_account', table_name='contracts')
    op.create_index('ix_contracts_account', 'contracts', ['tenant_id', 'account_id', 'ends_on', 'id'], unique=False)


def downgrade():
    dialect = op.get_bind().dialect.name
    op.drop_index('ix_contracts_account', table_name='contracts')
    op.create_index('ix_contracts_account', 'contracts', ['tenant_id', 'account_id', 'ends_on'], unique=False)
    op.drop_index('ix_deliverables_open', table_name='deliverables')
    op.drop_index('ix_contracts_deadline', table_name='contracts')
    if dialect == "postgresql":
        op.drop_column('contracts', 'notice_deadline')
    for sql in FIRST_SIGNATURES.drop(dialect):
        op.execute(sql)
    for rollup in rollups(dialect):
        for sql in rollup.drop(dialect):
            op.execute(sql)
    tables = ('account_first_signatures', 'lead_coordinator_rollups', 'contract_signed_rollups',
              'contract_month_rollups')
    rls.disable(op, *tables)
    for table in tables:
        op.drop_table(table)
