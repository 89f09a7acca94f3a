"""Fuzzing every form of the app: posts made of the fields real forms have, filled with what breaks parsers.

Used by tests/web/test_fuzz.py (a few hundred posts per role, every run) and bench/fuzz_forms.py (tens of
thousands, with a seed printed). Every POST route of the URL map is reached with real record ids of the
poster's tenant (from the sweep's makers), a valid CSRF token, and fields drawn from the names every form
class declares, with values that have broken forms before: NaN, 1e400, NUL bytes, CR/LF, spaces, huge
numbers, non-numeric ids, dates that are not dates, javascript: links.
"""
from __future__ import annotations

import io
import random
from html.parser import HTMLParser

from werkzeug.datastructures import FileStorage
from wtforms.fields.core import UnboundField

from tenants.resolve import OUTSIDE, route_access
from web.forms import Form

NASTY = [
    "", " ", "   ", "\t", "0", "-1", "1", "2", "3", "99999999999999999999", "1e400", "1E-30", "1e30", "NaN", "sNaN",
    "Infinity", "-Infinity", "abc", "12abc", "1.234,56", "1,234.56", "24.500,00", "€ 12", "12 -", "٣٤", "１２",
    "0x1F", "1_000", "2026-02-30", "2026-13-01", "31/12/2026", "9999-12-31", "0001-01-01", "yes", "no", "on",
    "true", "None", "null", "javascript:alert(1)", "https://example.com/x", "http://", "data:text/html,<b>",
    "a@b", "user@example.com", "\x00", "a\x00b", "line\r\nBcc: evil@example.com", "\r\n", "\u202eevil",
    "<script>alert(1)</script>", "' OR 1=1 --", "%(x)s", "{x}", "../../etc/passwd", "x" * 5000, "EUR", "VND",
    "XXX", "it", "vi", "zz", "Europe/Rome", "Mars/Olympus", "owner", "admin", "distributor", "draft", "delivered",
    "planned", "qualified", "converted", "fixed", "percent", "none", "create", "merge", "skip", "up", "down",
]


def form_field_names() -> list[str]:
    """Every field name any form class of the app declares, plus names views read directly."""
    names = {"csrf_token", "status", "back", "version", "direction", "action", "locale", "next", "token"}
    stack = [Form]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        for klass in cls.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, UnboundField):
                    names.add(name)
    names.update(f"q-{i}" for i in range(1, 4))
    names.update(f"map-{f}" for f in ("company", "email", "phone", "contact_name", "owner", "value", "created"))
    return sorted(names - {"csrf_token"})


def post_routes(app, ids: dict) -> list[tuple[str, str]]:
    """(endpoint, url) of every POST route, its arguments filled with ids the poster's tenant owns."""
    from flask import url_for

    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods:
                continue
            values = {"tenant": "acme", "token": "not-a-real-token", **ids}
            args = {k: v for k, v in values.items() if k in rule.arguments}
            if set(rule.arguments) - set(args):
                continue
            routes.append((rule.endpoint, url_for(rule.endpoint, **args)))
    return sorted(routes)


def random_post(rng: random.Random, names: list[str]) -> dict:
    """A form body: a handful of real field names with nasty or random values, sometimes a file."""
    data = {}
    for name in rng.sample(names, k=min(len(names), rng.randint(1, 12))):
        roll = rng.random()
        if roll < 0.6:
            value = rng.choice(NASTY)
        elif roll < 0.8:
            value = "".join(rng.choice("0123456789.,- ") for _ in range(rng.randint(0, 25)))
        else:
            value = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 40)))
        data[name] = value
    if rng.random() < 0.15:
        name = rng.choice(["file", "proof_file"])
        content = rng.choice([b"%PDF-1.4 x", b"\x00\x01\x02", "company,email\nA,a@b.example\n".encode(), b""])
        filename = rng.choice(["a.pdf", "a.csv", "x\x00.pdf", "../../evil.pdf", "a.exe", "", "noext"])
        data[name] = FileStorage(io.BytesIO(content), filename=filename)
    return data


def fire(client, rng: random.Random, routes, names, *, htmx: bool | None = None):
    """One fuzzed post; returns (endpoint, status)."""
    endpoint, url = rng.choice(routes)
    data = random_post(rng, names)
    data["csrf_token"] = client.token()
    headers = {"HX-Request": "true"} if (rng.random() < 0.5 if htmx is None else htmx) else {}
    response = client.http.post(url, data=data, headers=headers, content_type="multipart/form-data")
    return endpoint, response.status_code, data


def is_outside(app, endpoint: str) -> bool:
    return route_access(app, endpoint) == OUTSIDE


# --- forms as the pages render them ---------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form method=post> of a page: its action and each field with the value the page gives it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}, "options": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["options"].setdefault(a["name"], []).append(a.get("value") or "on")
                return
            self._form["fields"][a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._form["fields"][a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], "")
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            self._form["options"].setdefault(self._select, []).append(value)
            if "selected" in a or not self._form["fields"][self._select]:
                self._form["fields"][self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def get_routes(app, ids: dict) -> list[str]:
    """Every GET page of the app that takes no more than the ids the sweep can make."""
    from flask import url_for

    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.endswith((".csv", ".ics")):
                continue
            values = {"tenant": "acme", **ids}
            args = {k: v for k, v in values.items() if k in rule.arguments}
            if set(rule.arguments) - set(args):
                continue
            urls.append(url_for(rule.endpoint, **args))
    return sorted(set(urls))


def harvest(client, urls: list[str]) -> list[dict]:
    """The post forms of every page as this client sees them (actions kept once, with their fields)."""
    found: dict[tuple, dict] = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in (response.mimetype or ""):
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            if form["action"].startswith("/") and not form["action"].endswith(("/logout",)):
                found.setdefault((form["action"], tuple(sorted(form["fields"]))), form)
    return list(found.values())


def mutate(rng: random.Random, form: dict) -> dict:
    """The form as the page fills it, with one to three fields replaced by something nasty (or another option)."""
    data = {k: v for k, v in form["fields"].items() if k != "csrf_token"}
    names = sorted(set(data) | set(form["options"]))
    for name in rng.sample(names, k=min(len(names), rng.randint(1, 3))):
        roll = rng.random()
        if roll < 0.25 and form["options"].get(name):
            data[name] = rng.choice(form["options"][name])
        elif roll < 0.9:
            data[name] = rng.choice(NASTY)
        else:
            data.pop(name, None)
    return data


def fire_form(client, rng: random.Random, forms: list[dict], *, htmx: bool | None = None):
    """One post of a real form, mutated; returns (action, status, data)."""
    form = rng.choice(forms)
    data = mutate(rng, form)
    data["csrf_token"] = client.token()
    headers = {"HX-Request": "true"} if (rng.random() < 0.5 if htmx is None else htmx) else {}
    response = client.http.post(form["action"], data=data, headers=headers)
    return form["action"], response.status_code, data
