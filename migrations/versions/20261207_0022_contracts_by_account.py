"""an account's contracts in end-date order, and who owns them, read from the account's own index entries

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 09:00:00

An account's page lists its latest contracts by end date and asks whether a rep who owns one of them is away. With
the index on (tenant, account) alone, SQLite's statistics (one average per key) said an account holds a tenth of
the tenant's contracts when one account held nearly all of them, and the planner walked the tenant's end-date index
and its owners' index instead, testing each row: 59 ms for an account of two contracts among 100,000 contracts;
PostgreSQL sorted every contract of a large account. With the end date after the account, a page of the account's
contracts is read in order; with the owner after the account, "does this rep own one of its contracts" is one seek.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


# Plain index operations, not batch mode: nothing here may rebuild the table (and lose what triggers it has).
def upgrade():
    op.drop_index('ix_contracts_account', table_name='contracts')
    op.create_index('ix_contracts_account', 'contracts', ['tenant_id', 'account_id', 'ends_on'], unique=False)
    op.create_index('ix_contracts_account_owner', 'contracts', ['tenant_id', 'account_id', 'owner_id'], unique=False)


def downgrade():
    op.drop_index('ix_contracts_account_owner', table_name='contracts')
    op.drop_index('ix_contracts_account', table_name='contracts')
    op.create_index('ix_contracts_account', 'contracts', ['tenant_id', 'account_id'], unique=False)
