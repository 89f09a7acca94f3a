"""leads: questionnaire, answers, hand-offs, activities, bonuses, imports

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 06:35:52.588069

"""
from alembic import op
import sqlalchemy as sa

from tenants import rls


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Every table here is a tenant table: row-level security on each.
TABLES = ('lead_imports', 'lead_questions', 'lead_settings', 'lead_question_options', 'leads', 'activities', 'lead_answers', 'lead_bonuses', 'lead_handoffs', 'lead_import_issues', 'lead_tags')


def upgrade():
    op.create_table('lead_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('encoding', sa.String(length=20), nullable=False),
    sa.Column('delimiter', sa.String(length=2), nullable=False),
    sa.Column('header_line', sa.Integer(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('format', sa.String(length=30), nullable=True),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('date_order', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('mapping','ready','running','done')", name=op.f('ck_lead_imports_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lead_imports_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_lead_imports_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_imports_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_imports')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_imports_tenant_id_id'))
    )
    with op.batch_alter_table('lead_imports', schema=None) as batch_op:
        batch_op.create_index('ix_lead_imports_created', ['tenant_id', 'id'], unique=False)

    op.create_table('lead_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('points_yes', sa.Integer(), nullable=False),
    sa.Column('points_no', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.BigInteger(), nullable=True),
    sa.Column('points_threshold', sa.Integer(), nullable=False),
    sa.Column('points_answered', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('text','yes_no','choice','number')", name=op.f('ck_lead_questions_kind')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_questions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_questions')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_questions_tenant_id_id'))
    )
    with op.batch_alter_table('lead_questions', schema=None) as batch_op:
        batch_op.create_index('ix_lead_questions_position', ['tenant_id', 'position'], unique=False)

    op.create_table('lead_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('qualify_threshold', sa.Integer(), nullable=True),
    sa.Column('bonus_rule', sa.String(length=10), nullable=False),
    sa.Column('bonus_amount', sa.BigInteger(), nullable=True),
    sa.Column('bonus_currency', sa.String(length=3), nullable=True),
    sa.Column('bonus_percent', sa.BigInteger(), nullable=True),
    sa.Column('bonus_rule_since', sa.DateTime(), nullable=True),
    sa.Column('webform_enabled', sa.Boolean(), nullable=False),
    sa.Column('webform_owner_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("bonus_rule IN ('none','fixed','percent')", name=op.f('ck_lead_settings_bonus_rule')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_settings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webform_owner_id'], ['users.id'], name=op.f('fk_lead_settings_webform_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_settings')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_settings_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_lead_settings_tenant_id'))
    )
    op.create_table('lead_question_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'question_id'], ['lead_questions.tenant_id', 'lead_questions.id'], name=op.f('fk_lead_question_options_tenant_id_question_id_lead_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_question_options_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_question_options')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_question_options_tenant_id_id'))
    )
    with op.batch_alter_table('lead_question_options', schema=None) as batch_op:
        batch_op.create_index('ix_lead_question_options_question', ['tenant_id', 'question_id'], unique=False)

    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=True),
    sa.Column('company_key', sa.String(length=200), nullable=True),
    sa.Column('contact_name', sa.String(length=160), nullable=True),
    sa.Column('contact_title', sa.String(length=120), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('phone_key', sa.String(length=40), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('domain', sa.String(length=200), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('value_amount', sa.BigInteger(), nullable=True),
    sa.Column('value_currency', sa.String(length=3), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('disqualify_reason', sa.String(length=300), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('teed_up_by_id', sa.Integer(), nullable=True),
    sa.Column('handed_to_id', sa.Integer(), nullable=True),
    sa.Column('handed_off_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('converted_at', sa.DateTime(), nullable=True),
    sa.Column('converted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("source IN ('web_form','event','distributor','referral','cold_research','import')", name=op.f('ck_leads_source')),
    sa.CheckConstraint("status IN ('new','researching','qualified','handed_off','converted','disqualified')", name=op.f('ck_leads_status')),
    sa.ForeignKeyConstraint(['converted_by_id'], ['users.id'], name=op.f('fk_leads_converted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_leads_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['handed_to_id'], ['users.id'], name=op.f('fk_leads_handed_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_leads_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['teed_up_by_id'], ['users.id'], name=op.f('fk_leads_teed_up_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_leads_tenant_id_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['contracts.tenant_id', 'contracts.id'], name=op.f('fk_leads_tenant_id_contract_id_contracts')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_leads_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_leads_tenant_id_id'))
    )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_company_key', ['tenant_id', 'company_key'], unique=False)
        batch_op.create_index('ix_leads_contract', ['tenant_id', 'contract_id'], unique=False)
        batch_op.create_index('ix_leads_domain', ['tenant_id', 'domain'], unique=False)
        batch_op.create_index('ix_leads_handed_to', ['tenant_id', 'handed_to_id', 'id'], unique=False)
        batch_op.create_index('ix_leads_owner', ['tenant_id', 'owner_id', 'id'], unique=False)
        batch_op.create_index('ix_leads_phone_key', ['tenant_id', 'phone_key'], unique=False)
        batch_op.create_index('ix_leads_status', ['tenant_id', 'status', 'id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('call','email','meeting','note')", name=op.f('ck_activities_kind')),
    sa.CheckConstraint('lead_id IS NOT NULL OR account_id IS NOT NULL', name=op.f('ck_activities_subject')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_activities_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_activities_tenant_id_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_activities_tenant_id_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_activities_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_activities_tenant_id_id'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_account', ['tenant_id', 'account_id', 'id'], unique=False)
        batch_op.create_index('ix_activities_due', ['tenant_id', 'assignee_id', 'done_at', 'due_on'], unique=False)
        batch_op.create_index('ix_activities_lead', ['tenant_id', 'lead_id', 'id'], unique=False)

    op.create_table('lead_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=True),
    sa.Column('yes', sa.Boolean(), nullable=True),
    sa.Column('number', sa.BigInteger(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_lead_answers_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_lead_answers_tenant_id_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'option_id'], ['lead_question_options.tenant_id', 'lead_question_options.id'], name=op.f('fk_lead_answers_tenant_id_option_id_lead_question_options')),
    sa.ForeignKeyConstraint(['tenant_id', 'question_id'], ['lead_questions.tenant_id', 'lead_questions.id'], name=op.f('fk_lead_answers_tenant_id_question_id_lead_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_answers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_answers')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_answers_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'lead_id', 'question_id', name=op.f('uq_lead_answers_tenant_id_lead_id_question_id'))
    )
    with op.batch_alter_table('lead_answers', schema=None) as batch_op:
        batch_op.create_index('ix_lead_answers_option', ['tenant_id', 'option_id'], unique=False)
        batch_op.create_index('ix_lead_answers_question', ['tenant_id', 'question_id'], unique=False)

    op.create_table('lead_bonuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rule', sa.String(length=10), nullable=False),
    sa.Column('percent', sa.BigInteger(), nullable=True),
    sa.Column('contract_amount', sa.BigInteger(), nullable=False),
    sa.Column('contract_currency', sa.String(length=3), nullable=False),
    sa.Column('fx_rate', sa.String(length=48), nullable=True),
    sa.Column('fx_rate_date', sa.Date(), nullable=True),
    sa.Column('fx_source', sa.String(length=40), nullable=True),
    sa.Column('earned_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("rule IN ('fixed','percent')", name=op.f('ck_lead_bonuses_rule')),
    sa.ForeignKeyConstraint(['coordinator_id'], ['users.id'], name=op.f('fk_lead_bonuses_coordinator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'contract_id'], ['contracts.tenant_id', 'contracts.id'], name=op.f('fk_lead_bonuses_tenant_id_contract_id_contracts')),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_lead_bonuses_tenant_id_lead_id_leads')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_bonuses_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_bonuses')),
    sa.UniqueConstraint('tenant_id', 'contract_id', name=op.f('uq_lead_bonuses_tenant_id_contract_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_bonuses_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'lead_id', name=op.f('uq_lead_bonuses_tenant_id_lead_id'))
    )
    with op.batch_alter_table('lead_bonuses', schema=None) as batch_op:
        batch_op.create_index('ix_lead_bonuses_coordinator', ['tenant_id', 'coordinator_id', 'earned_on'], unique=False)
        batch_op.create_index('ix_lead_bonuses_earned', ['tenant_id', 'earned_on', 'id'], unique=False)

    op.create_table('lead_handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('from_id', sa.Integer(), nullable=True),
    sa.Column('to_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('pending','accepted','returned')", name=op.f('ck_lead_handoffs_status')),
    sa.ForeignKeyConstraint(['from_id'], ['users.id'], name=op.f('fk_lead_handoffs_from_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_lead_handoffs_tenant_id_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_handoffs_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_id'], ['users.id'], name=op.f('fk_lead_handoffs_to_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_handoffs')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_handoffs_tenant_id_id'))
    )
    with op.batch_alter_table('lead_handoffs', schema=None) as batch_op:
        batch_op.create_index('ix_lead_handoffs_lead', ['tenant_id', 'lead_id', 'id'], unique=False)
        batch_op.create_index('ix_lead_handoffs_to', ['tenant_id', 'to_id', 'status'], unique=False)

    op.create_table('lead_import_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('match_lead_id', sa.Integer(), nullable=True),
    sa.Column('match_account_id', sa.Integer(), nullable=True),
    sa.Column('match_reason', sa.String(length=20), nullable=True),
    sa.Column('resolution', sa.String(length=10), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('error','duplicate')", name=op.f('ck_lead_import_issues_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'job_id'], ['lead_imports.tenant_id', 'lead_imports.id'], name=op.f('fk_lead_import_issues_tenant_id_job_id_lead_imports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'match_account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_lead_import_issues_tenant_id_match_account_id_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'match_lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_lead_import_issues_tenant_id_match_lead_id_leads')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_import_issues_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_import_issues')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_import_issues_tenant_id_id'))
    )
    with op.batch_alter_table('lead_import_issues', schema=None) as batch_op:
        batch_op.create_index('ix_lead_import_issues_job', ['tenant_id', 'job_id', 'kind', 'line'], unique=False)

    op.create_table('lead_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_lead_tags_tenant_id_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_lead_tags_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_tags')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_lead_tags_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'lead_id', 'name', name=op.f('uq_lead_tags_tenant_id_lead_id_name'))
    )
    with op.batch_alter_table('lead_tags', schema=None) as batch_op:
        batch_op.create_index('ix_lead_tags_name', ['tenant_id', 'name', 'lead_id'], unique=False)

    rls.enable(op, *TABLES)


def downgrade():
    rls.disable(op, *TABLES)
    with op.batch_alter_table('lead_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_tags_name')

    op.drop_table('lead_tags')
    with op.batch_alter_table('lead_import_issues', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_import_issues_job')

    op.drop_table('lead_import_issues')
    with op.batch_alter_table('lead_handoffs', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_handoffs_to')
        batch_op.drop_index('ix_lead_handoffs_lead')

    op.drop_table('lead_handoffs')
    with op.batch_alter_table('lead_bonuses', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_bonuses_earned')
        batch_op.drop_index('ix_lead_bonuses_coordinator')

    op.drop_table('lead_bonuses')
    with op.batch_alter_table('lead_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_answers_question')
        batch_op.drop_index('ix_lead_answers_option')

    op.drop_table('lead_answers')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_lead')
        batch_op.drop_index('ix_activities_due')
        batch_op.drop_index('ix_activities_account')

    op.drop_table('activities')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_status')
        batch_op.drop_index('ix_leads_phone_key')
        batch_op.drop_index('ix_leads_owner')
        batch_op.drop_index('ix_leads_handed_to')
        batch_op.drop_index('ix_leads_domain')
        batch_op.drop_index('ix_leads_contract')
        batch_op.drop_index('ix_leads_company_key')

    op.drop_table('leads')
    with op.batch_alter_table('lead_question_options', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_question_options_question')

    op.drop_table('lead_question_options')
    op.drop_table('lead_settings')
    with op.batch_alter_table('lead_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_questions_position')

    op.drop_table('lead_questions')
    with op.batch_alter_table('lead_imports', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_imports_created')

    op.drop_table('lead_imports')
