"""PostgreSQL row-level security for tenant tables: the database's own, last line of isolation.

Migrations call enable() for every tenant table they create. The policy reads the transaction-local
setting app.tenant_id (set by tenants.scoping at the start of each transaction); with no tenant set,
NULLIF turns the empty setting into NULL and no row matches. FORCE makes the policy bind the table
owner too; superusers and BYPASSRLS roles still skip it, which is why the app has its own role.
"""
from __future__ import annotations

POLICY = "tenant_isolation"
CONDITION = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"


def statements(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {POLICY} ON {table} USING ({CONDITION}) WITH CHECK ({CONDITION})",
    ]


def enable(op, *tables: str) -> None:
    """Turn RLS on for these tables (PostgreSQL only; SQLite relies on the ORM layer)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        for sql in statements(table):
            op.execute(sql)


def disable(op, *tables: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


# Partner isolation inside a tenant: a RESTRICTIVE policy, so it is ANDed with the tenant policy above. With no
# partner set (staff, jobs) it lets the tenant policy decide; with one set, only that distributor's rows match.
PARTNER_POLICY = "partner_isolation"


def partner_condition(column: str) -> str:
    return (f"NULLIF(current_setting('app.partner_id', true), '') IS NULL "
            f"OR {column} = NULLIF(current_setting('app.partner_id', true), '')::integer")


def enable_partner(op, table: str, column: str = "distributor_id") -> None:
    """Add the partner policy to a partner-owned tenant table (after enable())."""
    if op.get_bind().dialect.name != "postgresql":
        return
    condition = partner_condition(column)
    op.execute(f"CREATE POLICY {PARTNER_POLICY} ON {table} AS RESTRICTIVE USING ({condition}) "
               f"WITH CHECK ({condition})")


def disable_partner(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY IF EXISTS {PARTNER_POLICY} ON {table}")
