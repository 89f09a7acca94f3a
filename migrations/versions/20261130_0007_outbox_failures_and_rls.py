"""outbox messages can fail for good; row-level security on memberships and on the outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:00:00

Memberships: a row is visible to its tenant (app.tenant_id) and to its person (app.user_id, set once
someone is signed in: the workspace switcher lists their memberships). With neither set, nothing is.
Outbox: anyone may queue a message, but only the delivery job (app.outbox = 'deliver', set by
tenants.scoping.outbox_access) may read or change one: the bodies hold password-reset and invitation
links, which the app role with no tenant set could otherwise read for every tenant.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

MEMBERSHIP = ("tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer "
              "OR user_id = NULLIF(current_setting('app.user_id', true), '')::integer")
DELIVERY = "current_setting('app.outbox', true) = 'deliver'"


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(), nullable=True))
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.create_index('ix_outbox_messages_due', ['sent_at', 'failed_at', 'next_attempt_at'], unique=False)
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in ('memberships', 'outbox_messages'):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY member_or_tenant ON memberships USING ({MEMBERSHIP}) WITH CHECK ({MEMBERSHIP})")
    op.execute("CREATE POLICY anyone_queues ON outbox_messages FOR INSERT WITH CHECK (true)")
    op.execute(f"CREATE POLICY delivery_reads ON outbox_messages FOR SELECT USING ({DELIVERY})")
    op.execute(f"CREATE POLICY delivery_updates ON outbox_messages FOR UPDATE USING ({DELIVERY}) WITH CHECK ({DELIVERY})")
    op.execute(f"CREATE POLICY delivery_deletes ON outbox_messages FOR DELETE USING ({DELIVERY})")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP POLICY IF EXISTS member_or_tenant ON memberships")
        for policy in ('anyone_queues', 'delivery_reads', 'delivery_updates', 'delivery_deletes'):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON outbox_messages")
        for table in ('memberships', 'outbox_messages'):
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.create_index('ix_outbox_messages_due', ['sent_at', 'next_attempt_at'], unique=False)
        batch_op.drop_column('failed_at')
