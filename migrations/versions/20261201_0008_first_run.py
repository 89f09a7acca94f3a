"""first run: when a workspace's settings were confirmed and its first steps hidden

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00

tenants is the shared registry (no tenant_id, no row-level security): adding columns changes neither its
grants (env.py grants the app role every table after each upgrade) nor any policy.

Workspaces that exist before this migration are past their first run: their settings count as confirmed
from the day they were made, and the first steps are over for them. The checklist is for new workspaces; it
must not greet a team that has been at work for months with "confirm the base currency".
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings_confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('first_run_dismissed_at', sa.DateTime(), nullable=True))
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # stored as naive UTC, as UTCDateTime does
    op.get_bind().execute(sa.text("UPDATE tenants SET settings_confirmed_at = created_at, first_run_dismissed_at = :now"),
                          {"now": now})


def downgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('first_run_dismissed_at')
        batch_op.drop_column('settings_confirmed_at')
