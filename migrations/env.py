"""Alembic environment: migrations run as the schema owner, then the app role gets its grants."""
import logging

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.types import TypeDecorator

from tenants import schema
from tenants.db import refresh_statistics

# The app that runs the migrations has installed every feature: all their tables are on the metadata.

config = context.config
log = logging.getLogger("alembic.env")
target_db = current_app.extensions["migrate"].db


def _engine():
    admin_url = current_app.config.get("DATABASE_ADMIN_URL")
    return create_engine(admin_url) if admin_url else target_db.engine


def _grant_app_role(connection) -> None:
    """The app connects as its own role: it may read and write rows, never own or alter the tables."""
    if connection.dialect.name != "postgresql":
        return
    app_user = make_url(current_app.config["DATABASE_URL"]).username
    owner = connection.execute(text("SELECT current_user")).scalar()
    if not app_user or app_user == owner:
        return
    role = connection.dialect.identifier_preparer.quote(app_user)
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
    connection.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}"))
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))


def _render_item(type_, obj, autogen_context):
    """Write our column types as the plain SQL types they store, so migrations never import app code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def run_migrations_offline():
    context.configure(url=current_app.config["DATABASE_URL"], target_metadata=target_db.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            log.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.pop("render_as_batch", None)
    engine = _engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table (copy, drop, rename). With foreign keys on, dropping a table others point
            # at (contracts) deletes their rows on cascade or fails: keys go off for the run (this pragma only takes
            # outside a transaction, so first) and are checked whole before the commit.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=_render_item,
            include_object=schema.include_object,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
            _grant_app_role(connection)
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migrations left rows pointing at nothing: {broken[:5]}")
        refresh_statistics(connection, owner=True)
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    if engine is not target_db.engine:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
