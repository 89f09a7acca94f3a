"""a workspace's reference stamp: changed with its reference data, so processes know their copy is stale

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 09:00:00

Reference data (the lead questionnaire, the lead settings) is read on many pages and changed rarely, by an admin.
Each process keeps a copy per workspace under this stamp (tenants.reference); a change of a watched table sets a
new random stamp in the same transaction, and every request reads its workspace's row anyway.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


# Plain ADD and DROP COLUMN (SQLite 3.35 and later), not batch mode: nothing here may rebuild the table.
def upgrade():
    op.add_column('tenants', sa.Column('reference_stamp', sa.BigInteger(), server_default='0', nullable=False))


def downgrade():
    op.drop_column('tenants', 'reference_stamp')
