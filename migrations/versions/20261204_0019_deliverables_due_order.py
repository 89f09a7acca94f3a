"""the deliverables' due-date index in the lists' full order: due date, then id

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 09:00:00

The deliverables list pages by (due date, id). With the index on (tenant, due date, status), both databases read every
deliverable of the first due dates to sort them by id: 848 rows for a page of 50 at 100,000 deliverables on
PostgreSQL (6 ms), a temporary B-tree on SQLite. With id after the due date, a page reads its 50 in order; the
status stays in the index for the counts.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


# Plain index operations, not batch mode: nothing here may rebuild the table (and lose what triggers it has).
def upgrade():
    op.drop_index('ix_deliverables_due', table_name='deliverables')
    op.create_index('ix_deliverables_due', 'deliverables', ['tenant_id', 'due_on', 'id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_deliverables_due', table_name='deliverables')
    op.create_index('ix_deliverables_due', 'deliverables', ['tenant_id', 'due_on', 'status'], unique=False)
