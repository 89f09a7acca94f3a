"""accounts, contacts, contracts, deliverables, billing, files, counters

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:46:13.751175

"""
from alembic import op
import sqlalchemy as sa

from tenants import rls


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('domain', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('phone_key', sa.String(length=40), nullable=True),
    sa.Column('billing_address', sa.Text(), nullable=True),
    sa.Column('shipping_address', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_accounts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_accounts_tenant_id_id'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index('ix_accounts_domain', ['tenant_id', 'domain'], unique=False)
        batch_op.create_index('ix_accounts_name_key', ['tenant_id', 'name_key', 'id'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_calendar_feeds_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_calendar_feeds_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'token_hash', name=op.f('uq_calendar_feeds_tenant_id_token_hash')),
    sa.UniqueConstraint('tenant_id', 'user_id', name=op.f('uq_calendar_feeds_tenant_id_user_id'))
    )
    op.create_table('contract_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number_prefix', sa.String(length=20), nullable=False),
    sa.Column('number_digits', sa.Integer(), nullable=False),
    sa.Column('reminder_days', sa.String(length=60), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contract_settings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_settings')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contract_settings_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_contract_settings_tenant_id'))
    )
    op.create_table('counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_counters_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counters')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_counters_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_counters_tenant_id_name'))
    )
    op.create_table('deliverable_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_deliverable_kinds_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverable_kinds')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_deliverable_kinds_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_deliverable_kinds_tenant_id_key'))
    )
    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_stored_files_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_stored_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_stored_files_tenant_id_id'))
    )
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('job_title', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_contacts_tenant_id_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contacts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contacts_tenant_id_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_account', ['tenant_id', 'account_id'], unique=False)
        batch_op.create_index('ix_contacts_email', ['tenant_id', 'email'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('value_amount', sa.BigInteger(), nullable=False),
    sa.Column('value_currency', sa.String(length=3), nullable=False),
    sa.Column('base_amount', sa.BigInteger(), nullable=True),
    sa.Column('base_currency', sa.String(length=3), nullable=True),
    sa.Column('fx_rate', sa.String(length=48), nullable=True),
    sa.Column('fx_rate_date', sa.Date(), nullable=True),
    sa.Column('fx_source', sa.String(length=40), nullable=True),
    sa.Column('auto_renew', sa.Boolean(), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('renewal_of_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['users.id'], name=op.f('fk_contracts_coordinator_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contracts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_contracts_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_contracts_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'renewal_of_id'], ['contracts.tenant_id', 'contracts.id'], name=op.f('fk_contracts_tenant_id_renewal_of_id_contracts')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contracts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contracts_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_contracts_tenant_id_number'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_account', ['tenant_id', 'account_id'], unique=False)
        batch_op.create_index('ix_contracts_ends_on', ['tenant_id', 'ends_on', 'id'], unique=False)
        batch_op.create_index('ix_contracts_owner', ['tenant_id', 'owner_id', 'ends_on'], unique=False)
        batch_op.create_index('ix_contracts_status', ['tenant_id', 'status', 'ends_on'], unique=False)

    op.create_table('billing_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('invoiced', sa.Boolean(), nullable=False),
    sa.Column('invoice_ref', sa.String(length=60), nullable=True),
    sa.Column('invoiced_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['contracts.tenant_id', 'contracts.id'], name=op.f('fk_billing_entries_tenant_id_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_billing_entries_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_entries')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_billing_entries_tenant_id_id'))
    )
    with op.batch_alter_table('billing_entries', schema=None) as batch_op:
        batch_op.create_index('ix_billing_entries_contract', ['tenant_id', 'contract_id'], unique=False)
        batch_op.create_index('ix_billing_entries_due', ['tenant_id', 'due_on'], unique=False)

    op.create_table('contract_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contract_documents_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['contracts.tenant_id', 'contracts.id'], name=op.f('fk_contract_documents_tenant_id_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'file_id'], ['stored_files.tenant_id', 'stored_files.id'], name=op.f('fk_contract_documents_tenant_id_file_id_stored_files')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contract_documents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_documents')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contract_documents_tenant_id_id'))
    )
    with op.batch_alter_table('contract_documents', schema=None) as batch_op:
        batch_op.create_index('ix_contract_documents_contract', ['tenant_id', 'contract_id'], unique=False)

    op.create_table('contract_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('threshold_days', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_contract_reminders_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['contracts.tenant_id', 'contracts.id'], name=op.f('fk_contract_reminders_tenant_id_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contract_reminders_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_reminders')),
    sa.UniqueConstraint('tenant_id', 'contract_id', 'recipient_id', 'threshold_days', 'deadline', name=op.f('uq_contract_reminders_tenant_id_contract_id_recipient_id_threshold_days_deadline')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contract_reminders_tenant_id_id'))
    )
    op.create_table('deliverables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('details', sa.String(length=300), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('department', sa.String(length=80), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('proof_url', sa.String(length=500), nullable=True),
    sa.Column('proof_file_id', sa.Integer(), nullable=True),
    sa.Column('value_share', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['responsible_id'], ['users.id'], name=op.f('fk_deliverables_responsible_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['contracts.tenant_id', 'contracts.id'], name=op.f('fk_deliverables_tenant_id_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'kind_id'], ['deliverable_kinds.tenant_id', 'deliverable_kinds.id'], name=op.f('fk_deliverables_tenant_id_kind_id_deliverable_kinds')),
    sa.ForeignKeyConstraint(['tenant_id', 'proof_file_id'], ['stored_files.tenant_id', 'stored_files.id'], name=op.f('fk_deliverables_tenant_id_proof_file_id_stored_files')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_deliverables_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverables')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_deliverables_tenant_id_id'))
    )
    with op.batch_alter_table('deliverables', schema=None) as batch_op:
        batch_op.create_index('ix_deliverables_contract', ['tenant_id', 'contract_id'], unique=False)
        batch_op.create_index('ix_deliverables_due', ['tenant_id', 'due_on', 'status'], unique=False)
        batch_op.create_index('ix_deliverables_responsible', ['tenant_id', 'responsible_id', 'due_on'], unique=False)

    rls.enable(op, 'accounts', 'calendar_feeds', 'contract_settings', 'counters', 'deliverable_kinds', 'stored_files', 'contacts', 'contracts', 'billing_entries', 'contract_documents', 'contract_reminders', 'deliverables')


