"""lead imports remember where the next chunk starts reading

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# lead_imports keeps its tenant_id, its UNIQUE (tenant_id, id) and its row-level security policy from 0004:
# adding columns touches none of them. The columns are nullable so that jobs already running when this
# lands keep working: with no stored position, the next chunk finds its place by reading (see reading.py).


def upgrade():
    with op.batch_alter_table('lead_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_offset', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('read_line', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('lead_imports', schema=None) as batch_op:
        batch_op.drop_column('read_line')
        batch_op.drop_column('read_offset')
