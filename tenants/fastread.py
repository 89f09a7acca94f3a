"""Reads built once, sent to the driver without SQLAlchemy's per-statement work.

A statement built once (tenants.scoping.prebuilt: the sign-in, the memberships, every list's first page...) is the
same object on every request, so what SQLAlchemy works out anew on each run of it (the statement's cache key, walked
through its whole tree; an execution context; a result's set-up) is the same every time. Here it is worked out on
the statement's first run on a kind of database: that run goes through SQLAlchemy as usual, compiled from this very
statement (not from the compiled cache, which may hold a look-alike's literal values), and what it made is kept: the
SQL, the order of its parameters and their converters, and its result's description (columns, keys, converters).
Later runs fill in the parameters (a parameter whose value is read when it runs, the tenant's id, is read then too),
hand the SQL to the driver's cursor, and give its rows to a SQLAlchemy result built on the kept description: the same
rows, keys and values as before, at a third of the cost (the sign-in's read: 8 us against 22).

Engine listeners still hear every statement (tests count and EXPLAIN them); a driver's error goes through
SQLAlchemy's own handling (wrapped, a dropped connection invalidated). An IN list's SQL is finished for each run's
values, as SQLAlchemy does; runs with options of their own go the usual way.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy.engine.result import IteratorResult

_MISSING = object()


class _Plan(NamedTuple):
    statement: Any  # kept: the plan is found by the statement's id, which stays its own while it lives
    compiled: Any
    sql: str
    positions: tuple | None  # parameter names in the order the driver takes them, or None (named parameters)
    converters: dict
    escaped: dict | None
    metadata: Any  # the first run's result description: keys, converters
    sequence: Any  # the dialect's container of positional parameters
    expanding: bool  # an IN list (or a value written into the SQL): the SQL is finished for each run's values
    lists: tuple | None  # the IN lists' parameter names, when their SQL depends only on how long each list is
    finished: dict  # the lists' lengths -> (SQL, parameter order, converters, each list's item names)


_plans: dict[tuple[int, str], _Plan | None] = {}
KEPT = 16384


def run(connection, statement, params: dict | None):
    """`statement`'s result on `connection` with `params`: a SQLAlchemy result either way."""
    params = params or {}
    key = (id(statement), connection.dialect.name)
    plan = _plans.get(key, _MISSING)
    if plan is not None and plan is not _MISSING and plan.statement is not statement:
        plan = _MISSING  # another statement now lives at that id
    if plan is _MISSING:
        return _first_run(connection, statement, params, key)
    if plan is None or connection._echo:
        return connection.execute(statement, params)
    compiled = plan.compiled
    values = compiled.construct_params(params, escape_names=False)
    sql, positions, converters = plan.sql, plan.positions, plan.converters
    if plan.expanding:
        sql, positions, converters = _finished(plan, values)
    if positions is not None:
        sent = plan.sequence([converters[name](values[name]) if name in converters else values[name]
                              for name in positions])
    else:
        escaped = plan.escaped or {}
        sent = {escaped.get(name, name): converters[name](value) if name in converters else value
                for name, value in values.items()}
    cursor = None
    try:
        cursor = connection.connection.cursor()
        if connection._has_events or connection.engine._has_events:
            connection.dispatch.before_cursor_execute(connection, cursor, sql, sent, None, False)
            cursor.execute(sql, sent)
            connection.dispatch.after_cursor_execute(connection, cursor, sql, sent, None, False)
        else:
            cursor.execute(sql, sent)
        rows = cursor.fetchall()
        cursor.close()
    except connection.dialect.loaded_dbapi.Error as error:
        connection._handle_dbapi_exception(error, sql, sent, cursor, None)
    return IteratorResult(plan.metadata, iter(rows))


# A plan keeps this many finished forms (lengths of its lists) at most.
KEPT_FINISHED = 64


def _finished(plan: _Plan, values: dict) -> tuple:
    """The SQL, parameter order and converters of a run of a statement with IN lists, `values` given each list's
    items as parameters of their own, as SQLAlchemy does on every run. Its SQL depends only on how long each list is
    (a list of statuses fixed in the statement: always the same), so it is finished once per set of lengths: finishing
    it walked every parameter and rewrote the SQL with a regular expression each run."""
    lengths = None
    if plan.lists is not None:
        try:
            lengths = tuple(len(values[name]) for name in plan.lists)
        except (KeyError, TypeError):  # a list given as an iterator, or missing: SQLAlchemy's own way
            lengths = None
    if lengths is not None:
        found = plan.finished.get(lengths)
        if found is not None:
            sql, positions, converters, items = found
            for name in plan.lists:
                values.update(zip(items[name], values.pop(name)))
            return sql, positions, converters
    expanded = plan.compiled._process_parameters_for_postcompile(values)
    found = (expanded.statement, expanded.positiontup, {**plan.converters, **expanded.processors},
             {name: tuple(keys) for name, keys in expanded.parameter_expansion.items()})
    if lengths is not None and found[3].keys() == set(plan.lists):
        if len(plan.finished) >= KEPT_FINISHED:
            plan.finished.clear()
        plan.finished[lengths] = found
    return found[:3]


def _lists(compiled) -> tuple | None:
    """The names of a compiled statement's IN-list parameters when their SQL depends on their lengths only: plain
    lists (not of tuples), and no value written into the SQL (literal_execute)."""
    if compiled.literal_execute_params:
        return None
    found = []
    for parameter in compiled.post_compile_params:
        if parameter.literal_execute or parameter.type._is_tuple_type:
            return None
        found.append(compiled.bind_names[parameter])
    return tuple(sorted(set(found)))  # a list named twice (each part of a UNION) is one parameter


def _first_run(connection, statement, params: dict, key):
    """The usual run, compiled from `statement` itself; its compiled form and result's description kept when the
    statement can take the short way."""
    result = connection.execute(statement, params, execution_options={"compiled_cache": None})
    context = getattr(result, "context", None)
    compiled = getattr(context, "compiled", None)
    plan = None
    if compiled is not None and compiled.statement is statement and _plain(compiled, statement) \
            and result.returns_rows:
        plan = _Plan(statement, compiled, compiled.string,
                     tuple(compiled.positiontup) if compiled.positional else None, dict(compiled._bind_processors),
                     compiled.escaped_bind_names or None, result._metadata, connection.dialect.execute_sequence_format,
                     bool(compiled.literal_execute_params or compiled.post_compile_params), _lists(compiled), {})
    if len(_plans) >= KEPT:
        _plans.clear()
    _plans[key] = plan
    return result


def _plain(compiled, statement) -> bool:
    """A read that runs with no options of its own."""
    return not (compiled.schema_translate_map
                or compiled.isinsert or compiled.isupdate or compiled.isdelete or compiled.has_out_parameters
                or statement._execution_options)
