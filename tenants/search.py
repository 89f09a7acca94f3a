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
    any_,
    bindparam,
    false,
    func,
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
from tenants.pgcursor import CUSTOM_PLAN
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


def _like_escaped(value: str) -> str:
    """`value` for a LIKE with ESCAPE '/': its wildcards and the escape character taken literally."""
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")


class Words:
    """What was typed, as a search condition: the way it is asked (an FTS5 MATCH, trigrams, a key's prefix, nothing)
    and, for each way, the parameters that carry the words.

    The condition's shape (`shape`: the way, and on PostgreSQL which columns are asked and how many distinct
    values) is all its SQL depends on: the words are bound parameters named `<name>_...` (`values`), so a statement
    built for one search runs any search of the same shape (tenants.scoping.built_once: a list's search-as-you-type
    then builds no statement per keystroke, a third of its cost). The workspace's id is read when the statement
    runs, never kept from the search that built it. Without a `name`, the parameters are anonymous (a statement
    built for one request)."""

    def __init__(self, fts_table: str, terms: list[Term], *, prefix_value: str | None = None,
                 name: str | None = None):
        self.fts_table, self.name = fts_table, name
        self.terms = [t for t in terms if t.value]
        self.values: dict[str, object] = {}
        if not self.terms:
            self.way = "none"
        elif max(len(t.value) for t in self.terms) < 3:
            self.way = "prefix" if prefix_value else "none"
            self.values["prefix"] = _like_escaped(prefix_value or "") + "%"
        elif _postgres():
            self.way = "grams"
            self.terms = [t for t in self.terms if len(t.value) >= 3]
            for i, value in enumerate(sorted({t.value for t in self.terms})):
                self.values[f"grams_{i}"] = trigrams(value)
            for i, t in enumerate(self.terms):
                self.values[f"like_{i}"] = "%" + _like_escaped(t.value) + "%"
        else:
            query = _fts_query(fts_table, self.terms)
            self.way = "fts" if query else "none"
            self.values["match"] = query
        grams = sum(1 for key in self.values if key.startswith("grams_"))
        self.shape = (self.way, grams, tuple(t.name for t in self.terms) if self.way == "grams" else ())

    def params(self) -> dict:
        """This search's words as the named parameters a statement built for its shape takes."""
        return {f"{self.name}_{key}": value for key, value in self.values.items()} if self.name else {}

    def _param(self, key: str, type_=None):
        """The bind parameter of `self.values[key]`: named `<name>_<key>`, or anonymous (unique) without a name; a
        text() clause writes it as `:` and its _orig_key (a unique one's key is made anonymous)."""
        return bindparam(f"{self.name or 'search'}_{key}", self.values[key], type_=type_, unique=self.name is None)

    def condition(self, id_column, *, prefix: ColumnElement | None = None) -> ColumnElement[bool]:
        """Some term's column contains its words (index-backed at any length): id_column is the searched table's
        key (the FTS5 rowid); below three characters only `prefix` (a key column with an index) is asked."""
        if self.way == "none" or (self.way == "prefix" and prefix is None):
            return false()
        if self.way == "prefix":
            return prefix.like(self._param("prefix"), escape="/")
        if self.way == "grams":
            return and_(id_column.in_(self._gram_candidates()),
                        or_(*(t.expression.like(self._param(f"like_{i}"), escape="/")
                              for i, t in enumerate(self.terms))))
        return id_column.in_(self._fts_rowids())

    def ids(self, id_column, *, prefix: ColumnElement | None = None):
        """The ids `condition` accepts, as a subquery for an IN that has its own tenant condition beside it (a
        union of several ways to match). On SQLite, for three characters or more, the FTS5 table's rowids alone: a
        select of the table's ids checked each match's tenant in an index first (1,111 probes, 0.4 of a 1 ms
        contract search at 100,000 contracts), which the outer statement's own condition does anyway. The ids may
        then be another workspace's, so they are for such an IN only."""
        if self.way == "fts":
            return self._fts_rowids()
        return select(id_column).where(self.condition(id_column, prefix=prefix))

    def _fts_rowids(self):
        """SQLite: the rowids of the FTS5 table where some term is found."""
        match = self._param("match")
        return select(literal_column("rowid")).select_from(text(self.fts_table)).where(
            text(f"{self.fts_table} MATCH :{match._orig_key}").bindparams(match))

    def _gram_candidates(self):
        """PostgreSQL: the ids of the table's rows that have, for some value, that value's rarest trigram (every
        row containing the value has all its trigrams, so none is missed; the LIKE beside this drops the rest).

        One statement: for each value, its trigrams are counted in search_grams' key (each count stops at
        RAREST_COUNTED) and the rarest one's rows are read. A value found in a thousand rows of a hundred thousand
        costs a thousand index entries, not the tenant's table."""
        kind = GRAM_SOURCES[FTS_TABLES[self.fts_table][0]][0]
        grams = sorted(key for key in self.values if key.startswith("grams_"))
        # Read when the statement runs: a statement kept for its shape must never carry a workspace's id.
        tenant = bindparam(f"{self.name or 'search'}_tenant", type_=Integer, callable_=require_tenant_id,
                           unique=self.name is None)
        params, rarest = [tenant], []
        for key in grams:
            param = self._param(key, ARRAY(Text))
            params.append(param)
            rarest.append(
                f"(SELECT x.gram FROM unnest(:{param._orig_key}) AS x(gram) ORDER BY (SELECT count(*) FROM (SELECT 1 "
                f"FROM search_grams c WHERE c.tenant_id = :{tenant._orig_key} AND c.kind = {kind} AND c.gram = x.gram "
                f"LIMIT {RAREST_COUNTED}) AS counted), x.gram LIMIT 1)")
        # Planned for each search (tenants.pgcursor.CUSTOM_PLAN): planned once, for any words, PostgreSQL took a
        # trigram found in a thousand rows for a rare one (a leads search at 100,000 rows: 17 ms against 8).
        sql = (f"SELECT {CUSTOM_PLAN} g.row_id FROM search_grams g "
               f"WHERE g.tenant_id = :{tenant._orig_key} AND g.kind = {kind} "
               f"AND g.gram IN ({', '.join(rarest)})")
        return text(sql).bindparams(*params).columns(row_id=Integer)


