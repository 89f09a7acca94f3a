"""events: events and trade shows, their attendees and budget (and the later slices' tables)

Every table here is a tenant table: composite keys (tenant_id, x_id) and row-level security on each.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-30 09:43:57.620233

"""
from alembic import op
import sqlalchemy as sa

from tenants import rls


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLES = ('collateral_items', 'collateral_locations', 'event_checklist_items', 'event_unsubscribed', 'events', 'collateral_moves', 'collateral_reorder_warnings', 'collateral_reprints', 'collateral_stock', 'event_attendees', 'event_costs', 'event_mailings', 'event_shipments', 'event_tasks', 'collateral_event_items', 'collateral_reprint_questions', 'event_mailing_recipients', 'event_mailing_texts', 'event_shipment_items', 'event_leads', 'collateral_mailing_items',)


def upgrade():
    op.create_table('collateral_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('reorder_level', sa.Integer(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('brochure','sales_kit','price_list','giveaway','booth_part')", name=op.f('ck_collateral_items_kind')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_items')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_items_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', 'language', 'version', name=op.f('uq_collateral_items_tenant_id_name_language_version'))
    )
    with op.batch_alter_table('collateral_items', schema=None) as batch_op:
        batch_op.create_index('ix_collateral_items_name', ['tenant_id', 'name', 'id'], unique=False)

    op.create_table('collateral_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('office','warehouse','car')", name=op.f('ck_collateral_locations_kind')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_locations_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_locations')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_locations_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_collateral_locations_tenant_id_name'))
    )
    op.create_table('event_checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=30), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_checklist_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_checklist_items')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_checklist_items_tenant_id_id'))
    )
    with op.batch_alter_table('event_checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_event_checklist_items_position', ['tenant_id', 'offset_days', 'id'], unique=False)

    op.create_table('event_unsubscribed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_unsubscribed_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_unsubscribed')),
    sa.UniqueConstraint('tenant_id', 'email', name=op.f('uq_event_unsubscribed_tenant_id_email')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_unsubscribed_tenant_id_id'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('setup_on', sa.Date(), nullable=True),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('teardown_on', sa.Date(), nullable=True),
    sa.Column('booth_number', sa.String(length=40), nullable=True),
    sa.Column('booth_size', sa.String(length=40), nullable=True),
    sa.Column('hall', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('trade_show','conference','customer_event','cocktail')", name=op.f('ck_events_kind')),
    sa.CheckConstraint("status IN ('planned','confirmed','running','done','cancelled')", name=op.f('ck_events_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_events_tenant_id_id'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_closes', ['tenant_id', 'closes_on', 'id'], unique=False)
        batch_op.create_index('ix_events_opens', ['tenant_id', 'opens_on', 'id'], unique=False)

    op.create_table('collateral_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('change', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("reason IN ('received','correction','shipped','returned')", name=op.f('ck_collateral_moves_reason')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_collateral_moves_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_collateral_moves_tenant_id_event_id_events')),
    sa.ForeignKeyConstraint(['tenant_id', 'item_id'], ['collateral_items.tenant_id', 'collateral_items.id'], name=op.f('fk_collateral_moves_tenant_id_item_id_collateral_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['collateral_locations.tenant_id', 'collateral_locations.id'], name=op.f('fk_collateral_moves_tenant_id_location_id_collateral_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_moves_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_moves')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_moves_tenant_id_id'))
    )
    with op.batch_alter_table('collateral_moves', schema=None) as batch_op:
        batch_op.create_index('ix_collateral_moves_item', ['tenant_id', 'item_id', 'id'], unique=False)

    op.create_table('collateral_reorder_warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('order_by', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'item_id'], ['collateral_items.tenant_id', 'collateral_items.id'], name=op.f('fk_collateral_reorder_warnings_tenant_id_item_id_collateral_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_reorder_warnings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_reorder_warnings')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_reorder_warnings_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'item_id', 'order_by', name=op.f('uq_collateral_reorder_warnings_tenant_id_item_id_order_by'))
    )
    op.create_table('collateral_reprints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('proofreader', sa.String(length=120), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('asking','proofreading','approved','ordered','received')", name=op.f('ck_collateral_reprints_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_collateral_reprints_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'item_id'], ['collateral_items.tenant_id', 'collateral_items.id'], name=op.f('fk_collateral_reprints_tenant_id_item_id_collateral_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_reprints_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_reprints')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_reprints_tenant_id_id'))
    )
    with op.batch_alter_table('collateral_reprints', schema=None) as batch_op:
        batch_op.create_index('ix_collateral_reprints_item', ['tenant_id', 'item_id', 'id'], unique=False)

    op.create_table('collateral_stock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_collateral_stock_quantity')),
    sa.ForeignKeyConstraint(['tenant_id', 'item_id'], ['collateral_items.tenant_id', 'collateral_items.id'], name=op.f('fk_collateral_stock_tenant_id_item_id_collateral_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['collateral_locations.tenant_id', 'collateral_locations.id'], name=op.f('fk_collateral_stock_tenant_id_location_id_collateral_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_stock_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_stock')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_stock_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'item_id', 'location_id', name=op.f('uq_collateral_stock_tenant_id_item_id_location_id'))
    )
    op.create_table('event_attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_attendees_tenant_id_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_attendees_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_attendees_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_attendees')),
    sa.UniqueConstraint('tenant_id', 'event_id', 'user_id', name=op.f('uq_event_attendees_tenant_id_event_id_user_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_attendees_tenant_id_id'))
    )
    with op.batch_alter_table('event_attendees', schema=None) as batch_op:
        batch_op.create_index('ix_event_attendees_user', ['tenant_id', 'user_id', 'event_id'], unique=False)

    op.create_table('event_costs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('incurred_on', sa.Date(), nullable=False),
    sa.Column('base_amount', sa.BigInteger(), nullable=False),
    sa.Column('base_currency', sa.String(length=3), nullable=False),
    sa.Column('fx_rate', sa.String(length=48), nullable=False),
    sa.Column('fx_rate_date', sa.Date(), nullable=False),
    sa.Column('fx_source', sa.String(length=40), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("category IN ('booth_fee','shipping','travel','giveaways','hospitality','other')", name=op.f('ck_event_costs_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_event_costs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_costs_tenant_id_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_costs_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_costs')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_costs_tenant_id_id'))
    )
    with op.batch_alter_table('event_costs', schema=None) as batch_op:
        batch_op.create_index('ix_event_costs_event', ['tenant_id', 'event_id', 'base_currency', 'base_amount'], unique=False)

    op.create_table('event_mailings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('fallback_language', sa.String(length=5), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('pre_show','post_show','party')", name=op.f('ck_event_mailings_kind')),
    sa.CheckConstraint("status IN ('draft','sending','sent')", name=op.f('ck_event_mailings_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_event_mailings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_mailings_tenant_id_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_mailings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_mailings')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_mailings_tenant_id_id'))
    )
    with op.batch_alter_table('event_mailings', schema=None) as batch_op:
        batch_op.create_index('ix_event_mailings_event', ['tenant_id', 'event_id'], unique=False)

    op.create_table('event_shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('carrier', sa.String(length=20), nullable=False),
    sa.Column('carrier_name', sa.String(length=80), nullable=True),
    sa.Column('tracking_url_pattern', sa.String(length=300), nullable=True),
    sa.Column('tracking_number', sa.String(length=40), nullable=True),
    sa.Column('transit_days', sa.Integer(), nullable=False),
    sa.Column('ship_by', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('destination_country', sa.String(length=2), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('ata_carnet_number', sa.String(length=40), nullable=True),
    sa.Column('ata_carnet_expires_on', sa.Date(), nullable=True),
    sa.Column('declared_amount', sa.BigInteger(), nullable=True),
    sa.Column('declared_currency', sa.String(length=3), nullable=True),
    sa.Column('incoterm', sa.String(length=3), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('out','back')", name=op.f('ck_event_shipments_direction')),
    sa.CheckConstraint("status IN ('prepared','shipped','in_transit','delivered','returned')", name=op.f('ck_event_shipments_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_event_shipments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_shipments_tenant_id_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_shipments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_shipments')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_shipments_tenant_id_id'))
    )
    with op.batch_alter_table('event_shipments', schema=None) as batch_op:
        batch_op.create_index('ix_event_shipments_event', ['tenant_id', 'event_id'], unique=False)
        batch_op.create_index('ix_event_shipments_ship_by', ['tenant_id', 'ship_by', 'id'], unique=False)

    op.create_table('event_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=30), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_event_tasks_done_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_tasks_tenant_id_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_tasks_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_tasks')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_tasks_tenant_id_id'))
    )
    with op.batch_alter_table('event_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_event_tasks_event', ['tenant_id', 'event_id', 'due_on'], unique=False)
        batch_op.create_index('ix_event_tasks_open', ['tenant_id', 'done_at', 'due_on'], unique=False)

    op.create_table('collateral_event_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=True),
    sa.Column('shipped', sa.Integer(), nullable=False),
    sa.Column('given_away', sa.Integer(), nullable=True),
    sa.Column('returned', sa.Integer(), nullable=True),
    sa.Column('reconciled_on', sa.Date(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('given_away IS NULL OR returned IS NULL OR given_away + returned <= shipped', name=op.f('ck_collateral_event_items_reconciled')),
    sa.CheckConstraint('shipped > 0', name=op.f('ck_collateral_event_items_shipped')),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_collateral_event_items_tenant_id_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'item_id'], ['collateral_items.tenant_id', 'collateral_items.id'], name=op.f('fk_collateral_event_items_tenant_id_item_id_collateral_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['collateral_locations.tenant_id', 'collateral_locations.id'], name=op.f('fk_collateral_event_items_tenant_id_location_id_collateral_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'shipment_id'], ['event_shipments.tenant_id', 'event_shipments.id'], name=op.f('fk_collateral_event_items_tenant_id_shipment_id_event_shipments')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_event_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_event_items')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_event_items_tenant_id_id'))
    )
    with op.batch_alter_table('collateral_event_items', schema=None) as batch_op:
        batch_op.create_index('ix_collateral_event_items_event', ['tenant_id', 'event_id'], unique=False)
        batch_op.create_index('ix_collateral_event_items_item', ['tenant_id', 'item_id'], unique=False)

    op.create_table('collateral_mailing_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_collateral_mailing_items_quantity')),
    sa.ForeignKeyConstraint(['tenant_id', 'item_id'], ['collateral_items.tenant_id', 'collateral_items.id'], name=op.f('fk_collateral_mailing_items_tenant_id_item_id_collateral_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'mailing_id'], ['event_mailings.tenant_id', 'event_mailings.id'], name=op.f('fk_collateral_mailing_items_tenant_id_mailing_id_event_mailings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_mailing_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_mailing_items')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_mailing_items_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'mailing_id', 'item_id', name=op.f('uq_collateral_mailing_items_tenant_id_mailing_id_item_id'))
    )
    with op.batch_alter_table('collateral_mailing_items', schema=None) as batch_op:
        batch_op.create_index('ix_collateral_mailing_items_item', ['tenant_id', 'item_id', 'mailing_id'], unique=False)

    op.create_table('collateral_reprint_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reprint_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('wants_changes', sa.Boolean(), nullable=True),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'reprint_id'], ['collateral_reprints.tenant_id', 'collateral_reprints.id'], name=op.f('fk_collateral_reprint_questions_tenant_id_reprint_id_collateral_reprints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collateral_reprint_questions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_collateral_reprint_questions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collateral_reprint_questions')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collateral_reprint_questions_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'reprint_id', 'user_id', name=op.f('uq_collateral_reprint_questions_tenant_id_reprint_id_user_id')),
    sa.UniqueConstraint('tenant_id', 'token', name=op.f('uq_collateral_reprint_questions_tenant_id_token'))
    )
    op.create_table('event_mailing_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('company', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('rsvp', sa.String(length=3), nullable=True),
    sa.Column('plus_one', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('pending','queued','unsubscribed','bounced')", name=op.f('ck_event_mailing_recipients_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'mailing_id'], ['event_mailings.tenant_id', 'event_mailings.id'], name=op.f('fk_event_mailing_recipients_tenant_id_mailing_id_event_mailings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_mailing_recipients_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_mailing_recipients')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_mailing_recipients_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'mailing_id', 'email', name=op.f('uq_event_mailing_recipients_tenant_id_mailing_id_email')),
    sa.UniqueConstraint('tenant_id', 'token', name=op.f('uq_event_mailing_recipients_tenant_id_token'))
    )
    with op.batch_alter_table('event_mailing_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_event_mailing_recipients_email', ['tenant_id', 'email'], unique=False)
        batch_op.create_index('ix_event_mailing_recipients_mailing', ['tenant_id', 'mailing_id', 'status', 'id'], unique=False)

    op.create_table('event_mailing_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'mailing_id'], ['event_mailings.tenant_id', 'event_mailings.id'], name=op.f('fk_event_mailing_texts_tenant_id_mailing_id_event_mailings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_mailing_texts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_mailing_texts')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_mailing_texts_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'mailing_id', 'language', name=op.f('uq_event_mailing_texts_tenant_id_mailing_id_language'))
    )
    op.create_table('event_shipment_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('booth_part','collateral','giveaway')", name=op.f('ck_event_shipment_items_kind')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_event_shipment_items_quantity')),
    sa.ForeignKeyConstraint(['tenant_id', 'shipment_id'], ['event_shipments.tenant_id', 'event_shipments.id'], name=op.f('fk_event_shipment_items_tenant_id_shipment_id_event_shipments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_shipment_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_shipment_items')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_shipment_items_tenant_id_id'))
    )
    with op.batch_alter_table('event_shipment_items', schema=None) as batch_op:
        batch_op.create_index('ix_event_shipment_items_shipment', ['tenant_id', 'shipment_id'], unique=False)

    op.create_table('event_leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('interest', sa.String(length=5), nullable=False),
    sa.Column('card_file_id', sa.Integer(), nullable=True),
    sa.Column('captured_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("interest IN ('hot','warm','info')", name=op.f('ck_event_leads_interest')),
    sa.ForeignKeyConstraint(['captured_by_id'], ['users.id'], name=op.f('fk_event_leads_captured_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'card_file_id'], ['stored_files.tenant_id', 'stored_files.id'], name=op.f('fk_event_leads_tenant_id_card_file_id_stored_files')),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_leads_tenant_id_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['leads.tenant_id', 'leads.id'], name=op.f('fk_event_leads_tenant_id_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_leads_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_leads')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_leads_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'lead_id', name=op.f('uq_event_leads_tenant_id_lead_id'))
    )
    with op.batch_alter_table('event_leads', schema=None) as batch_op:
        batch_op.create_index('ix_event_leads_event', ['tenant_id', 'event_id', 'id'], unique=False)

    rls.enable(op, *TABLES)


def downgrade():
    rls.disable(op, *TABLES)
    with op.batch_alter_table('event_leads', schema=None) as batch_op:
        batch_op.drop_index('ix_event_leads_event')

    op.drop_table('event_leads')
    with op.batch_alter_table('event_shipment_items', schema=None) as batch_op:
        batch_op.drop_index('ix_event_shipment_items_shipment')

    op.drop_table('event_shipment_items')
    op.drop_table('event_mailing_texts')
    with op.batch_alter_table('event_mailing_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_event_mailing_recipients_mailing')
        batch_op.drop_index('ix_event_mailing_recipients_email')

    op.drop_table('event_mailing_recipients')
    with op.batch_alter_table('collateral_mailing_items', schema=None) as batch_op:
        batch_op.drop_index('ix_collateral_mailing_items_item')

    op.drop_table('collateral_mailing_items')
    op.drop_table('collateral_reprint_questions')
    with op.batch_alter_table('collateral_event_items', schema=None) as batch_op:
        batch_op.drop_index('ix_collateral_event_items_item')
        batch_op.drop_index('ix_collateral_event_items_event')

    op.drop_table('collateral_event_items')
    with op.batch_alter_table('event_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_event_tasks_open')
        batch_op.drop_index('ix_event_tasks_event')

    op.drop_table('event_tasks')
    with op.batch_alter_table('event_shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_event_shipments_ship_by')
        batch_op.drop_index('ix_event_shipments_event')

    op.drop_table('event_shipments')
    with op.batch_alter_table('event_mailings', schema=None) as batch_op:
        batch_op.drop_index('ix_event_mailings_event')

    op.drop_table('event_mailings')
    with op.batch_alter_table('event_costs', schema=None) as batch_op:
        batch_op.drop_index('ix_event_costs_event')

    op.drop_table('event_costs')
    with op.batch_alter_table('event_attendees', schema=None) as batch_op:
        batch_op.drop_index('ix_event_attendees_user')

    op.drop_table('event_attendees')
    op.drop_table('collateral_stock')
    with op.batch_alter_table('collateral_reprints', schema=None) as batch_op:
        batch_op.drop_index('ix_collateral_reprints_item')

    op.drop_table('collateral_reprints')
    op.drop_table('collateral_reorder_warnings')
    with op.batch_alter_table('collateral_moves', schema=None) as batch_op:
        batch_op.drop_index('ix_collateral_moves_item')

    op.drop_table('collateral_moves')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_opens')
        batch_op.drop_index('ix_events_closes')

    op.drop_table('events')
    op.drop_table('event_unsubscribed')
    with op.batch_alter_table('event_checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_event_checklist_items_position')

    op.drop_table('event_checklist_items')
    op.drop_table('collateral_locations')
    with op.batch_alter_table('collateral_items', schema=None) as batch_op:
        batch_op.drop_index('ix_collateral_items_name')

    op.drop_table('collateral_items')
