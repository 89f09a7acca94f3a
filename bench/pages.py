"""CPU per request of every main page and fragment, as a ratio to a bare Flask hello served the same way.

Run: PYTHONPATH=. .venv/bin/python bench/pages.py [--sizes 10,1000,100000] [--databases sqlite,postgresql]
     [--seconds 4] [--only "contract list,home"] [--load]

For each database and size it builds the demo tenant (web.demo.seed) plus SIZE contracts, SIZE deliverables and
SIZE leads in it, starts gunicorn (one sync worker, pinned to core 0) and drives each page with wrk (8
connections, pinned to core 1) as the demo coordinator. The worker's CPU time (and on PostgreSQL the CPU of
every postgres process, the database's share) is read from /proc before and after and divided by the requests
wrk completed: CPU per request, not wall time, so it holds on a busy machine better than requests per second.
The bare hello is a Flask app of one route served by the same gunicorn and wrk in the same run; "x hello" is
the page's CPU over hello's (the issue's target: full pages <= 15, lists <= 12, htmx fragments <= 6).
Queries per page are counted in-process on the same database. Browsers' headers are sent (Accept-Encoding:
gzip), so compression is paid as in production.

--load: also 2 workers, 16 connections, 30 s on the contract list and on an htmx POST (a deliverable's status
back and forth), printing errors and p99.

PostgreSQL: BENCH_DATABASE_URL (the app role) and BENCH_DATABASE_ADMIN_URL (the owner) on an empty database of
its own (its public schema is dropped and rebuilt), e.g. postgresql://coordina_app@127.0.0.1:5432/coordina_bench.
Needs Debian's wrk and taskset.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HZ = os.sysconf("SC_CLK_TCK")
SECRET = "bench-secret-key-long-enough-0123456789abcdef-0123456789"
PASSWORD = "coordina-demo"  # web.demo.PASSWORD
LOGIN = "giulia@demo.example.com"  # the demo coordinator: sees everything a coordinator's pages show

# (label, kind, path, htmx): kind sets the target (page 15x hello, list 12x, fragment 6x).
PAGES = [
    ("home", "page", "/t/demo/", False),
    ("contract list", "list", "/t/demo/contracts", False),
    ("contract list fragment", "fragment", "/t/demo/contracts?status=active", True),
    ("contract search fragment", "fragment", "/t/demo/contracts?q=bulk+77", True),
    ("contract detail", "page", "/t/demo/contracts/{contract_id}", False),
    ("deliverables", "list", "/t/demo/deliverables", False),
    ("renewals", "page", "/t/demo/renewals", False),
    ("billing", "list", "/t/demo/billing", False),
    ("accounts", "list", "/t/demo/accounts", False),
    ("leads list", "list", "/t/demo/leads", False),
    ("leads search fragment", "fragment", "/t/demo/leads?q=bulk+77", True),
    ("leads board", "page", "/t/demo/leads/board", False),
    ("lead detail", "page", "/t/demo/leads/{lead_id}", False),
]
TARGET = {"page": 15, "list": 12, "fragment": 6}

HELLO = '''
from flask import Flask
app = Flask("hello")

@app.route("/")
def hello():
    return "<!doctype html><title>hello</title><p>Hello</p>"
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_by_pid(pids) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / HZ  # utime, stime
    return found


def cpu_of(pids) -> float:
    return sum(cpu_by_pid(pids).values())


def cpu_spent(before: dict[int, float], pids) -> float:
    """CPU the processes spent since `before`: a process started meanwhile counts whole, one gone counts 0."""
    after = cpu_by_pid(pids)
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def children(pid) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return found


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith("postgres"):
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return pids


class Server:
    """gunicorn with N sync workers, all pinned to core 0 (wrk has core 1): the same CPU for one worker or two."""

    def __init__(self, module: str, env: dict, workers: int = 1, cwd: Path = ROOT):
        self.port = free_port()
        cmd = ["taskset", "-c", "0", sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync",
               "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "--backlog", "2048", module]
        self.proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=cwd)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.5)
        self.workers = children(self.proc.pid)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def wrk(url: str, headers: dict, seconds: float, connections: int = 8, script: str | None = None) -> dict:
    cmd = ["taskset", "-c", "1", "wrk", "-t1" if connections <= 8 else "-t2", f"-c{connections}", f"-d{int(seconds)}s",
           "--latency", "--timeout", "10s"]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return {"requests": requests, "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": sum(map(int, errors.groups())) if errors else 0,
            "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}


def measure(server: Server, path: str, headers: dict, seconds: float, pg: bool) -> dict:
    for _ in range(20):  # warm the worker's caches (templates, rate series, formatters)
        request = urllib.request.Request(server.url(path), headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200, (path, response.status)
    app_before, db_before = cpu_by_pid(server.workers), cpu_by_pid(postgres_pids() if pg else [])
    result = wrk(server.url(path), headers, seconds)
    app_cpu, db_cpu = cpu_spent(app_before, server.workers), cpu_spent(db_before, postgres_pids() if pg else [])
    assert result["non2xx"] == 0 and result["errors"] == 0, (path, result)
    count = max(result["requests"], 1)
    return {**result, "app_ms": app_cpu * 1000 / count, "db_ms": db_cpu * 1000 / count}


def demo_app(url: str, admin_url: str | None):
    """An app on a fresh database (PostgreSQL: its schema dropped first) migrated and seeded with the demo."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from web import create_app
    from web import demo as demo_module

    if admin_url:
        engine = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"ENV": "test", "SECRET_KEY": SECRET, "DATABASE_URL": url, "DATABASE_ADMIN_URL": admin_url,
                      "FAST_PASSWORD_HASHING": True})
    with app.test_request_context():
        upgrade()
        demo_module.seed()
    return app


