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
from tenants.rollups import Rollup

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


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
    for rollup in ROLLUPS:
        rollup.create(op, bind, rls)


def downgrade():
    dialect = op.get_bind().dialect.name
    for rollup in ROLLUPS:
        for sql in rollup.drop(dialect):
            op.execute(sql)
    rls.disable(op, *(r.table for r in ROLLUPS))
    op.drop_table('contract_rollups')
    op.drop_table('lead_rollups')
