"""The `coordina` command: Flask's own commands (run, shell, routes, db ...) plus ours."""
from __future__ import annotations

import os
import threading
import time
from datetime import date
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import run_simple

from i18n.catalogs import compile_catalogs
from i18n.fx import RateUnavailable
from i18n.locales import SUPPORTED_LOCALES
from i18n.money import Money, MoneyError
from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context

from . import create_app, demo, tick
from .rates import service


def _create():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create, add_version_option=False)
def cli():
    """Coordina: the workspace of sales coordinators."""


@cli.command("tick")
@with_appcontext
def tick_command():
    """Run scheduled work once (cron it every few minutes; safe on several machines)."""
    for name, summary in tick.run(current_app._get_current_object()).items():
        click.echo(f"{name}: " + ", ".join(f"{k}={v}" for k, v in summary.items()))


@cli.command("demo")
@click.option("--port", default=5000, show_default=True, help="Port to serve on (127.0.0.1).")
@click.option("--no-serve", is_flag=True, help="Create and seed the demo database, then exit.")
@with_appcontext
def demo_command(port: int, no_serve: bool):
    """Create, migrate and seed the demo database, print the logins and serve the app."""
    app = current_app._get_current_object()
    upgrade()
    logins = demo.seed()
    tick.run(app)  # statuses and reminders as they would be this morning
    click.echo("\nCoordina demo is ready. Every demo password is: " + demo.PASSWORD)
    for email, role, where in logins:
        click.echo(f"  {email:<28} {role:<12} {where}")
    if no_serve:
        return
    click.echo(f"\nServing on http://127.0.0.1:{port}/  (Ctrl+C to stop)")

    def ticker():
        while True:
            time.sleep(30)
            with app.app_context():
                tick.run(app)

    threading.Thread(target=ticker, daemon=True).start()
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False, use_debugger=False)


@cli.group("i18n")
def i18n_group():
    """Translation catalogs: extract, update, compile."""


@i18n_group.command("extract")
def i18n_extract():
    """Extract messages into i18n/messages.pot and merge them into every catalog."""
    root = Path(__file__).resolve().parent.parent
    pot = str(root / "i18n" / "messages.pot")
    os.chdir(root)  # relative source paths in the catalogs' comments
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "i18n/babel.cfg", "-k", "_l", "-k", "_lp:1c,2",
                                "--add-comments=i18n:", "--sort-by-file", "--no-wrap", "--project=Coordina",
                                "-o", pot, "."])
    translations = root / "i18n" / "translations"
    for locale in SUPPORTED_LOCALES:
        if locale != "en" and not (translations / locale / "LC_MESSAGES" / "messages.po").exists():
            CommandLineInterface().run(["pybabel", "-q", "init", "-i", pot, "-d", str(translations), "-l", locale,
                                        "--no-wrap"])
    CommandLineInterface().run(["pybabel", "-q", "update", "-i", pot, "-d", str(translations),
                                "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching"])


@i18n_group.command("compile")
def i18n_compile():
    """Compile the catalogs (the app also does this at start when they are stale)."""
    for path in compile_catalogs():
        click.echo(f"compiled {path}")


def main():
    cli()


ECB_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"


@cli.group("rates")
def rates_group():
    """Exchange rates: refresh the ECB history, convert amounts."""


@rates_group.command("refresh")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), help="An ECB eurofxref-hist .zip or .csv.")
@click.option("--url", help=f"Download from this URL (default {ECB_URL}).")
@click.option("--timeout", default=15.0, show_default=True, help="Seconds before a download gives up.")
@with_appcontext
def rates_refresh(path: str | None, url: str | None, timeout: float):
    """Load a newer ECB reference file; rows already present are left alone."""
    try:
        if path:
            data, origin = Path(path).read_bytes(), f"file: {path}"
        else:
            url = url or ECB_URL
            data, origin = service.fetch_url(url, timeout), f"url: {url}"
        load = service.load_ecb(data, origin)
    except service.LoadError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"added {load.added} rates; latest {load.latest_day}")


@rates_group.command("convert")
@click.argument("amount")
@click.argument("source")
@click.argument("target")
@click.option("--on", "on", help="The date of the rates (YYYY-MM-DD); default today.")
@click.option("--tenant", "slug", help="Use this tenant's corporate rates and sources.")
@with_appcontext
def rates_convert(amount: str, source: str, target: str, on: str | None, slug: str | None):
    """Print AMOUNT SOURCE in TARGET, then the rate, the rate date and the source."""
    try:
        money = Money(amount, source.upper())
        target = target.upper()
        Money(0, target)
        day = date.fromisoformat(on) if on else date.today()
    except (MoneyError, ValueError) as exc:
        raise click.BadParameter(str(exc)) from None
    tenant = None
    if slug:
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            raise click.BadParameter(f"no tenant {slug!r}", param_hint="--tenant")
    try:
        if tenant is not None:
            with tenant_context(tenant.id):
                conversion = service.book_for(tenant).convert(money, target, day)
        else:
            conversion = service.book_for(None).convert(money, target, day)
    except RateUnavailable as exc:
        raise click.ClickException(
            f"{exc}. Add a corporate rate for it (Exchange rates > Corporate rates) or choose another date."
        ) from None
    click.echo(f"{conversion.amount.amount} {conversion.amount.currency}")
    click.echo(f"rate: {format(conversion.rate, 'f')} ({target} per {money.currency})")
    click.echo(f"rate date: {conversion.rate_date.isoformat()}")
    click.echo(f"source: {conversion.source}")
