"""No input makes a 5xx: random posts to every form of the app as owner, coordinator, rep and anonymous.

The posts are built from the fields real forms have and values that have broken forms before (see fuzz.py).
Hypothesis picks the seed, so a failure is shrunk to one reproducible post; bench/fuzz_forms.py runs the
same at 20,000 posts and prints the count.
"""
from __future__ import annotations

import random
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzz, sweep_cases

POSTS_PER_ROLE = 150


@pytest.fixture
def fuzzing(app, world, make_client):
    with app.app_context():
        ids = sweep_cases.make_ids(world)
    # The fuzz is about server errors, not about being slowed down by our own rate limits.
    app.config.update(GUARD_LIMIT_ACCOUNT="100000 per minute", GUARD_LIMIT_IP="100000 per minute",
                      GUARD_LIMIT_LOOKUP="100000 per minute", WEBFORM_LIMIT="100000 per minute")
    return SimpleNamespace(routes=fuzz.post_routes(app, ids), names=fuzz.form_field_names(), make_client=make_client,
                           pages=fuzz.get_routes(app, ids))


@pytest.mark.parametrize("who", ["owner@acme.example", "coord@acme.example", "rep@acme.example", None])
def test_no_form_post_gets_a_server_error(app, fuzzing, who):
    client = fuzzing.make_client()
    if who:
        client.login(who)
    forms = fuzz.harvest(client, fuzzing.pages)
    failures = []

    @settings(max_examples=POSTS_PER_ROLE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(seed=st.integers(min_value=0, max_value=2**32 - 1))
    def post(seed):
        rng = random.Random(seed)
        # Half are the app's own forms with a few fields spoiled (they get past validation), half random bodies.
        if seed % 2 and forms:
            endpoint, status, data = fuzz.fire_form(client, rng, forms)
        else:
            endpoint, status, data = fuzz.fire(client, rng, fuzzing.routes, fuzzing.names)
        if status >= 500:
            failures.append((endpoint, status, seed, {k: (v if isinstance(v, str) else repr(v)) for k, v in data.items()}))
        assert status < 500, f"{endpoint} answered {status} to {data!r} (seed {seed})"
        if endpoint in ("auth.logout", "/logout", "profile.password", "/profile/password"):
            client.forget_token()
            if who:
                client.login(who)

    post()
    assert not failures