def build(url: str, admin_url: str | None, size: int) -> dict:
    """The demo tenant plus SIZE contracts, deliverables and leads; returns ids the pages need."""
    from sqlalchemy import create_engine, insert, select

    from tenants.db import db
    from tenants.models import Tenant, User
    from tenants.scoping import tenant_context
    from web.accounts.models import Account
    from web.contracts.models import Contract
    from web.deliverables.models import Deliverable, DeliverableKind
    from web.leads.models import Lead

    app = demo_app(url, admin_url)
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        coordinator = db.session.scalar(select(User).where(User.email == LOGIN))
        rep = db.session.scalar(select(User).where(User.email == "marco@demo.example.com"))
        with tenant_context(tenant.id):
            account_id = db.session.scalar(select(Account.id).order_by(Account.id))
            kind_id = db.session.scalar(select(DeliverableKind.id).order_by(DeliverableKind.id))
            today = date.today()
            statuses = ["new", "researching", "qualified", "handed_off", "converted", "disqualified"]
            for start in range(0, size, 5000):
                stop = min(size, start + 5000)
                contracts = [dict(tenant_id=tenant.id, number=f"B-{i:06d}", account_id=account_id,
                                  owner_id=rep.id, coordinator_id=coordinator.id, title=f"Bulk {i}",
                                  status="active" if i % 10 else "draft",
                                  signed_on=today - timedelta(days=400 - i % 365),
                                  starts_on=today - timedelta(days=364 - i % 365), ends_on=today + timedelta(days=i % 730),
                                  value_amount=Decimal(1000 + i), value_currency="USD",
                                  base_amount=Decimal(900 + i), base_currency="EUR", fx_rate=Decimal("0.9"),
                                  fx_rate_date=today - timedelta(days=400), fx_source="ecb", auto_renew=False,
                                  notice_days=30, version=1) for i in range(start, stop)]
                ids = db.session.scalars(insert(Contract).returning(Contract.id), contracts).all()
                db.session.execute(insert(Deliverable), [
                    dict(tenant_id=tenant.id, contract_id=cid, kind_id=kind_id, details=f"Bulk placement {n}",
                         due_on=today + timedelta(days=(n % 120) - 30), status="planned" if n % 3 else "done",
                         version=1) for n, cid in enumerate(ids, start)])
                db.session.execute(insert(Lead), [
                    dict(tenant_id=tenant.id, company=f"Bulk {i} S.r.l.", company_key=f"bulk {i}",
                         contact_name=f"Contact {i}", email=f"c{i}@bulk{i}.example", country="IT", language="it",
                         status=statuses[i % len(statuses)], owner_id=rep.id, value_amount=Decimal(500 + i),
                         value_currency="EUR", source="cold_research", version=1) for i in range(start, stop)])
                db.session.commit()
            ids = {"contract_id": db.session.scalar(select(Contract.id).where(Contract.title.not_like("Bulk %"))
                                                    .order_by(Contract.id)),
                   "lead_id": db.session.scalar(select(Lead.id).where(Lead.company.not_like("Bulk %"))
                                                .order_by(Lead.id))}
        from tenants.db import refresh_statistics
        # As a tick (SQLite) or a deploy's migration (PostgreSQL, as the owner) would leave them.
        stats = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1)) if admin_url else db.engine
        with stats.begin() as conn:
            refresh_statistics(conn, owner=bool(admin_url))
    app.extensions["bench_ids"] = ids
    return app