def downgrade():
    rls.disable(op, 'accounts', 'calendar_feeds', 'contract_settings', 'counters', 'deliverable_kinds', 'stored_files', 'contacts', 'contracts', 'billing_entries', 'contract_documents', 'contract_reminders', 'deliverables')
    with op.batch_alter_table('deliverables', schema=None) as batch_op:
        batch_op.drop_index('ix_deliverables_responsible')
        batch_op.drop_index('ix_deliverables_due')
        batch_op.drop_index('ix_deliverables_contract')

    op.drop_table('deliverables')
    op.drop_table('contract_reminders')
    with op.batch_alter_table('contract_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_contract_documents_contract')

    op.drop_table('contract_documents')
    with op.batch_alter_table('billing_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_billing_entries_due')
        batch_op.drop_index('ix_billing_entries_contract')

    op.drop_table('billing_entries')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_status')
        batch_op.drop_index('ix_contracts_owner')
        batch_op.drop_index('ix_contracts_ends_on')
        batch_op.drop_index('ix_contracts_account')

    op.drop_table('contracts')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_email')
        batch_op.drop_index('ix_contacts_account')

    op.drop_table('contacts')
    op.drop_table('stored_files')
    op.drop_table('deliverable_kinds')
    op.drop_table('counters')
    op.drop_table('contract_settings')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_accounts_name_key')
        batch_op.drop_index('ix_accounts_domain')

    op.drop_table('accounts')
