"""Instructions a request of bench/pages.py's pages, counted by valgrind: the same figure on every run.

Run: PYTHONPATH=. .venv/bin/python bench/instructions.py [--before REV] [--size 1000] [--requests 5]
     [--only "home,contract list"]

CPU time on a shared machine drifts (the same page half as fast from one minute to the next), so two runs of
bench/pages.py, or even bench/ab.py's alternations, can hide a change of a few percent. Here each page is served
in-process by the production app under valgrind's callgrind, with counting switched on only around --requests
requests of that page (after five to warm its caches), and the instructions they took are read from callgrind's
dump: a deterministic count, printed a request and as a multiple of a bare Flask hello counted the same way. With
--before, an earlier commit (a git worktree, reading this checkout's schema) is counted too, from the same
database, and the ratio printed. Instructions are not time (a cache miss costs more than an add), but a change
that lowers them by 3% lowers CPU time about as much. Needs Debian's valgrind (callgrind, callgrind_control); a
run takes a few minutes (valgrind runs Python about fifty times slower).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(tree: str, database: str, ids: dict, only: list[str], requests: int, dumps: str) -> None:
    """In the subprocess, under callgrind: each page's requests counted into a dump of its own."""
    sys.path.insert(0, str(ROOT))
    from bench import pages  # this checkout's pages and sign-in (it imports no app code at the top)
    hello_client, client, base = pages.in_process(tree, database)

    def control(*args: str) -> None:
        subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)

    def count(label: str, fn) -> None:
        for _ in range(5):
            fn()
        control("--zero")
        control("--instr=on")
        for _ in range(requests):
            fn()
        control("--instr=off")
        control("--dump=" + label)

    count("bare Flask hello", lambda: hello_client.get("/"))
    for label, get in pages.page_requests(client, base, ids, only, tree):
        count(label, get)


def counted(dumps: Path, requests: int) -> dict[str, float]:
    """Millions of instructions a request, by page, from callgrind's dumps (their trigger names the page)."""
    found = {}
    for dump in sorted(dumps.glob("callgrind.out.*"), key=lambda p: p.stat().st_mtime):
        text = dump.read_text(errors="replace")
        trigger = re.search(r"^desc: Trigger: dump (.+)$", text, re.M)  # callgrind_control --dump=<page>
        total = re.search(r"^totals: (\d+)", text, re.M)
        if trigger and total:
            found[trigger.group(1).strip()] = int(total.group(1)) / requests / 1e6
    return found


def run(tree: Path, database: str, ids: dict, args, workdir: Path, name: str) -> dict[str, float]:
    dumps = workdir / f"dumps-{name}"
    dumps.mkdir()
    subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                    f"--callgrind-out-file={dumps}/callgrind.out.%p",
                    sys.executable, __file__, "--only", args.only, "--requests", str(args.requests),
                    "--serve", str(tree), database, json.dumps(ids), str(dumps)],
                   check=True, capture_output=True, text=True, timeout=3600)
    return counted(dumps, args.requests)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="an earlier commit to count too")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--serve", nargs=4, help=argparse.SUPPRESS)  # tree, database, ids, dumps (the subprocess)
    args = parser.parse_args()
    only = [label for label in args.only.split(",") if label]
    if args.serve:
        tree, database, ids, dumps = args.serve
        serve(tree, database, json.loads(ids), only, args.requests, dumps)
        return
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        raise SystemExit("needs valgrind: apt-get install valgrind")
    sys.path.insert(0, str(ROOT))
    from bench import pages
    workdir = Path(tempfile.mkdtemp(prefix="coordina-instructions-"))
    before = workdir / "before"
    try:
        database = f"sqlite:///{workdir / 'pages.sqlite3'}"
        ids = pages.build(database, None, args.size).extensions["bench_ids"]
        results = {}
        if args.before:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(before), args.before],
                           check=True)
            results["before"] = run(before, database, ids, args, workdir, "before")
        results["after"] = run(ROOT, database, ids, args, workdir, "after")
        after = results["after"]
        print(f"{args.size:,} rows, SQLite, {args.requests} requests a page under callgrind; millions of "
              "instructions a request (x a bare Flask hello)")
        head = f"{'page':28} " + (f"{'before':>16} " if args.before else "") + f"{'this checkout':>16}"
        print(head + (f" {'after/before':>12}" if args.before else ""))
        for label, count in after.items():
            line = f"{label:28} "
            if args.before:
                was = results["before"].get(label)
                line += f"{was:7.2f} ({was / results['before']['bare Flask hello']:5.1f}x) " if was else f"{'':>17}"
            line += f"{count:7.2f} ({count / after['bare Flask hello']:5.1f}x)"
            if args.before and results["before"].get(label):
                line += f" {count / results['before'][label]:12.3f}"
            print(line)
    finally:
        if args.before:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=False)
        if not os.environ.get("KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