def sign_in(client, base_url: str = "http://localhost"):
    """The coordinator signed in on a Flask test client; returns the login's response (303 when it worked)."""
    page = client.get("/login", base_url=base_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/login", base_url=base_url, headers={"Referer": base_url + "/login"},
                       data={"email": LOGIN, "password": PASSWORD, "csrf_token": token})


def in_process(tree: str, database: str):
    """`tree`'s production app on `database`, served in this process (bench/ab.py, bench/instructions.py): a bare
    Flask hello's test client, the app's signed in as the coordinator, and the base URL. `tree` goes first on the
    path, so its code is the one imported."""
    sys.path.insert(0, tree)
    os.chdir(tree)
    os.environ.update({"COORDINA_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": database,
                       "PUBLIC_URL": "https://localhost", "TRUSTED_HOSTS": "localhost"})
    from flask import Flask

    from web.wsgi import app
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, World!")
    hello_client, client, base = hello.test_client(), app.test_client(), "https://localhost"
    signed_in = sign_in(client, base)
    if signed_in.status_code != 303:
        raise SystemExit(f"{tree}: sign-in answered {signed_in.status_code}")
    return hello_client, client, base


def page_requests(client, base: str, ids: dict, only: list[str], tree: str):
    """(label, a function that asks for the page in-process and checks it answered 200) for each of PAGES, or those
    named in `only`: what bench/ab.py times and bench/instructions.py counts."""
    for label, _kind, path, hx in PAGES:
        if only and label not in only:
            continue
        headers = {"Accept-Encoding": "gzip", "Accept": "text/html", **({"HX-Request": "true"} if hx else {})}

        def get(url=path.format(**ids), headers=headers, label=label):
            response = client.get(url, base_url=base, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"{tree}: {label} answered {response.status_code}")
        yield label, get


def count_queries(app, paths) -> dict:
    """Statements each page runs, counted in-process as the coordinator."""
    from sqlalchemy import event

    from tenants.db import db
    client = app.test_client()
    sign_in(client)
    counts = {}
    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *a, **k: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for label, path, headers in paths:
            client.get(path, headers=headers)
            seen.clear()
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (label, response.status_code)
            counts[label] = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return counts


