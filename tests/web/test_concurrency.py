"""Two people saving the same record at the same moment: one save wins, the other gets the conflict message
with what they typed, and nobody gets a 5xx. One test per versioned edit, the posts released together."""
from __future__ import annotations

import threading
from datetime import date

import pytest

from tenants.db import db
from tenants.scoping import tenant_context
from web.accounts.models import Account
from web.contracts.models import Contract
from web.deliverables.models import Deliverable
from web.leads.models import Lead
from web.questionnaire.models import Question

from .. import factories as f
from .. import lead_factories as lf
from .contract_helpers import SIGNED
from .lead_helpers import make_questionnaire


def together(*posts):
    """Run the posts at the same moment, in threads; their responses in order."""
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def run(i, post):
        barrier.wait()
        results[i] = post()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _version(app, tenant, model, row_id) -> int:
    with app.app_context(), tenant_context(tenant.id):
        return db.session.get(model, row_id).version


def _two(make_client, email="coord@acme.example", other="manager@acme.example"):
    first, second = make_client(), make_client()
    first.sign_in(email)
    second.sign_in(other)
    first.token(), second.token()  # fetched before the race, as a page would have
    return first, second


def _one_wins(responses, loser_text: str):
    codes = sorted(r.status_code for r in responses)
    assert codes[0] in (200, 303) and codes[1] == 409, codes
    loser = next(r for r in responses if r.status_code == 409)
    assert f.shows(loser, loser_text)
    return loser


def test_fifty_pairs_of_answer_saves_one_wins_the_other_keeps_their_input(app, make_client, world):
    budget, size, *_ = make_questionnaire(app, world)
    first, second = _two(make_client)
    for pair in range(50):
        lead = lf.Bound(app).lead(world.acme, company=f"Pair {pair}")
        version = str(_version(app, world.acme, Lead, lead.id))
        mine = {f"q-{budget.id}": "yes", f"q-{size.id}": "120", "version": version}
        theirs = {f"q-{budget.id}": "no", f"q-{size.id}": "7", "version": version}
        responses = together(lambda: first.post(f"/t/acme/leads/{lead.id}/answers", mine, htmx=True),
                             lambda: second.post(f"/t/acme/leads/{lead.id}/answers", theirs, htmx=True))
        loser = _one_wins(responses, "Someone saved this lead while you were answering")
        kept = "120" if loser is responses[0] else "7"
        assert f'value="{kept}"' in loser.get_data(as_text=True)  # their input, not the winner's


def test_two_saves_of_an_account(app, make_client, world, cf):
    account_id = cf.account(world.acme, name="Harbor Lane")
    first, second = _two(make_client)
    version = str(_version(app, world.acme, Account, account_id))
    base = {"name": "Harbor Lane", "country": "US", "version": version}
    responses = together(
        lambda: first.post(f"/t/acme/accounts/{account_id}", {**base, "notes": "Mine"}),
        lambda: second.post(f"/t/acme/accounts/{account_id}", {**base, "notes": "Theirs"}))
    _one_wins(responses, "was changed by someone else while you were editing")


def test_two_saves_of_a_contract(app, make_client, world, cf):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    first, second = _two(make_client)
    version = str(_version(app, world.acme, Contract, contract_id))
    base = {"account_id": str(account_id), "title": "Trade show package", "owner_id": str(world.rep.id),
            "starts_on": "2026-01-01", "ends_on": "2026-12-31", "value_amount": "27500", "value_currency": "USD",
            "notice_days": "30", "version": version}
    responses = together(lambda: first.post(f"/t/acme/contracts/{contract_id}", {**base, "notes": "Mine"}),
                         lambda: second.post(f"/t/acme/contracts/{contract_id}", {**base, "notes": "Theirs"}))
    _one_wins(responses, "was changed by someone else while you were editing")


@pytest.mark.parametrize("edit", ["status", "full"])
def test_two_saves_of_a_deliverable(app, make_client, world, cf, edit):
    account_id = cf.account(world.acme)
    contract_id = cf.contract(world.acme, account_id, world.rep, signed_on=SIGNED)
    deliverable_id = cf.deliverable(world.acme, contract_id)
    first, second = _two(make_client)
    version = str(_version(app, world.acme, Deliverable, deliverable_id))
    url = f"/t/acme/contracts/{contract_id}/deliverables/{deliverable_id}"
    if edit == "status":
        responses = together(lambda: first.post(url + "/status", {"status": "delivered", "version": version}, htmx=True),
                             lambda: second.post(url + "/status", {"status": "missed", "version": version}, htmx=True))
        _one_wins(responses, "Someone changed this deliverable a moment ago")
        return
    with app.app_context(), tenant_context(world.acme.id):
        kind_id = db.session.get(Deliverable, deliverable_id).kind_id
    base = {"kind_id": str(kind_id), "details": "Full page", "due_on": date(2026, 12, 1).isoformat(),
            "status": "planned", "version": version}
    responses = together(lambda: first.post(url, {**base, "department": "Mine"}),
                         lambda: second.post(url, {**base, "department": "Theirs"}))
    _one_wins(responses, "Someone changed this deliverable while you were editing")


def test_two_saves_of_a_lead(app, make_client, world):
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi")
    first, second = _two(make_client)
    version = str(_version(app, world.acme, Lead, lead.id))
    base = {"company": "Bottega Verdi", "source": "referral", "currency": "EUR", "version": version}
    responses = together(lambda: first.post(f"/t/acme/leads/{lead.id}", {**base, "notes": "Mine"}),
                         lambda: second.post(f"/t/acme/leads/{lead.id}", {**base, "notes": "Theirs"}))
    _one_wins(responses, "Someone else saved this lead while you were editing")


def test_two_saves_of_a_question(app, make_client, world):
    budget, *_ = make_questionnaire(app, world)
    first, second = _two(make_client, "owner@acme.example", "admin@acme.example")
    version = str(_version(app, world.acme, Question, budget.id))
    base = {"kind": "yes_no", "points_yes": "10", "points_no": "-5", "version": version}
    responses = together(
        lambda: first.post(f"/t/acme/leads/questionnaire/{budget.id}", {**base, "text_en": "Budget this year?"}),
        lambda: second.post(f"/t/acme/leads/questionnaire/{budget.id}", {**base, "text_en": "Any budget?"}))
    _one_wins(responses, "Someone else saved this question meanwhile")
