"""Search-as-you-type that reads an index, not every row of the tenant.

`lower(title) LIKE '%q%'` cannot use a B-tree: at 100,000 contracts it read them all on every keystroke (185 ms
on SQLite, 90 ms on PostgreSQL). Here the same question ("the text contains what was typed", case folded) is
answered through trigrams. On SQLite an FTS5 table with the trigram tokenizer (kept in step with its table by
triggers, migration 0013) is asked with MATCH. On PostgreSQL the app reads under row-level security, where no
trigram operator may go into an index scan (none is leakproof): search_grams (migration 0020) holds each searched
row's trigrams, a search takes the rows that have its rarest trigram through that table's key (text equality is
leakproof), and the same LIKE checks them.
Trigrams need three characters: a shorter query reads a prefix of a key column instead (an index range).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    false,
    literal_column,
    or_,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text

from tenants.db import db
from tenants.scoping import require_tenant_id

# The FTS5 tables of migration 0009: name -> (content table, its indexed columns).
FTS_TABLES = {
    "contracts_fts": ("contracts", ("number", "title")),
    "accounts_fts": ("accounts", ("name_key", "domain")),
    "leads_fts": ("leads", ("company_key", "contact_name", "email", "phone_key")),
}
_FTS_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")

# PostgreSQL's search_grams (migration 0020): table -> (its kind in search_grams, the columns whose change re-indexes a
# row, the expressions whose trigrams are kept, over {row}). The expressions are the ones the LIKE tests (Term).
GRAM_SOURCES = {
    "contracts": (1, ("number", "title"), ("lower({row}.number)", "lower({row}.title)")),
    "accounts": (2, ("name_key", "domain"), ("{row}.name_key", "{row}.domain")),
    "leads": (3, ("company_key", "contact_name", "email", "phone_key"),
              ("{row}.company_key", "lower({row}.contact_name)", "{row}.email", "{row}.phone_key")),
}
# Counting a trigram's rows stops here: past it, a trigram is common enough that which one is rarest hardly matters.
RAREST_COUNTED = 2000


def is_search_index(name: str) -> bool:
    """An FTS5 table or one of its shadow tables, or PostgreSQL's search_grams: search's, not a model's."""
    return name == "search_grams" or any(name == table or name == table + shadow
                                         for table in FTS_TABLES for shadow in _FTS_SHADOWS)


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
        long_enough = [t for t in terms if len(t.value) >= 3]
        return and_(id_column.in_(_gram_candidates(FTS_TABLES[fts_table][0], [t.value for t in long_enough])),
                    or_(*(t.expression.contains(t.value, autoescape=True) for t in long_enough)))
    rowids = _fts_rowids(fts_table, terms)
    return false() if rowids is None else id_column.in_(rowids)


def matching_ids(id_column, fts_table: str, terms: list[Term], *, prefix: ColumnElement | None = None,
                 prefix_value: str | None = None):
    """The ids `matching` accepts, as a subquery for an IN that has its own tenant condition beside it (a union of
    several ways to match). On SQLite, for three characters or more, the FTS5 table's rowids alone: a select of
    the table's ids checked each match's tenant in an index first (1,111 probes, 0.4 of a 1 ms contract search at
    100,000 contracts), which the outer statement's own condition does anyway. The ids may then be another
    workspace's, so they are for such an IN only."""
    long_enough = [t for t in terms if len(t.value or "") >= 3]
    rowids = _fts_rowids(fts_table, long_enough) if long_enough and not _postgres() else None
    if rowids is not None:
        return rowids
    return select(id_column).where(matching(id_column, fts_table, terms, prefix=prefix, prefix_value=prefix_value))


def _fts_rowids(fts_table: str, terms: list[Term]):
    """SQLite: the rowids of `fts_table` where some term (three characters or more) is found, or None if no term
    can be asked of it."""
    _content, columns = FTS_TABLES[fts_table]
    # MATCH takes one query string, built as text with bound phrases: "{col1 col2} : phrase OR ...", one phrase for
    # each value, asked of every column that holds that value. FTS5 then reads the phrase's trigrams once for all
    # its columns, where "{col1} : phrase OR {col2} : phrase" read them once per column (a lead's search, the same
    # text in three columns: 0.85 against 0.31 ms at 100,000 leads).
    by_value: dict[str, list[str]] = {}
    for t in terms:
        if len(t.value) >= 3 and t.name in columns and t.name not in by_value.setdefault(t.value, []):
            by_value[t.value].append(t.name)
    query = " OR ".join(f"{{{' '.join(names)}}} : " + _fts_phrase(value) for value, names in by_value.items()
                        if names)
    if not query:
        return None
    return select(literal_column("rowid")).select_from(text(fts_table)).where(
        text(f"{fts_table} MATCH :q").bindparams(bindparam("q", query, unique=True)))


def either(*selects):
    """The ids any of `selects` finds, for an IN: UNION ALL on SQLite (the IN keeps each id once; UNION sorted them
    first), UNION on PostgreSQL, whose planner took a UNION ALL inside an IN for 200 rows and joined a contract
    search's 1,111 matches to every contract by a nested loop's filter (4 s of database CPU at 100,000 contracts)."""
    return union(*selects) if _postgres() else union_all(*selects)


def trigrams(value: str) -> list[str]:
    """The distinct three-character pieces of `value`, as migration 0020 cuts a searched column's (substr)."""
    return sorted({value[i:i + 3] for i in range(len(value) - 2)})


def _gram_candidates(table: str, values: list[str]):
    """PostgreSQL: the ids of `table`'s rows that have, for some value, that value's rarest trigram (every row
    containing the value has all its trigrams, so none is missed; the LIKE beside this drops the rest).

    One statement: for each value, its trigrams are counted in search_grams' key (each count stops at
    RAREST_COUNTED) and the rarest one's rows are read. A value found in a thousand rows of a hundred thousand
    costs a thousand index entries, not the tenant's table."""
    kind = GRAM_SOURCES[table][0]
    tenant = bindparam("tenant", require_tenant_id(), type_=Integer, unique=True)
    rarest, params = [], [tenant]
    # Unique parameters: a statement may search two tables (a contract's own text and its account's name).
    for i, value in enumerate(sorted(set(values))):
        params.append(bindparam(f"grams_{i}", trigrams(value), type_=ARRAY(Text), unique=True))
        rarest.append(
            f"(SELECT x.gram FROM unnest(:grams_{i}) AS x(gram) ORDER BY (SELECT count(*) FROM (SELECT 1 "
            f"FROM search_grams c WHERE c.tenant_id = :tenant AND c.kind = {kind} AND c.gram = x.gram "
            f"LIMIT {RAREST_COUNTED}) AS counted), x.gram LIMIT 1)")
    sql = (f"SELECT g.row_id FROM search_grams g WHERE g.tenant_id = :tenant AND g.kind = {kind} "
           f"AND g.gram IN ({', '.join(rarest)})")
    return text(sql).bindparams(*params).columns(row_id=Integer)
