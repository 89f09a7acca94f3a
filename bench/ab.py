"""Before and after: CPU per request of bench/pages.py's pages for an earlier commit and this checkout, alternated.

Run: PYTHONPATH=. .venv/bin/python bench/ab.py --before 27c2b58 [--size 1000] [--rounds 3] [--only "home,lead detail"]
     [--postgres]  (on BENCH_DATABASE_URL, the app's role, built by BENCH_DATABASE_ADMIN_URL, as bench/pages.py)

A machine whose speed drifts (a shared VM: the same page half as fast from one minute to the next) makes two bench
runs incomparable. Here each version serves its pages in-process through the production app, in its own
subprocess, from one database (SQLite, or PostgreSQL: the app's CPU, not the server's) built once by this checkout's bench/pages.py. The two versions take turns
--rounds times, and each page keeps its fastest CPU time a request. Every figure is printed as a ratio to a bare
Flask hello measured in the same process. The earlier commit is checked out with `git worktree` in a temporary
folder and must read this checkout's schema (no migration between the two).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(tree: str, database: str, ids: dict, only: list[str]) -> dict:
    """In the subprocess: each page's fastest CPU per request (ms), and a bare Flask hello's."""
    sys.path.insert(0, str(ROOT))
    from bench import pages  # this checkout's pages, sign-in and login (it imports no app code at the top)
    hello_client, client, base = pages.in_process(tree, database)

    def fastest(fn, n: int = 15, rounds: int = 7) -> float:
        for _ in range(5):
            fn()
        best = float("inf")
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(n):
                fn()
            best = min(best, (time.process_time() - started) / n)
        return best * 1000

    out = {"bare Flask hello": fastest(lambda: hello_client.get("/"), n=200)}
    for label, get in pages.page_requests(client, base, ids, only, tree):
        out[label] = fastest(get)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the earlier commit")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--serve", nargs=3, help=argparse.SUPPRESS)  # tree, database, ids (the subprocess)
    args = parser.parse_args()
    only = [label for label in args.only.split(",") if label]
    if args.serve:
        tree, database, ids = args.serve
        print(json.dumps(serve(tree, database, json.loads(ids), only)))
        return
    sys.path.insert(0, str(ROOT))
    from bench import pages
    workdir = Path(tempfile.mkdtemp(prefix="coordina-ab-"))
    before = workdir / "before"
    try:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(before), args.before],
                       check=True)
        if args.postgres:
            database, admin = os.environ.get("BENCH_DATABASE_URL"), os.environ.get("BENCH_DATABASE_ADMIN_URL")
            if not (database and admin):
                raise SystemExit("--postgres: set BENCH_DATABASE_URL and BENCH_DATABASE_ADMIN_URL")
        else:
            database, admin = f"sqlite:///{workdir / 'ab.sqlite3'}", None
        ids = pages.build(database, admin, args.size).extensions["bench_ids"]
        best: dict[str, dict[str, float]] = {"before": {}, "after": {}}
        for _ in range(args.rounds):
            for name, tree in (("before", before), ("after", ROOT)):
                output = subprocess.run(
                    [sys.executable, __file__, "--before", args.before, "--only", args.only,
                     "--serve", str(tree), database, json.dumps(ids)],
                    check=True, capture_output=True, text=True, timeout=1800).stdout
                for label, ms in json.loads(output.splitlines()[-1]).items():
                    best[name][label] = min(best[name].get(label, float("inf")), ms)
        hello_before, hello_after = best["before"]["bare Flask hello"], best["after"]["bare Flask hello"]
        print(f"{args.size:,} rows, {'PostgreSQL (app CPU)' if args.postgres else 'SQLite'}, {args.rounds} "
              "alternations; CPU ms a request (x a bare Flask hello)")
        print(f"{'page':28} {'before':>16} {'after':>16} {'after/before':>12}")
        for label, ms in best["before"].items():
            after = best["after"][label]
            print(f"{label:28} {ms:7.2f} ({ms / hello_before:5.1f}x) {after:7.2f} ({after / hello_after:5.1f}x) "
                  f"{after / ms:12.2f}")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=False)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
