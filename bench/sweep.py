"""Every page of the demo workspace at two sizes: which ones cost more as the data grows.

Run: PYTHONPATH=. .venv/bin/python bench/sweep.py [--sizes 1000,100000] [--requests 5] [--over 1.2]

bench/pages.py measures the main pages closely; this one asks every GET page a coordinator can open (the app's URL
map, with the ids e2e/test_accessibility.py finds in the demo) on a database of each size built as bench/pages.py
builds it (SIZE contracts, deliverables and leads in the demo workspace), in-process, and prints each page's CPU
per request at both sizes and their ratio, the pages that grew more than --over first. A page that reads every row
of a table shows here as a ratio of 10 or more; one that stays flat, about 1. Downloads and mail-only links
(test_accessibility.NOT_PAGES) are left out, as are pages whose ids the demo does not have.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _accessibility():
    """e2e/test_accessibility.py, for its IDS (how to find each kind of id in the demo) and NOT_PAGES."""
    spec = importlib.util.spec_from_file_location("walk", ROOT / "e2e" / "test_accessibility.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def serve(database: str, requests: int) -> dict[str, float]:
    """In the subprocess: each page's CPU per request (ms) on `database`, as the demo coordinator."""
    import sqlite3

    sys.path.insert(0, str(ROOT))
    from bench import pages

    walk = _accessibility()
    _hello, client, base = pages.in_process(str(ROOT), database)
    from web.wsgi import app

    connection = sqlite3.connect(database.removeprefix("sqlite:///"))
    tenant = connection.execute("SELECT id FROM tenants WHERE slug = 'demo'").fetchone()[0]
    ids = {}
    for names, sql in walk.IDS.items():
        row = connection.execute(sql.replace(":t", str(tenant))).fetchone()
        if row:
            ids[frozenset(names)] = dict(zip(names, row))
    out = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith("/t/<") or rule.endpoint in walk.NOT_PAGES:
            continue
        names = frozenset(rule.arguments - {"tenant"})
        if names and names not in ids:
            continue
        values = {"tenant": "demo", **ids.get(names, {})}
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
        if client.get(url, base_url=base).status_code != 200:
            continue
        for _ in range(2):
            client.get(url, base_url=base)
        started = time.process_time()
        for _ in range(requests):
            client.get(url, base_url=base)
        out[url] = (time.process_time() - started) / requests * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--over", type=float, default=1.2)
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)  # database, output file (the subprocess)
    args = parser.parse_args()
    if args.serve:
        Path(args.serve[1]).write_text(json.dumps(serve(args.serve[0], args.requests)))
        return
    sys.path.insert(0, str(ROOT))
    from bench import pages

    small, large = map(int, args.sizes.split(","))
    work = Path(tempfile.mkdtemp(prefix="coordina-sweep-"))
    figures = []
    for size in (small, large):
        database = f"sqlite:///{work / f'sweep-{size}.sqlite3'}"
        t0 = time.perf_counter()
        pages.build(database, None, size)
        print(f"built {size:,} rows in {time.perf_counter() - t0:.0f} s", flush=True)
        out = work / f"sweep-{size}.json"
        # Each size in a process of its own: one app, one database, as bench/ab.py serves them.
        subprocess.run([sys.executable, __file__, "--serve", database, str(out), "--requests", str(args.requests)],
                       check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        figures.append(json.loads(out.read_text()))
    rows = sorted(((figures[1][url] / figures[0][url], url) for url in figures[0] if url in figures[1]), reverse=True)
    print(f"{len(rows)} pages; CPU ms a request in-process at {small:,} and {large:,} rows, grown first")
    print(f"{'page':52} {small:>9,} {large:>9,} {'ratio':>6}")
    for ratio, url in rows:
        mark = " over" if ratio > args.over else ""
        print(f"{url:52} {figures[0][url]:9.2f} {figures[1][url]:9.2f} {ratio:6.2f}{mark}")


if __name__ == "__main__":
    main()
