"""Rollup tables kept by database triggers: counts and sums of a source table per group, written by the database
on every insert, update and delete of the source (the ORM's, a bulk UPDATE's, a foreign key's SET NULL, a tenant's
deletion), so a page sums a few rollup rows instead of every source row (issue 15: the same cost at 100,000 rows
as at 1,000). Migrations build them (0018, 0025); this is their shared shape, for SQLite and PostgreSQL, and that
of any table triggers keep (Triggers: 0025's first signature of each account).

A rollup's keys are SQL expressions of the source row ({row} is NEW, OLD or the source table), never NULL (a NULL
key would make a group of its own on every write: use coalesce), and its sums are named expressions of the row.
"""
from __future__ import annotations


class Triggers:
    """Row triggers on `source` that keep another table: `leave(row)` is the SQL for a row that goes (OLD: a delete,
    or the old side of an update of a `watched` column), `arrive(row)` for one that comes (NEW). `when(row)`, a
    condition, lets the insert and delete triggers skip rows that count for nothing; an update runs both sides on
    SQLite, so their SQL must do nothing for such rows.

    On PostgreSQL one function runs them. A foreign key's SET NULL (a user removed) writes the source with no tenant
    in force, and row-level security would refuse the kept table's row: the function takes the tenant of the row it
    follows (a write the database has already allowed) for its own statements only, and puts the setting back
    before it returns."""

    def __init__(self, name: str, source: str, watched: str, leave, arrive, when=None):
        self.name, self.source, self.watched, self.leave, self.arrive, self.when = (
            name, source, watched, leave, arrive, when)

    def create(self, dialect: str) -> list[str]:
        return self._postgresql() if dialect == "postgresql" else self._sqlite()

    def _sqlite(self) -> list[str]:
        def when(row):
            return f" WHEN {self.when(row)}" if self.when else ""
        return [f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.source}{when('NEW')} BEGIN "
                f"{self.arrive('NEW')} END",
                f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.source}{when('OLD')} BEGIN "
                f"{self.leave('OLD')} END",
                f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {self.watched} ON {self.source} BEGIN "
                f"{self.leave('OLD')} {self.arrive('NEW')} END"]

    def _postgresql(self) -> list[str]:
        def when(row):
            return f" AND {self.when(row)}" if self.when else ""
        return [f"""CREATE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kept text := current_setting('app.tenant_id', true);
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE'){when('OLD')} THEN
    PERFORM set_config('app.tenant_id', OLD.tenant_id::text, true);
    {self.leave('OLD')}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE'){when('NEW')} THEN
    PERFORM set_config('app.tenant_id', NEW.tenant_id::text, true);
    {self.arrive('NEW')}
  END IF;
  PERFORM set_config('app.tenant_id', coalesce(kept, ''), true);
  RETURN NULL;
END $$""",
                f"CREATE TRIGGER {self.name}_insert AFTER INSERT OR DELETE ON {self.source} FOR EACH ROW "
                f"EXECUTE FUNCTION {self.name}()",
                f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {self.watched} ON {self.source} FOR EACH ROW "
                f"EXECUTE FUNCTION {self.name}()"]

    def drop(self, dialect: str) -> list[str]:
        if dialect == "postgresql":
            return [f"DROP TRIGGER IF EXISTS {self.name}_update ON {self.source}",
                    f"DROP TRIGGER IF EXISTS {self.name}_insert ON {self.source}", f"DROP FUNCTION IF EXISTS {self.name}()"]
        return [f"DROP TRIGGER IF EXISTS {self.name}_{what}" for what in ("insert", "delete", "update")]


