"""Conversions per second: 100,000 amounts in random pairs on random dates, through the app's rate book.

Run: .venv/bin/python bench/fx_convert.py [--count N]
Uses the demo database (instance/coordina.sqlite3, made by `coordina demo --no-serve`) or DATABASE_URL.
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import date
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from i18n.money import Money
    from web import create_app
    from web.rates import service

    app = create_app()
    with app.app_context():
        upgrade()
    rng = random.Random(1)
    codes = ["EUR", "USD", "JPY", "GBP", "CHF", "SEK", "PLN", "HUF", "CZK", "AUD", "CAD", "CNY", "KRW", "INR"]
    start, end = date(2010, 1, 1).toordinal(), date(2026, 10, 30).toordinal()
    batch = [(Money(Decimal(rng.randint(1, 10**9)) / 100, rng.choice(codes)), rng.choice(codes),
              date.fromordinal(rng.randint(start, end))) for _ in range(args.count)]
    with app.test_request_context():
        book = service.book_for(None)
        t0 = time.perf_counter()
        for money, target, _day in batch[:len(codes)]:
            book.convert(money, target, date(2026, 1, 5))  # warm: load each currency's series once
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        for money, target, day in batch:
            book.convert(money, target, day)
        elapsed = time.perf_counter() - t0
    print(f"series load (first use of {len(codes)} currencies): {warm * 1000:.0f} ms")
    print(f"{args.count} conversions in {elapsed:.2f} s: {args.count / elapsed:,.0f} conversions/s")


if __name__ == "__main__":
    main()
