"""rollups for the reports: contracts per owner, status, automatic renewal, currency and the months they start and
end; leads per coordinator and status

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-10 09:00:00

The forecast (and the compiled report that shows it) summed every open lead, every draft and every open contract
ending in the coming year: 181 ms at 100,000 leads and contracts against 10 ms at 1,000. The open leads are read
from lead_rollups (0018); drafts and renewals from contract_month_rollups, whose months are all the forecast's
quarters need; the compiled report's leads per coordinator from lead_coordinator_rollups. Triggers keep them, as
0018's, so every write counts. New tables and triggers only: leads and contracts are not rebuilt.
"""
import sqlalchemy as sa
from alembic import op

from tenants import rls
from tenants.rollups import Rollup

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

MONTH = {"sqlite": "strftime('%Y-%m', {day})", "postgresql": "to_char({day}, 'YYYY-MM')"}


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
    bind = op.get_bind()
    for rollup in rollups(bind.dialect.name):
        rollup.create(op, bind, rls)


def downgrade():
    dialect = op.get_bind().dialect.name
    for rollup in rollups(dialect):
        for sql in rollup.drop(dialect):
            op.execute(sql)
    rls.disable(op, 'contract_month_rollups', 'lead_coordinator_rollups')
    op.drop_table('lead_coordinator_rollups')
    op.drop_table('contract_month_rollups')
