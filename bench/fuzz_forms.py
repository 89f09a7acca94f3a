"""Fuzz every form with N random posts (default 20,000) as owner, coordinator, rep and anonymous; print how many
answered 5xx, by route, and the seed to replay them.

Run: .venv/bin/python bench/fuzz_forms.py [--posts N] [--seed S]
SQLite in a temporary folder by default; BENCH_DATABASE_URL / BENCH_DATABASE_ADMIN_URL (an empty PostgreSQL
database, the app role and the owner) to fuzz PostgreSQL, where NUL bytes and number ranges bite hardest.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the test factories live in tests/
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)

    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from tenants.db import db
    from tests import factories
    from tests.conftest import Client
    from tests.web import fuzz, sweep_cases
    from web import create_app
    from web.config import normalise_database_url

    workdir = Path(tempfile.mkdtemp(prefix="coordina-fuzz-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'fuzz.sqlite3'}"
    admin = os.environ.get("BENCH_DATABASE_ADMIN_URL")
    if admin:
        engine = create_engine(normalise_database_url(admin))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"ENV": "test", "SECRET_KEY": "fuzz-secret-key-long-enough-0123456789abcdef",
                      "DATABASE_URL": url, "DATABASE_ADMIN_URL": admin, "FAST_PASSWORD_HASHING": True,
                      "PUBLIC_URL": "http://localhost", "SMTP_HOST": None, "PROPAGATE_EXCEPTIONS": False,
                      "UPLOAD_FOLDER": str(workdir / "uploads"), "GUARD_LIMIT_ACCOUNT": "10000000 per minute",
                      "GUARD_LIMIT_IP": "10000000 per minute", "GUARD_LIMIT_LOOKUP": "10000000 per minute",
                      "WEBFORM_LIMIT": "10000000 per minute"})
    with app.app_context():
        upgrade()
        world = factories.world()
        ids = sweep_cases.make_ids(world)
    routes, names = fuzz.post_routes(app, ids), fuzz.form_field_names()
    rng = random.Random(seed)
    roles = ["owner@acme.example", "coord@acme.example", "rep@acme.example", None]
    errors: Counter = Counter()
    statuses: Counter = Counter()
    examples: dict[str, tuple] = {}
    started = time.perf_counter()
    clients, forms = {}, {}
    pages = fuzz.get_routes(app, ids)
    for who in roles:
        client = Client(app)
        if who:
            client.login(who)
        clients[who] = client
        forms[who] = fuzz.harvest(client, pages)
    print(f"{len(pages)} pages read; forms found: " + ", ".join(f"{w or 'anonymous'} {len(f)}" for w, f in forms.items()))
    for i in range(args.posts):
        who = roles[i % len(roles)]
        client = clients[who]
        # Half are real forms with a few fields spoiled (they get past validation), half random bodies.
        if i % 2 and forms[who]:
            endpoint, status, data = fuzz.fire_form(client, rng, forms[who])
        else:
            endpoint, status, data = fuzz.fire(client, rng, routes, names)
        statuses[status // 100 * 100] += 1
        if status >= 500:
            errors[endpoint] += 1
            examples.setdefault(endpoint, (who, {k: v if isinstance(v, str) else repr(v) for k, v in data.items()}))
        # A post may sign the poster out (logout, a password change): sign in again to keep fuzzing as them.
        if who and (endpoint == "auth.logout" or (i % 97 == 0 and client.get("/profile").status_code != 200)):
            client.forget_token()
            client.login(who)
    elapsed = time.perf_counter() - started
    print(f"seed {seed}: {args.posts} posts over {len(routes)} POST routes and {len(names)} field names "
          f"on {'PostgreSQL' if admin else 'SQLite'} in {elapsed:.0f} s")
    print("answers by class: " + ", ".join(f"{k}xx={v}" for k, v in sorted(statuses.items())).replace("00xx", "xx"))
    print(f"5xx: {sum(errors.values())}")
    for endpoint, count in errors.most_common():
        print(f"  {count:5d}  {endpoint}  e.g. as {examples[endpoint][0]}: {examples[endpoint][1]!r}"[:600])
    with app.app_context():
        db.engine.dispose()
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
