"""The `coordina` command: the demo is safe to run twice, and `db upgrade` keeps the data it finds."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import create_engine, func, select, text

from tenants.models import Membership, Tenant, User
from web.cli import cli


def _env(tmp_path):
    return {"COORDINA_INSTANCE": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "COORDINA_ENV": "development", "SECRET_KEY": ""}


def test_demo_creates_migrates_and_seeds_and_running_it_twice_is_safe(tmp_path):
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "--no-serve"], env=_env(tmp_path), catch_exceptions=False)
    assert first.exit_code == 0, first.output
    for email in ["owner@demo.example.com", "giulia@demo.example.com", "lan@demo.example.com",
                  "marco@demo.example.com", "hana@demo.example.com", "owner@rival.example.com",
                  "wei@merlion.example.com", "minh@lotus.example.com"]:
        assert email in first.output
    assert "coordina-demo" in first.output
    second = runner.invoke(cli, ["demo", "--no-serve"], env=_env(tmp_path), catch_exceptions=False)
    assert second.exit_code == 0, second.output
    engine = create_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Tenant.__table__)) == 2
        # The team of six, and a portal user at each of the two demo distributors.
        assert conn.scalar(select(func.count()).select_from(User.__table__)) == 8
        assert conn.scalar(select(func.count()).select_from(Membership.__table__)) == 8
        giulia = conn.execute(select(User.locale, User.timezone).where(User.email == "giulia@demo.example.com")).one()
        assert tuple(giulia) == ("it", "Europe/Rome")
        assert conn.scalar(select(Tenant.base_currency).where(Tenant.slug == "demo")) == "EUR"
    engine.dispose()


def test_db_upgrade_from_the_first_revision_keeps_existing_rows(tmp_path):
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(cli, ["db", "upgrade", "0001"], env=env, catch_exceptions=False).exit_code == 0
    engine = create_engine(env["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO tenants (slug, name, base_currency, default_locale, timezone, created_at) "
                          "VALUES ('kept', 'Kept Co', 'EUR', 'en', 'UTC', '2026-01-01 00:00:00')"))
    result = runner.invoke(cli, ["db", "upgrade"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT name FROM tenants WHERE slug = 'kept'")) == "Kept Co"
        head = conn.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    from pathlib import Path

    newest = sorted(Path(__file__).resolve().parents[2].glob("migrations/versions/*.py"))[-1]
    assert f"revision = '{head}'" in newest.read_text()


def test_tick_runs_and_reports_each_job(tmp_path):
    runner = CliRunner()
    env = _env(tmp_path)
    runner.invoke(cli, ["db", "upgrade"], env=env, catch_exceptions=False)
    result = runner.invoke(cli, ["tick"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "outbox: sent=0" in result.output


def test_sqlite_keeps_planner_statistics_after_migrations_and_each_tick(tmp_path):
    """Without ANALYZE, SQLite took `tenant_id = ?` for a selective key and picked the wrong index (issue 15)."""
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(cli, ["db", "upgrade"], env=env, catch_exceptions=False).exit_code == 0
    engine = create_engine(env["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO tenants (slug, name, base_currency, default_locale, timezone, created_at) "
                          "VALUES ('big', 'Big Co', 'EUR', 'en', 'UTC', '2026-01-01 00:00:00')"))
        conn.execute(text("DELETE FROM sqlite_stat1"))
    result = runner.invoke(cli, ["tick"], env=env, catch_exceptions=False)
    assert "statistics: refreshed=1" in result.output
    with engine.connect() as conn:
        analysed = {row[0] for row in conn.execute(text("SELECT tbl FROM sqlite_stat1"))}
    engine.dispose()
    assert "tenants" in analysed
