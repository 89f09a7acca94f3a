"""search on an index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL); indexes behind renewals and the pipeline

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# FTS5 table -> (content table, columns); what tenants/search.py asks with MATCH. Kept in step by triggers on the
# content table: SQLite drops a table's triggers with it, so a later migration that rebuilds contracts, accounts or
# leads in batch mode (any column change there) must create these triggers again (tests/web/test_search.py fails
# otherwise). This migration comes last in the chain for that reason.
FTS = {
    "contracts_fts": ("contracts", ("number", "title")),
    "accounts_fts": ("accounts", ("name_key", "domain")),
    "leads_fts": ("leads", ("company_key", "contact_name", "email", "phone_key")),
}
# PostgreSQL: pg_trgm GIN indexes serving `<expr> LIKE '%q%'` as tenants/search.py writes it.
TRIGRAMS = {
    "ix_search_contracts_number": ("contracts", "lower(number)"),
    "ix_search_contracts_title": ("contracts", "lower(title)"),
    "ix_search_accounts_name": ("accounts", "name_key"),
    "ix_search_accounts_domain": ("accounts", "domain"),
    "ix_search_leads_company": ("leads", "company_key"),
    "ix_search_leads_contact": ("leads", "lower(contact_name)"),
    "ix_search_leads_email": ("leads", "email"),
    "ix_search_leads_phone": ("leads", "phone_key"),
}


def upgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_renewal_of', ['tenant_id', 'renewal_of_id'], unique=False,
                              sqlite_where=sa.text('renewal_of_id IS NOT NULL'),
                              postgresql_where=sa.text('renewal_of_id IS NOT NULL'))
        batch_op.create_index('ix_contracts_ending_totals', ['tenant_id', 'status', 'ends_on', 'base_currency',
                                                             'base_amount', 'value_currency', 'value_amount'],
                              unique=False)
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index('ix_accounts_country', ['tenant_id', 'country', 'name_key'], unique=False)
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_pipeline', ['tenant_id', 'status', 'value_currency', 'value_amount'],
                              unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, (table, columns) in FTS.items():
            cols = ", ".join(columns)
            new = ", ".join(f"new.{c}" for c in columns)
            old = ", ".join(f"old.{c}" for c in columns)
            op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{table}', content_rowid='id', "
                       "tokenize='trigram')")
            op.execute(f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN "
                       f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new}); END")
            op.execute(f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN "
                       f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
            op.execute(f"CREATE TRIGGER {name}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
                       f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                       f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new}); END")
            op.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, expression) in TRIGRAMS.items():
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in FTS:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {name}")
    elif dialect == "postgresql":
        for name in TRIGRAMS:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_pipeline')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_accounts_country')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_ending_totals')
        batch_op.drop_index('ix_contracts_renewal_of')
