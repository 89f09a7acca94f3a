"""reports: targets, who supports whom, figures entered by hand, forecast odds and snapshots,
weekly report subscriptions; the hygiene feature's queue of addresses that do not work;
the cover feature's away periods and the notices passed on to cover people

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 08:47:38.145512

Every table here is a tenant table: UNIQUE (tenant_id, id) and row-level security on each. Their foreign
keys point at users (shared), and hygiene_problems' at contacts and leads through composite
(tenant_id, x_id) keys.
"""
from alembic import op
import sqlalchemy as sa

from tenants import rls


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TABLES = ('report_figures', 'report_support', 'report_targets', 'report_forecasts', 'report_odds',
          'report_subscriptions', 'hygiene_problems', 'cover_periods', 'cover_notices')


def upgrade():
    op.create_table('report_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('base_amount', sa.BigInteger(), nullable=True),
    sa.Column('base_currency', sa.String(length=3), nullable=True),
    sa.Column('fx_rate', sa.String(length=48), nullable=True),
    sa.Column('fx_rate_date', sa.Date(), nullable=True),
    sa.Column('fx_source', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('signed_value','renewal_kept','new_account')", name=op.f('ck_report_figures_kind')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_report_figures_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_report_figures_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_figures_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_figures')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_report_figures_tenant_id_id'))
    )
    with op.batch_alter_table('report_figures', schema=None) as batch_op:
        batch_op.create_index('ix_report_figures_day', ['tenant_id', 'day', 'id'], unique=False)
        batch_op.create_index('ix_report_figures_rep', ['tenant_id', 'rep_id', 'day'], unique=False)

    op.create_table('report_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['users.id'], name=op.f('fk_report_support_coordinator_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_report_support_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_support_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_support')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_report_support_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'rep_id', name=op.f('uq_report_support_tenant_id_rep_id'))
    )
    with op.batch_alter_table('report_support', schema=None) as batch_op:
        batch_op.create_index('ix_report_support_coordinator', ['tenant_id', 'coordinator_id'], unique=False)

    op.create_table('report_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('signed_amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('renewals_kept', sa.Integer(), nullable=True),
    sa.Column('new_accounts', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_report_targets_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_targets_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_report_targets_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_targets')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_report_targets_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'rep_id', 'period', name=op.f('uq_report_targets_tenant_id_rep_id_period'))
    )
    with op.batch_alter_table('report_targets', schema=None) as batch_op:
        batch_op.create_index('ix_report_targets_period', ['tenant_id', 'period'], unique=False)
        # The team's target (rep_id NULL) once per period: a plain UNIQUE lets NULLs repeat.
        batch_op.create_index('uq_report_targets_team', ['tenant_id', 'period'], unique=True, sqlite_where=sa.text('rep_id IS NULL'), postgresql_where=sa.text('rep_id IS NULL'))

    op.create_table('report_forecasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('rep_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rep_id'], ['users.id'], name=op.f('fk_report_forecasts_rep_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_forecasts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_forecasts')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_report_forecasts_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'quarter', 'rep_id', name=op.f('uq_report_forecasts_tenant_id_quarter_rep_id'))
    )
    op.create_table('report_odds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("stage IN ('new','researching','qualified','handed_off','draft','renewal','auto_renewal')", name=op.f('ck_report_odds_stage')),
    sa.CheckConstraint('percent >= 0 AND percent <= 100', name=op.f('ck_report_odds_percent')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_odds_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_odds')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_report_odds_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'stage', name=op.f('uq_report_odds_tenant_id_stage'))
    )

    op.create_table('report_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_week', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_subscriptions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_report_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_subscriptions')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_report_subscriptions_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'user_id', name=op.f('uq_report_subscriptions_tenant_id_user_id'))
    )

    op.create_table('hygiene_problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('fixed_at', sa.DateTime(), nullable=True),
    sa.Column('fixed_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('email_bounced','mail_returned','phone_dead')", name=op.f('ck_hygiene_problems_kind')),
    sa.CheckConstraint('(contact_id IS NULL) <> (lead_id IS NULL)', name=op.f('ck_hygiene_problems_one_subject')),
    sa.ForeignKeyConstraint(['fixed_by_id'], ['users.id'], name=op.f('fk_hygiene_problems_fixed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_hygiene_problems_reported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'contact_id'], ['contacts.tenant_id', 'contacts.id'], name=op.f('fk_hygiene_problems_tenant_id_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_hygiene_problems_tenant_id_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_hygiene_problems_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hygiene_problems')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_hygiene_problems_tenant_id_id'))
    )
    with op.batch_alter_table('hygiene_problems', schema=None) as batch_op:
        batch_op.create_index('ix_hygiene_problems_contact', ['tenant_id', 'contact_id'], unique=False)
        batch_op.create_index('ix_hygiene_problems_lead', ['tenant_id', 'lead_id'], unique=False)
        batch_op.create_index('ix_hygiene_problems_open', ['tenant_id', 'fixed_at', 'id'], unique=False)

    op.create_table('cover_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('cover_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_cover_periods_dates')),
    sa.ForeignKeyConstraint(['cover_id'], ['users.id'], name=op.f('fk_cover_periods_cover_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cover_periods_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_cover_periods_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cover_periods_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cover_periods')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_cover_periods_tenant_id_id'))
    )
    with op.batch_alter_table('cover_periods', schema=None) as batch_op:
        batch_op.create_index('ix_cover_periods_cover', ['tenant_id', 'cover_id', 'ends_on'], unique=False)
        batch_op.create_index('ix_cover_periods_user', ['tenant_id', 'user_id', 'ends_on'], unique=False)

    op.create_table('cover_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('away_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('lead','handoff','reminder')", name=op.f('ck_cover_notices_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'away_id'], ['cover_periods.tenant_id', 'cover_periods.id'], name=op.f('fk_cover_notices_tenant_id_away_id_cover_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_cover_notices_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cover_notices')),
    sa.UniqueConstraint('tenant_id', 'away_id', 'kind', 'ref_id', name=op.f('uq_cover_notices_tenant_id_away_id_kind_ref_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_cover_notices_tenant_id_id'))
    )

    # The report's sums by signing date (declared in web/reports/models.py on the contracts table).
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_account_signed', ['tenant_id', 'account_id', 'signed_on'], unique=False)
        batch_op.create_index('ix_contracts_signed', ['tenant_id', 'signed_on', 'owner_id', 'status', 'base_currency', 'base_amount', 'value_currency', 'value_amount'], unique=False)

    rls.enable(op, *TABLES)


def downgrade():
    rls.disable(op, *TABLES)
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_signed')
        batch_op.drop_index('ix_contracts_account_signed')
    op.drop_table('cover_notices')
    op.drop_table('cover_periods')
    op.drop_table('hygiene_problems')
    op.drop_table('report_subscriptions')
    op.drop_table('report_odds')
    op.drop_table('report_forecasts')
    with op.batch_alter_table('report_targets', schema=None) as batch_op:
        batch_op.drop_index('ix_report_targets_period')

    op.drop_table('report_targets')
    with op.batch_alter_table('report_support', schema=None) as batch_op:
        batch_op.drop_index('ix_report_support_coordinator')

    op.drop_table('report_support')
    with op.batch_alter_table('report_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_report_figures_rep')
        batch_op.drop_index('ix_report_figures_day')

    op.drop_table('report_figures')
