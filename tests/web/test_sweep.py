"""Every tenant route, built from the URL map, answers 404 to anyone who is not the owner's tenant.

A new route with an argument this file does not know how to fill fails the suite: add a maker for it.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from . import sweep_cases

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def tenant_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/t/<tenant>"):
            yield rule


def _build(app, rule, values):
    missing = [arg for arg in rule.arguments if arg != "tenant" and arg not in values]
    assert not missing, (
        f"{rule.endpoint} ({rule.rule}) takes {missing}: add a maker to tests/web/sweep_cases.py so the sweep "
        "can prove another tenant gets 404"
    )
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


@pytest.fixture
def acme_ids(app, world):
    with app.app_context():
        return SimpleNamespace(world=world, ids=sweep_cases.make_ids(world))


def _request(client, method, url):
    if method == "GET":
        return client.get(url)
    return client.http.open(url, method=method, data={"csrf_token": client.token()})


def test_a_member_of_another_tenant_gets_404_on_every_tenant_route(app, client, acme_ids):
    client.login("owner@rival.example")
    checked = 0
    for rule in tenant_rules(app):
        if sweep_cases.is_public(app, rule):
            continue
        url = _build(app, rule, {"tenant": "acme", **acme_ids.ids})
        for method in sorted(rule.methods & set(METHODS)):
            response = _request(client, method, url)
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 8


def test_a_member_gets_404_for_another_tenants_ids_under_their_own_slug(app, client, acme_ids):
    client.login("owner@rival.example")
    checked = 0
    for rule in tenant_rules(app):
        if not (set(rule.arguments) - {"tenant"}) or sweep_cases.is_public(app, rule):
            continue
        url = _build(app, rule, {"tenant": "rival", **acme_ids.ids})
        for method in sorted(rule.methods & set(METHODS)):
            response = _request(client, method, url)
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 4


def test_an_unknown_tenant_is_404_for_members_and_a_sign_in_for_strangers(client, acme_ids):
    assert client.get("/t/nowhere/").status_code == 302  # strangers learn nothing: sign in first
    client.login("owner@rival.example")
    assert client.get("/t/nowhere/").status_code == 404
    assert client.get("/t/nowhere/team").status_code == 404