class Rollup:
    """A rollup table over a source table: its group columns (each an SQL expression of the source row), a counter
    and any number of sums. `amount` is one expression (the column named amount) or {column: expression}; `name`
    prefixes the triggers (and PostgreSQL's function), by default SOURCE_rollup."""

    def __init__(self, table, source, keys, counter, amount, watched, name: str | None = None):
        self.table, self.source, self.keys, self.counter, self.watched = table, source, keys, counter, watched
        self.sums = amount if isinstance(amount, dict) else {"amount": amount}
        self.name = name or f"{source}_rollup"

    @property
    def group(self) -> str:
        return ", ".join(["tenant_id", *self.keys])

    @property
    def columns(self) -> str:
        return ", ".join([self.group, self.counter, *self.sums])

    def values(self, row: str) -> str:
        return ", ".join([f"{row}.tenant_id", *(e.format(row=row) for e in self.keys.values())])

    def match(self, row: str) -> str:
        return " AND ".join([f"tenant_id = {row}.tenant_id",
                             *(f"{col} = {e.format(row=row)}" for col, e in self.keys.items())])

    def change(self, row: str, sign: str) -> str:
        sets = [f"{self.counter} = {self.counter} {sign} 1",
                *(f"{col} = {col} {sign} {e.format(row=row)}" for col, e in self.sums.items())]
        return f"UPDATE {self.table} SET {', '.join(sets)} WHERE {self.match(row)};"

    def _add(self, row: str, sign: str) -> str:
        """SQLite: the row's group made if missing, then counted. Not INSERT OR IGNORE: a foreign key's SET NULL (a
        user removed) runs the trigger under its own conflict policy, which overrides the body's; SQLite has one
        writer at a time, so NOT EXISTS is enough."""
        zeros = ", ".join("0" for _ in range(len(self.sums) + 1))
        return (f"INSERT INTO {self.table} ({self.columns}) SELECT {self.values(row)}, {zeros} "
                f"WHERE NOT EXISTS (SELECT 1 FROM {self.table} WHERE {self.match(row)}); {self.change(row, sign)}")

    def _upsert(self, row: str) -> str:
        """PostgreSQL: the row counted into its group, made if missing."""
        new = ", ".join(["1", *(e.format(row=row) for e in self.sums.values())])
        summed = ", ".join([f"{self.counter} = {self.table}.{self.counter} + 1",
                            *(f"{col} = {self.table}.{col} + EXCLUDED.{col}" for col in self.sums)])
        return (f"INSERT INTO {self.table} ({self.columns})\n    VALUES ({self.values(row)}, {new})\n"
                f"    ON CONFLICT ({self.group}) DO UPDATE SET {summed};")

    def triggers(self, dialect: str) -> Triggers:
        if dialect == "postgresql":
            return Triggers(self.name, self.source, self.watched, lambda row: self.change(row, "-"), self._upsert)
        return Triggers(self.name, self.source, self.watched, lambda row: self._add(row, "-"),
                        lambda row: self._add(row, "+"))

    def backfill(self, where: str = "") -> str:
        exprs = ", ".join(e.format(row=self.source) for e in self.keys.values())
        sums = ", ".join(["count(*)", *(f"sum({e.format(row=self.source)})" for e in self.sums.values())])
        places = ", ".join(str(i) for i in range(1, len(self.keys) + 2))
        return (f"INSERT INTO {self.table} ({self.columns}) SELECT {self.source}.tenant_id, {exprs}, {sums} "
                f"FROM {self.source} {where} GROUP BY {places}")

    def create(self, op, bind, rls) -> None:
        """Fill the rollup from the source as it is and install its triggers (in a migration: `op`, its bind and
        tenants.rls)."""
        if bind.dialect.name == "postgresql":
            rls.enable(op, self.table)
        fill(op, bind, lambda tenant_id: self.backfill(
            "" if tenant_id is None else f"WHERE {self.source}.tenant_id = {int(tenant_id)}"))
        for sql in self.triggers(bind.dialect.name).create(bind.dialect.name):
            op.execute(sql)

    def drop(self, dialect: str) -> list[str]:
        return self.triggers(dialect).drop(dialect)


def fill(op, bind, statement) -> None:
    """Run the SQL `statement(tenant_id)` gives, which fills a table from its source: on PostgreSQL tenant by tenant
    with that tenant in force (row-level security binds the migration too), on SQLite once (tenant_id None)."""
    import sqlalchemy as sa

    if bind.dialect.name != "postgresql":
        op.execute(statement(None))
        return
    for (tenant_id,) in bind.execute(sa.text("SELECT id FROM tenants ORDER BY id")).all():
        bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        op.execute(statement(tenant_id))
    bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))
