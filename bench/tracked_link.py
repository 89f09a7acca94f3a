"""The tracked link under load: 10,000 clicks over 16 concurrent connections, every one counted, and the redirect's
requests per second as a ratio to a bare Flask page served the same way in the same run.

Run: PYTHONPATH=. .venv/bin/python bench/tracked_link.py [--databases sqlite,postgresql] [--clicks 10000]
     [--connections 16] [--workers 2] [--seconds 5]

For each database it builds the demo tenant (web.demo.seed: its live web banner has a tracked link), starts gunicorn
as bench/pages.py does (sync workers pinned to core 0) and fires exactly --clicks requests at /t/demo/go/<token>
from a pool of --connections threads (one connection each), then reads the placement's clicks from the database:
the difference must be exactly --clicks (the count is one upsert per click; none lost, none doubled). The same pool
fires the same number of requests at a bare Flask hello served by the same gunicorn: "x hello" is hello's requests
per second over the redirect's. With wrk installed, both are also driven for --seconds by wrk (16 connections,
pinned to core 1) and that ratio printed too.

PostgreSQL: BENCH_DATABASE_URL (the app role) and BENCH_DATABASE_ADMIN_URL (the owner) on a database of its own
(its public schema is dropped and rebuilt).
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages import HELLO, SECRET, Server, demo_app, wrk  # noqa: E402


def build(url: str, admin_url: str | None):
    """A migrated database with the demo; returns (app, tenant id, placement id, token)."""
    from sqlalchemy import select

    from tenants.db import db
    from tenants.models import Tenant
    from tenants.scoping import tenant_context
    from web.traffic.models import Placement

    app = demo_app(url, admin_url)
    with app.test_request_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        with tenant_context(tenant.id):
            placement = db.session.scalar(select(Placement).order_by(Placement.id))
            found = (tenant.id, placement.id, placement.token)
        db.session.commit()
    return app, found


def clicks_of(app, tenant_id: int, placement_id: int) -> int:
    from sqlalchemy import func, select

    from tenants.db import db
    from tenants.scoping import tenant_context
    from web.traffic.models import TrafficDay

    with app.app_context(), tenant_context(tenant_id):
        total = db.session.scalar(select(func.coalesce(func.sum(TrafficDay.clicks), 0))
                                  .where(TrafficDay.placement_id == placement_id))
        db.session.commit()
        return int(total)


def fire(port: int, path: str, count: int, connections: int, expect: int) -> tuple[float, int]:
    """`count` GETs of `path` from `connections` threads; (seconds, answers with the expected status)."""
    share = [count // connections + (1 if i < count % connections else 0) for i in range(connections)]

    def run(n: int) -> int:
        good = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(n):
            for attempt in range(3):
                try:
                    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                    answer = conn.getresponse()
                    answer.read()
                    break
                except (ConnectionError, http.client.HTTPException):
                    # A sync worker closes after each answer: a request on a closed keep-alive connection was never
                    # received, so sending it again counts it once.
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    if attempt == 2:
                        raise
            good += answer.status == expect
            if answer.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        return good

    began = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        good = sum(pool.map(run, share))
    return time.perf_counter() - began, good


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--clicks", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("taskset"):
        raise SystemExit("taskset is missing: apt-get install util-linux")
    workdir = Path(tempfile.mkdtemp(prefix="coordina-clicks-"))
    (workdir / "hello.py").write_text(HELLO)
    failed = False
    for database in args.databases.split(","):
        if database == "postgresql":
            url, admin = os.environ.get("BENCH_DATABASE_URL"), os.environ.get("BENCH_DATABASE_ADMIN_URL")
            if not (url and admin):
                print("postgresql: set BENCH_DATABASE_URL and BENCH_DATABASE_ADMIN_URL", file=sys.stderr)
                continue
        else:
            url, admin = f"sqlite:///{workdir / 'clicks.sqlite3'}", None
        app, (tenant_id, placement_id, token) = build(url, admin)
        path = f"/t/demo/go/{token}"
        print(f"== {database}: {args.clicks:,} clicks over {args.connections} connections, gunicorn "
              f"{args.workers} sync workers on core 0", flush=True)
        hello = Server("hello:app", {"PYTHONPATH": str(workdir)}, workers=args.workers, cwd=workdir)
        try:
            fire(hello.port, "/", 200, args.connections, 200)
            hello_s, hello_ok = fire(hello.port, "/", args.clicks, args.connections, 200)
            hello_wrk = wrk(hello.url("/"), {}, args.seconds, connections=args.connections) if shutil.which("wrk") \
                else None
        finally:
            hello.stop()
        env = {"COORDINA_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": url,
               "PUBLIC_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1", "PYTHONPATH": str(ROOT)}
        server = Server("web.wsgi:app", env, workers=args.workers)
        try:
            fire(server.port, path, 200, args.connections, 302)  # warm both workers
            before = clicks_of(app, tenant_id, placement_id)
            go_s, go_ok = fire(server.port, path, args.clicks, args.connections, 302)
            counted = clicks_of(app, tenant_id, placement_id) - before
            go_wrk = None
            if shutil.which("wrk"):
                go_wrk = wrk(server.url(path), {}, args.seconds, connections=args.connections)
        finally:
            server.stop()
        exact = counted == args.clicks == go_ok
        failed |= not exact or hello_ok != args.clicks
        hello_rps, go_rps = args.clicks / hello_s, args.clicks / go_s
        print(f"{'':28} {'req/s':>8} {'x hello':>8}")
        print(f"{'bare Flask hello':28} {hello_rps:8.0f} {1:8.1f}")
        print(f"{'tracked link (302)':28} {go_rps:8.0f} {hello_rps / go_rps:8.1f}")
        print(f"clicks answered 302: {go_ok:,}; counted in traffic_days: {counted:,} -> "
              f"{'exact' if exact else 'NOT EXACT'}", flush=True)
        if hello_wrk and go_wrk:
            print(f"wrk, {args.seconds} s each: hello {hello_wrk['rps']:.0f} req/s, tracked link {go_wrk['rps']:.0f} "
                  f"req/s ({hello_wrk['rps'] / go_wrk['rps']:.1f} x hello; errors {go_wrk['errors']}, "
                  f"non-2xx/3xx {go_wrk['non2xx']}, p99 {go_wrk['p99_ms']:.1f} ms)", flush=True)
        with app.app_context():
            from tenants.db import db

            db.engine.dispose()
    shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
