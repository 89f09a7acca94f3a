"""Requests per second of the contract list with 50,000 contracts in one tenant, against a bare Flask page.

Run: .venv/bin/python bench/contract_list.py [--contracts N] [--requests N]
Builds its own SQLite database in a temporary folder (or uses BENCH_DATABASE_URL / BENCH_DATABASE_ADMIN_URL
for PostgreSQL: point them at an empty database). Both apps are driven in-process by the same WSGI test
client, one request after another, so the ratio is the cost of Coordina's page itself: sign-in lookup,
tenant check, the keyset page query, the converted total over all 50,000 contracts, and rendering.
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


def main() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the test factories live in tests/
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
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
        coordinator = f.person(tenant, "coord@bench.example", Role.coordinator, locale="en")
        rep = f.person(tenant, "rep@bench.example", Role.rep)
    account_id = cf.Maker(app).account(tenant)
    cf.Maker(app).many_contracts(tenant, account_id, rep, coordinator, args.contracts, start=date.today() - timedelta(days=30))
    print(f"setup: {args.contracts:,} contracts in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": "coord@bench.example", "password": f.PASSWORD,
                                       "csrf_token": token}).status_code == 303

    bare = Flask("bare")

    @bare.route("/")
    def hello():
        return "<!doctype html><title>bare</title><p>ok</p>"

    bare_rps, bare_ms = measure(bare.test_client(), "/", args.requests * 10)
    list_rps, list_ms = measure(client, "/t/bench/contracts", args.requests)
    search_rps, search_ms = measure(client, "/t/bench/contracts?q=bulk+4999", args.requests // 4)
    total_rps, total_ms = measure(client, "/t/bench/contracts/total", args.requests // 4)
    print(f"bare Flask page:          {bare_rps:10,.0f} req/s   median {bare_ms:7.2f} ms")
    print(f"contract list (page 1):   {list_rps:10,.0f} req/s   median {list_ms:7.2f} ms   "
          f"ratio to bare {list_rps / bare_rps:.4f} (1 : {bare_rps / list_rps:,.0f})")
    print(f"contract list (search):   {search_rps:10,.0f} req/s   median {search_ms:7.2f} ms   "
          f"ratio to bare {search_rps / bare_rps:.4f}")
    print(f"list total (all {args.contracts:,}): {total_rps:8,.0f} req/s   median {total_ms:7.2f} ms   "
          f"ratio to bare {total_rps / bare_rps:.4f}")


if __name__ == "__main__":
    main()
