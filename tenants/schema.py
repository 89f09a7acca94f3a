"""What Alembic compares: the models against the migrated schema (`coordina db migrate`, tests/tenants/test_schema.py),
leaving out what only migrations make."""
from __future__ import annotations

from tenants.search import is_search_index

# What indexes an expression that differs by database (a contract's notice deadline: an index on SQLite's date()
# expression, a generated column on PostgreSQL), which one model cannot say: migration 0025's alone. Queries name
# them as web.reports.compiled does.
EXPRESSION_INDEXES = {"ix_contracts_deadline"}
GENERATED_COLUMNS = {("contracts", "notice_deadline")}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison of models and schema: the search tables and trigram indexes, and what indexes
    expressions that differ by database, are the migrations' alone (no model has them)."""
    if type_ == "table" and is_search_index(name):
        return False
    if type_ == "column" and (obj.table.name, name) in GENERATED_COLUMNS:
        return False
    return not (type_ == "index" and ((name or "").startswith("ix_search_") or name in EXPRESSION_INDEXES))