def matching(id_column, fts_table: str, terms: list[Term], *, prefix: ColumnElement | None = None,
             prefix_value: str | None = None) -> ColumnElement[bool]:
    """A condition, built for this request: some term's column contains its value (Words.condition)."""
    return Words(fts_table, terms, prefix_value=prefix_value).condition(id_column, prefix=prefix)


def matching_ids(id_column, fts_table: str, terms: list[Term], *, prefix: ColumnElement | None = None,
                 prefix_value: str | None = None):
    """The ids `matching` accepts, built for this request, for an IN with its own tenant condition (Words.ids)."""
    return Words(fts_table, terms, prefix_value=prefix_value).ids(id_column, prefix=prefix)


def _fts_query(fts_table: str, terms: list[Term]) -> str:
    """SQLite: the MATCH query asking `fts_table` for any term (three characters or more), or '' if none can be
    asked of it."""
    _content, columns = FTS_TABLES[fts_table]
    # MATCH takes one query string, built as text with bound phrases: "{col1 col2} : phrase OR ...", one phrase for
    # each value, asked of every column that holds that value. FTS5 then reads the phrase's trigrams once for all
    # its columns, where "{col1} : phrase OR {col2} : phrase" read them once per column (a lead's search, the same
    # text in three columns: 0.85 against 0.31 ms at 100,000 leads).
    by_value: dict[str, list[str]] = {}
    for t in terms:
        if len(t.value) >= 3 and t.name in columns and t.name not in by_value.setdefault(t.value, []):
            by_value[t.value].append(t.name)
    return " OR ".join(f"{{{' '.join(names)}}} : " + _fts_phrase(value) for value, names in by_value.items()
                       if names)


def either(*selects):
    """The ids any of `selects` finds, for an IN: UNION ALL on SQLite (the IN keeps each id once; UNION sorted them
    first), UNION on PostgreSQL, whose planner took a UNION ALL inside an IN for 200 rows and joined a contract
    search's 1,111 matches to every contract by a nested loop's filter (4 s of database CPU at 100,000 contracts)."""
    return union(*selects) if _postgres() else union_all(*selects)


def among(id_column, *selects) -> ColumnElement[bool]:
    """`id_column` is one of the ids any of `selects` finds (search.either). On PostgreSQL as `= ANY(ARRAY(...))`:
    the ids are gathered once, and the table is then read by its key for each. Asked as an IN, the planner took
    the contract search's union for 6,669 ids (an account's name matching counts as all the contracts of an average
    account: 16,670 in a workspace of 100,000 contracts on six accounts) and read every contract of the workspace
    to hash-join them with the 1,111 it found (27 ms of the database's time at 100,000 contracts; 8 this way)."""
    if _postgres():
        return id_column == any_(func.array(union(*selects).scalar_subquery()))
    return id_column.in_(either(*selects))


def trigrams(value: str) -> list[str]:
    """The distinct three-character pieces of `value`, as migration 0020 cuts a searched column's (substr)."""
    return sorted({value[i:i + 3] for i in range(len(value) - 2)})
