"""Screenshots of the demo for the README: home, contract list, a contract and deliverables, at 1366x900 and on a
390x844 phone. Run: .venv/bin/python docs/screenshots/take.py (builds a fresh demo in a temporary folder,
serves it on a free port, drives Debian's chromium, writes PNGs beside this file)."""
from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

PAGES = [("home", "/t/demo/"), ("contracts", "/t/demo/contracts"), ("contract", None),
         ("deliverables", "/t/demo/deliverables")]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def main() -> None:
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from sqlalchemy import text
    from werkzeug.serving import make_server

    from tenants.db import db
    from web import create_app, demo, tick

    folder = Path(tempfile.mkdtemp(prefix="coordina-shots-"))
    os.environ["COORDINA_INSTANCE"] = str(folder)
    app = create_app({"ENV": "development", "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
                      "SECRET_KEY": "screenshots-secret-key-long-enough-0123456789", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        demo.seed()
        contract_id = db.session.execute(text(
            "SELECT c.id FROM contracts c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'demo' "
            "AND c.status = 'active' AND EXISTS (SELECT 1 FROM deliverables d WHERE d.contract_id = c.id) "
            "ORDER BY c.id")).scalar()
    tick.run(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(base + "/login")
            page.locator("#email").fill("owner@demo.example.com")
            page.locator("#password").fill(demo.PASSWORD)
            page.locator("main button[type=submit]").click()
            page.wait_for_url("**/t/demo/")
            for name, address in PAGES:
                page.goto(base + (address or f"/t/demo/contracts/{contract_id}"))
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(HERE / f"{name}-{size}.png"), full_page=False)
                print(f"{name}-{size}.png")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
