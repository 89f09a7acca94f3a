"""Requests per second of the partner portal's home, against a bare Flask page in the same run.

Run: .venv/bin/python bench/portal_home.py [--registrations N] [--requests N]
Builds its own SQLite database in a temporary folder (or uses BENCH_DATABASE_URL / BENCH_DATABASE_ADMIN_URL for
PostgreSQL: point them at an empty database; the app role then reads under row-level security). Two partners
share the tenant; the measured one has N registrations and the other as many, so the partner scope has rows to
leave out. Both apps are driven in-process by the same WSGI test client, one request after another, so the
ratio is the cost of the portal page itself: sign-in lookup, membership and partner scope, the partner's
distributor, the counts by state, the five latest registrations, and rendering.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
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

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the test helpers live in tests/
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    from flask import Flask
    from flask_migrate import upgrade

    from tenants.db import db
    from tenants.models import Membership, Role
    from tenants.scoping import tenant_context
    from tests import factories as f
    from web import create_app
    from web.distributors.models import Distributor, Registration, Tier

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
        partner_user = f.user("minh@lotus.example", locale="vi")
        with tenant_context(tenant.id):
            gold = Tier(name="Gold", rank=1, discount_percent=Decimal(15), exclusivity_days=90, lead_sla_hours=24)
            db.session.add(gold)
            db.session.flush()
            partners = [Distributor(name=name, name_key=name.lower(), countries=[country], language=lang,
                                    currency=currency, tier_id=gold.id, coordinator_id=coordinator.id)
                        for name, country, lang, currency in (("Lotus Trading", "VN", "vi", "VND"),
                                                              ("Merlion Distribution", "SG", "en", "SGD"))]
            db.session.add_all(partners)
            db.session.flush()
            db.session.add(Membership(tenant_id=tenant.id, user_id=partner_user.id, role=Role.distributor.value,
                                      distributor_id=partners[0].id))
            for partner in partners:
                db.session.add_all([Registration(
                    distributor_id=partner.id, company=f"Customer {i:06d}", company_key=f"customer {i:06d}",
                    country="VN", value_amount=Decimal(100_000_000), value_currency=partner.currency,
                    status=("submitted", "approved", "rejected", "expired")[i % 4], conflicts=[])
                    for i in range(args.registrations)])
            db.session.commit()
    print(f"setup: 2 partners with {args.registrations:,} registrations each in {time.perf_counter() - t0:.1f} s "
          f"({url.split(':')[0]})")

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": "minh@lotus.example", "password": f.PASSWORD,
                                       "csrf_token": token}).status_code == 303

    bare = Flask("bare")

    @bare.route("/")
    def hello():
        return "<!doctype html><title>bare</title><p>ok</p>"

    bare_rps, bare_ms = measure(bare.test_client(), "/", args.requests * 10)
    home_rps, home_ms = measure(client, "/t/bench/portal", args.requests)
    list_rps, list_ms = measure(client, "/t/bench/portal/registrations", args.requests // 2)
    print(f"bare Flask page:            {bare_rps:10,.0f} req/s   median {bare_ms:7.2f} ms")
    print(f"portal home:                {home_rps:10,.0f} req/s   median {home_ms:7.2f} ms   "
          f"ratio {home_rps / bare_rps:.4f} (1 : {bare_rps / home_rps:,.0f})")
    print(f"portal registrations list:  {list_rps:10,.0f} req/s   median {list_ms:7.2f} ms   "
          f"ratio {list_rps / bare_rps:.4f} (1 : {bare_rps / list_rps:,.0f})")


if __name__ == "__main__":
    main()
