"""an index that covers the converted totals of contract lists

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 07:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_totals', ['tenant_id', 'status', 'base_currency', 'base_amount',
                                                      'value_currency', 'value_amount'], unique=False)


def downgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_totals')
