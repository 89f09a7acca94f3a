"""Requests per second of the team report with 100,000 contracts in one tenant, against a bare Flask page.

Run: .venv/bin/python bench/team_report.py [--contracts N] [--requests N]
Builds its own SQLite database in a temporary folder (or uses BENCH_DATABASE_URL / BENCH_DATABASE_ADMIN_URL
for PostgreSQL: point them at an empty database). Both apps are driven in-process by the same WSGI test
client, one request after another, so the ratio is the cost of the report itself: sign-in lookup, tenant
check, the grouped sums per rep, period and currency over every contract, converting each currency group
before adding, the chart and the page; and it prints the statements each page sends, which do not grow with
the contracts.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def measure(client, url, count) -> tuple[float, float]:
    client.get(url)  # warm
    timings = []
    for _ in range(count):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
    return count / sum(timings), statistics.median(timings) * 1000


def statements(app, client, url) -> int:
    from sqlalchemy import event

    from tenants.db import db

    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def main() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the test factories live in tests/
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    from flask import Flask
    from flask_migrate import upgrade

    from tenants.models import Role
    from tests import contract_factories as cf
    from tests import factories as f
    from web import create_app

    workdir = Path(tempfile.mkdtemp(prefix="coordina-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app({"ENV": "test", "SECRET_KEY": "bench-secret-key-long-enough-0123456789abcdef",
                      "DATABASE_URL": url, "DATABASE_ADMIN_URL": os.environ.get("BENCH_DATABASE_ADMIN_URL"),
                      "FAST_PASSWORD_HASHING": True})
    t0 = time.perf_counter()
    with app.app_context():
        upgrade()
        tenant = f.tenant("bench", name="Bench Media")
        f.person(tenant, "manager@bench.example", Role.manager, locale="en")
        coordinator = f.person(tenant, "coord@bench.example", Role.coordinator, locale="en")
        reps = [f.person(tenant, f"rep{i}@bench.example", Role.rep, name=f"Rep {i}") for i in range(5)]
    maker = cf.Maker(app)
    account_id = maker.account(tenant)
    share = args.contracts // len(reps)
    for i, rep in enumerate(reps):
        # Signed 400 days before they end, ends spread over a year: the whole range falls in the last two years.
        maker.many_contracts(tenant, account_id, rep, coordinator, share, start=date.today() - timedelta(days=i))
    print(f"setup: {share * len(reps):,} contracts for {len(reps)} reps in {time.perf_counter() - t0:.1f} s "
          f"({url.split(':')[0]})")

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": "manager@bench.example", "password": f.PASSWORD,
                                       "csrf_token": token}).status_code == 303

    bare = Flask("bare")

    @bare.route("/")
    def hello():
        return "<!doctype html><title>bare</title><p>ok</p>"

    bare_rps, bare_ms = measure(bare.test_client(), "/", args.requests * 40)
    print(f"bare Flask page:              {bare_rps:10,.0f} req/s   median {bare_ms:8.2f} ms")
    year = date.today().year
    for label, address in (("team report (this quarter)", "/t/bench/reports"),
                           (f"team report ({year})", f"/t/bench/reports?period={year}"),
                           ("team report (all time)", "/t/bench/reports?period=all"),
                           ("forecast", "/t/bench/reports/forecast")):
        rps, ms = measure(client, address, args.requests)
        print(f"{label + ':':30}{rps:10,.1f} req/s   median {ms:8.2f} ms   ratio to bare {rps / bare_rps:.5f} "
              f"(1 : {bare_rps / rps:,.0f})   {statements(app, client, address)} statements")


if __name__ == "__main__":
    main()