def login(server: Server) -> str:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(server.url("/login"), timeout=30) as response:
        page = response.read().decode()
        cookie = response.headers.get("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": LOGIN, "password": PASSWORD, "csrf_token": token}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(server.url("/login"), data=data, headers={"Cookie": cookie})
    try:
        urllib.request.build_opener(NoRedirect()).open(request, timeout=30)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303, redirect.code
        cookie = redirect.headers.get("Set-Cookie").split(";")[0]
        # The page the browser is sent to writes the new session's form secret (Flask-WTF's) into its cookie; the
        # browser sends that cookie from then on. The sign-in's own cookie has no secret yet: sent on every
        # request, it made each page write one and sign and send a new cookie, which no browser does twice.
        following = urllib.request.Request(urllib.parse.urljoin(server.url("/login"), redirect.headers["Location"]),
                                           headers={"Cookie": cookie})
        with urllib.request.urlopen(following, timeout=30) as response:
            return (response.headers.get("Set-Cookie") or cookie).split(";")[0]
    raise SystemExit("login did not redirect")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,1000,100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--only", default="")
    parser.add_argument("--load", action="store_true")
    args = parser.parse_args()
    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install wrk util-linux")
    sys.path.insert(0, str(ROOT))
    pages = [p for p in PAGES if not args.only or p[0] in args.only.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="coordina-pages-"))
    (workdir / "hello.py").write_text(HELLO)
    headers = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html"}
    rows = []
    for database in args.databases.split(","):
        for size in map(int, args.sizes.split(",")):
            if database == "postgresql":
                url, admin = os.environ.get("BENCH_DATABASE_URL"), os.environ.get("BENCH_DATABASE_ADMIN_URL")
                if not (url and admin):
                    print("postgresql: set BENCH_DATABASE_URL and BENCH_DATABASE_ADMIN_URL", file=sys.stderr)
                    continue
            else:
                url, admin = f"sqlite:///{workdir / f'bench-{size}.sqlite3'}", None
            t0 = time.perf_counter()
            app = build(url, admin, size)
            ids = app.extensions["bench_ids"]
            print(f"== {database}, {size:,} contracts + deliverables + leads (built in {time.perf_counter() - t0:.0f} s)",
                  flush=True)
            paths = [(label, path.format(**ids), {"HX-Request": "true"} if hx else {}) for label, _k, path, hx in pages]
            queries = count_queries(app, paths)
            hello = Server("hello:app", {"PYTHONPATH": str(workdir)}, cwd=workdir)
            base = measure(hello, "/", headers, args.seconds, False)
            hello.stop()
            env = {"COORDINA_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": url,
                   "PUBLIC_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1", "PYTHONPATH": str(ROOT)}
            server = Server("web.wsgi:app", env)
            cookie = login(server)
            print(f"{'page':28} {'app ms':>7} {'db ms':>6} {'x hello':>8} {'target':>6} {'req/s':>7} {'queries':>7}")
            print(f"{'bare Flask hello':28} {base['app_ms']:7.3f} {'':>6} {1:8.1f} {'':>6} {base['rps']:7.0f}")
            for (label, kind, _p, _hx), (_l, path, hx_headers) in zip(pages, paths):
                result = measure(server, path, {**headers, "Cookie": cookie, **hx_headers}, args.seconds,
                                 database == "postgresql")
                ratio = result["app_ms"] / base["app_ms"]
                mark = "" if ratio <= TARGET[kind] else " over"
                db_ms = f"{result['db_ms']:6.2f}" if database == "postgresql" else ""
                print(f"{label:28} {result['app_ms']:7.2f} {db_ms:>6} {ratio:8.1f} {TARGET[kind]:>6} "
                      f"{result['rps']:7.0f} {queries[label]:7}{mark}", flush=True)
                rows.append((database, size, label, result["app_ms"], result["db_ms"], ratio, queries[label]))
            server.stop()
            if args.load and size == max(map(int, args.sizes.split(","))):
                load(url, env, headers, app)
    shutil.rmtree(workdir, ignore_errors=True)


def load(url, env, headers, app):
    """2 workers, 16 connections, 30 s: the contract list, then a POST that writes (the language form)."""
    server = Server("web.wsgi:app", env, workers=2)
    try:
        cookie = login(server)
        result = wrk(server.url("/t/demo/contracts"), {**headers, "Cookie": cookie}, 30, connections=16)
        print(f"load, contract list (GET): {result['requests']:,} requests, {result['non2xx'] + result['errors']} "
              f"errors, p99 {result['p99_ms']:.1f} ms, {result['rps']:.0f} req/s", flush=True)
        request = urllib.request.Request(server.url("/t/demo/contracts"), headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            token = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode()).group(1)
            # The page that made the form's token also wrote its secret into the session cookie: post with that.
            cookie = (response.headers.get("Set-Cookie") or cookie).split(";")[0]
        body = urllib.parse.urlencode({"csrf_token": token, "locale": "en", "next": "/t/demo/contracts"})
        script = Path(tempfile.mkdtemp(prefix="coordina-wrk-")) / "post.lua"
        script.write_text(f'wrk.method = "POST"\nwrk.body = "{body}"\n'
                          'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
        result = wrk(server.url("/language"), {"Cookie": cookie}, 30, connections=16, script=str(script))
        # wrk counts 3xx as answers: the form's 303 back to the page is its success.
        print(f"load, language form (POST, writes the profile): {result['requests']:,} requests, "
              f"{result['non2xx'] + result['errors']} errors, p99 {result['p99_ms']:.1f} ms, {result['rps']:.0f} req/s",
              flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
