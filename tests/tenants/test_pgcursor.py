"""PostgreSQL's cursors describe a result's columns only when asked, and then as psycopg would."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from tenants.db import db
from tenants.models import Role
from tenants.pgcursor import Cursor

pytestmark = pytest.mark.postgres_only


def test_the_app_reads_through_cursors_that_describe_on_demand(app):
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.driver_connection.cursor()
            assert isinstance(cursor, Cursor)
            cursor.execute("SELECT 1 AS one, 'x'::text AS letter")
            description = cursor.description
            assert len(description) == 2
            assert [column.name for column in description] == ["one", "letter"]
            plain = psycopg.Cursor(connection.driver_connection)
            plain.execute("SELECT 1 AS one, 'x'::text AS letter")
            assert [tuple(column) for column in description] == [tuple(column) for column in plain.description]
            cursor.execute("SELECT 1 AS one")
            stale = cursor.description
            cursor.execute("SELECT 2 AS two")
            with pytest.raises(RuntimeError):
                list(stale)  # never the next statement's columns under the first one's description
            cursor.execute("SET LOCAL statement_timeout = 0")
            assert cursor.description is None  # no rows: None, as psycopg says
        finally:
            connection.rollback()
            connection.close()


def test_sqlalchemy_results_keep_their_column_names(app):
    """A result's keys come from the description on a statement's first run and from its compiled form after."""
    with app.app_context():
        for _ in range(3):
            result = db.session.execute(text("SELECT 7 AS seven, 'a' AS a"))
            assert list(result.keys()) == ["seven", "a"]
            assert result.one()._mapping == {"seven": 7, "a": "a"}
        db.session.rollback()


def test_a_rollback_undoes_the_rows_and_keeps_the_statements_prepared_on_the_server(app):
    """Every request ends in a rollback: psycopg's own forgot the statements it had prepared (DEALLOCATE ALL), so none
    ever ran prepared. The app's connections keep them, and a rollback still undoes what the transaction wrote."""
    from tenants.pgcursor import Connection

    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            driver = connection.driver_connection
            assert isinstance(driver, Connection)
            driver.execute("CREATE TEMP TABLE scratch (n integer)")
            driver.commit()
            for n in range(6):  # psycopg prepares a statement on its fifth run
                assert driver.execute("SELECT count(*) FROM scratch WHERE n >= %s", (0,)).fetchone() == (0,)
                driver.execute("INSERT INTO scratch VALUES (%s)", (n,))
                connection.rollback()
            prepared = driver.execute("SELECT statement FROM pg_prepared_statements").fetchall()
            assert any("FROM scratch WHERE n >=" in statement for (statement,) in prepared), prepared
            assert driver.execute("SELECT count(*) FROM scratch WHERE n >= %s", (0,)).fetchone() == (0,)  # undone
            connection.rollback()
            with pytest.raises(psycopg.errors.DivisionByZero):
                driver.execute("SELECT 1 / 0")
            connection.rollback()  # a failed transaction: psycopg's own rollback, and the connection goes on
            assert driver.execute("SELECT 2").fetchone() == (2,)
        finally:
            connection.rollback()
            connection.close()


def test_a_statement_marked_custom_plan_is_planned_for_each_run_never_prepared(app, world, cf):
    """Planned once for any values, PostgreSQL took a year of end dates for two rows and a common trigram for a rare
    one (tenants.pgcursor.custom_plan): those statements are never prepared, and the renewals calendar's sums and
    a search's candidates are such statements."""
    from tenants.pgcursor import CUSTOM_PLAN
    from tenants.scoping import tenant_context
    from web.contracts.service import ListFilters, filtered
    from web.renewals.calendar import _rollup_sums

    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            driver = connection.driver_connection
            for _ in range(6):
                driver.execute(f"SELECT {CUSTOM_PLAN} count(*) FROM pg_class WHERE relpages >= %s", (0,)).fetchone()
                driver.execute("SELECT count(*) FROM pg_class WHERE relpages >= %s", (0,)).fetchone()
                connection.rollback()
            prepared = [statement for (statement,) in driver.execute("SELECT statement FROM pg_prepared_statements")]
            assert any("FROM pg_class" in statement for statement in prepared), prepared  # the unmarked one
            assert not any(CUSTOM_PLAN in statement for statement in prepared), prepared
        finally:
            connection.rollback()
            connection.close()
        with tenant_context(world.acme.id):
            search = filtered(world.coordinator, Role.coordinator, ListFilters(q="harbor lane"))
            assert CUSTOM_PLAN in str(search.compile(db.engine))
            assert CUSTOM_PLAN in str(_rollup_sums(Role.coordinator, False).compile(db.engine))
            db.session.rollback()
