"""Search-as-you-type that reads an index, not every row of the tenant.

`lower(title) LIKE '%q%'` cannot use a B-tree: at 100,000 contracts it read them all on every keystroke (185 ms
on SQLite, 90 ms on PostgreSQL). Here the same question ("the text contains what was typed", case folded) is
answered by a trigram index: on PostgreSQL pg_trgm's GIN indexes serve that very LIKE; on SQLite an FTS5 table
with the trigram tokenizer (kept in step with its table by triggers, migration 0009) is asked with MATCH.
Trigrams need three characters: a shorter query reads a prefix of a key column instead (an index range).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, false, literal_column, or_, select, text

from tenants.db import db

# The FTS5 tables of migration 0009: name -> (content table, its indexed columns).
FTS_TABLES = {
    "contracts_fts": ("contracts", ("number", "title")),
    "accounts_fts": ("accounts", ("name_key", "domain")),
    "leads_fts": ("leads", ("company_key", "contact_name", "email", "phone_key")),
}
_FTS_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")


def is_search_index(name: str) -> bool:
    """An FTS5 table or one of its shadow tables: search's, not a model's."""
    return any(name == table or name == table + shadow for table in FTS_TABLES for shadow in _FTS_SHADOWS)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison of models and schema: the search tables and trigram indexes are the migration's
    alone (no model has them)."""
    if type_ == "table" and is_search_index(name):
        return False
    return not (type_ == "index" and (name or "").startswith("ix_search_"))


@dataclass(frozen=True)
class Term:
    """What to look for in one column: its name in the FTS5 table, the expression its PostgreSQL trigram index
    is on (lower(title), or the column when it is stored folded), and the text folded the same way."""
    name: str
    expression: ColumnElement
    value: str


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _fts_phrase(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def matching(id_column, fts_table: str, terms: list[Term], *, prefix: ColumnElement | None = None,
             prefix_value: str | None = None) -> ColumnElement[bool]:
    """A condition: some term's column contains its value. Index-backed at any length of query.

    id_column is the searched table's primary key (the FTS5 rowid); terms name that table's columns, each with
    the value as stored there (lower-cased, or normalised like name_key). Below three characters, only
    `prefix` (a key column with an index) starting with `prefix_value` is asked.
    """
    terms = [t for t in terms if t.value]
    if not terms:
        return false()
    if max(len(t.value) for t in terms) < 3:
        if prefix is None or not prefix_value:
            return false()
        return prefix.startswith(prefix_value, autoescape=True)
    if _postgres():
        return or_(*(t.expression.contains(t.value, autoescape=True) for t in terms if len(t.value) >= 3))
    _content, columns = FTS_TABLES[fts_table]
    # MATCH takes one query string: "{col1 col2} : phrase OR ..." is built as text with bound phrases.
    query = " OR ".join(f"{{{t.name}}} : " + _fts_phrase(t.value) for t in terms
                        if len(t.value) >= 3 and t.name in columns)
    if not query:
        return false()
    stmt = select(literal_column("rowid")).select_from(text(fts_table)).where(
        text(f"{fts_table} MATCH :q").bindparams(bindparam("q", query, unique=True)))
    return id_column.in_(stmt)
