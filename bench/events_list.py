"""Requests per second of the events list with 5,000 events (each with two people going and a cost), against a bare
Flask page.

Run: .venv/bin/python bench/events_list.py [--events N] [--requests N]
Builds its own SQLite database in a temporary folder (or uses BENCH_DATABASE_URL / BENCH_DATABASE_ADMIN_URL for
PostgreSQL: point them at an empty database). Both apps are driven in-process by the same WSGI test client, one
request after another, so the ratio is the cost of Coordina's page itself: sign-in lookup, tenant check, the keyset
page with its people, the costs of the page's events summed in SQL and converted, the count, and rendering.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
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
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    from flask import Flask
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from tenants.db import db
    from tenants.models import Role
    from tenants.scoping import tenant_context
    from tests import factories as f
    from web import create_app
    from web.events.models import Event, EventAttendee, EventCost

    workdir = Path(tempfile.mkdtemp(prefix="coordina-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app({"ENV": "test", "SECRET_KEY": "bench-secret-key-long-enough-0123456789abcdef",
                      "DATABASE_URL": url, "DATABASE_ADMIN_URL": os.environ.get("BENCH_DATABASE_ADMIN_URL"),
                      "FAST_PASSWORD_HASHING": True})
    t0 = time.perf_counter()
    today, day = date.today(), date(2026, 10, 30)
    with app.app_context():
        upgrade()
        tenant = f.tenant("bench", name="Bench Media")
        coordinator = f.person(tenant, "coord@bench.example", Role.coordinator, locale="en")
        rep = f.person(tenant, "rep@bench.example", Role.rep)
        with tenant_context(tenant.id):
            db.session.execute(insert(Event), [
                {"tenant_id": tenant.id, "name": f"Show {i}", "kind": "trade_show", "city": "Milano", "country": "IT",
                 "timezone": "Europe/Rome", "opens_on": today + timedelta(days=i % 700), "status": "planned",
                 "closes_on": today + timedelta(days=i % 700 + 2), "version": 1} for i in range(args.events)])
            ids = list(db.session.scalars(select(Event.id)))
            db.session.execute(insert(EventAttendee), [{"tenant_id": tenant.id, "event_id": i, "user_id": u}
                                                       for i in ids for u in (rep.id, coordinator.id)])
            db.session.execute(insert(EventCost), [
                {"tenant_id": tenant.id, "event_id": i, "category": "booth_fee", "amount": Decimal(4200),
                 "currency": "USD", "incurred_on": day, "base_amount": Decimal("3759.40"), "base_currency": "EUR",
                 "fx_rate": Decimal("0.8951"), "fx_rate_date": day, "fx_source": "ecb"} for i in ids])
            db.session.commit()
    print(f"setup: {args.events:,} events in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")

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
    list_rps, list_ms = measure(client, "/t/bench/events", args.requests)
    all_rps, all_ms = measure(client, "/t/bench/events?when=all", args.requests // 2)
    print(f"bare Flask page:          {bare_rps:10,.0f} req/s   median {bare_ms:7.2f} ms")
    print(f"events list (upcoming):   {list_rps:10,.0f} req/s   median {list_ms:7.2f} ms   "
          f"ratio to bare {list_rps / bare_rps:.4f} (1 : {bare_rps / list_rps:,.0f})")
    print(f"events list (all):        {all_rps:10,.0f} req/s   median {all_ms:7.2f} ms   "
          f"ratio to bare {all_rps / bare_rps:.4f}")


if __name__ == "__main__":
    main()
