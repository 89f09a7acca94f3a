"""Coordinator bonuses: credited once when a converted contract is signed, the rules, the ledger's totals."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import g
from sqlalchemy import select

from tenants.db import db
from tenants.models import Tenant
from tenants.scoping import tenant_context
from web.bonuses import service as bonuses
from web.bonuses.models import BonusEntry
from web.contracts import service as contracts
from web.contracts.models import Contract
from web.leads.models import Lead

from .. import factories as f
from .. import lead_factories as lf
from .lead_helpers import (
    CONVERSION,
    accepted,
    count_rows,
    lead_row,
    set_bonus_rule,
    sign,
    text_of,
)


def test_the_coordinators_bonus_is_credited_once_when_the_converted_contract_is_signed(app, client, make_client, world):
    set_bonus_rule(app, world, "percent", percent=Decimal("5"))
    lead, rep = accepted(app, client, make_client, world)
    rep.post(f"/t/acme/leads/{lead.id}/convert", CONVERSION)
    contract_id = lead_row(app, world.acme, lead.id).contract_id
    assert count_rows(app, world.acme, BonusEntry) == 0  # a draft earns nothing
    sign(app, world, contract_id)
    with app.app_context(), tenant_context(world.acme.id):
        entry = db.session.scalars(select(BonusEntry)).one()
        contract = db.session.get(Contract, contract_id)
        assert (entry.coordinator_id, entry.currency, entry.rule) == (world.coordinator.id, "EUR", "percent")
        assert entry.amount == (contract.base_amount * Decimal("0.05")).quantize(Decimal("0.01"))
        assert (entry.contract_amount, entry.contract_currency) == (Decimal("12000"), "USD")
        assert (entry.fx_rate, entry.fx_rate_date, entry.fx_source) == (contract.fx_rate, contract.fx_rate_date, "ecb")
        tenant = db.session.get(Tenant, world.acme.id)
        amount = entry.amount
    # Edited again, signalled again, caught up by the tick job: still one entry.
    with app.test_request_context(), tenant_context(world.acme.id):
        g.tenant = tenant = db.session.get(Tenant, world.acme.id)
        contract = db.session.get(Contract, contract_id)
        contracts.update_contract(contract, tenant, contracts.ContractData(
            account_id=contract.account_id, owner_id=contract.owner_id, coordinator_id=contract.coordinator_id,
            title="Fiera 2027 stand, bigger", starts_on=contract.starts_on, ends_on=contract.ends_on,
            value=contracts.Money(Decimal("20000"), "USD")), version=contract.version, actor_id=world.rep.id)
        contracts.signals.contract_signed.send(app, contract=db.session.get(Contract, contract_id), actor_id=None)
        assert bonuses.catch_up(tenant) == 0
    from web import tick

    assert tick.run(app)["bonuses"] == {"credited": 0}
    assert count_rows(app, world.acme, BonusEntry) == 1
    ledger = client.get("/t/acme/leads/bonuses", query_string={"period": "2026-11"})
    assert ledger.status_code == 200 and "C-2026-0001" in text_of(ledger)
    with app.test_request_context():
        from i18n.money import format_money

        assert format_money(contracts.Money(amount, "EUR"), "it") in text_of(ledger)


def test_a_fixed_bonus_and_a_lead_nobody_teed_up(app, client, make_client, world):
    set_bonus_rule(app, world, "fixed", amount=Decimal("250"))
    lead, rep = accepted(app, client, make_client, world)
    rep.post(f"/t/acme/leads/{lead.id}/convert", CONVERSION)
    own = lf.Bound(app).lead(world.acme, company="Rep's own find", owner=world.rep, status="qualified")
    rep.post(f"/t/acme/leads/{own.id}/convert", {**CONVERSION, "account_name": "Rep's own find"})
    sign(app, world, lead_row(app, world.acme, lead.id).contract_id)
    sign(app, world, lead_row(app, world.acme, own.id).contract_id)
    with app.app_context(), tenant_context(world.acme.id):
        entry = db.session.scalars(select(BonusEntry)).one()  # the rep's own lead earns nobody a bonus
        assert (entry.amount, entry.currency, entry.rule, entry.fx_rate) == (Decimal("250"), "EUR", "fixed", None)


def test_a_signal_missed_is_credited_by_the_tick_job(app, client, make_client, world):
    set_bonus_rule(app, world, "fixed", amount=Decimal("100"))
    lead, rep = accepted(app, client, make_client, world)
    rep.post(f"/t/acme/leads/{lead.id}/convert", CONVERSION)
    contract_id = lead_row(app, world.acme, lead.id).contract_id
    receivers = contracts.signals.contract_signed.receivers.copy()
    contracts.signals.contract_signed.receivers.clear()  # as if the process died right after signing
    try:
        sign(app, world, contract_id, day=date.today())
    finally:
        contracts.signals.contract_signed.receivers.update(receivers)
    assert count_rows(app, world.acme, BonusEntry) == 0
    from web import tick

    assert tick.run(app)["bonuses"] == {"credited": 1}
    assert tick.run(app)["bonuses"] == {"credited": 0}
    assert count_rows(app, world.acme, BonusEntry) == 1


def test_a_new_bonus_rule_never_pays_for_contracts_signed_before_it(app, client, make_client, world):
    lead, rep = accepted(app, client, make_client, world)
    rep.post(f"/t/acme/leads/{lead.id}/convert", CONVERSION)
    sign(app, world, lead_row(app, world.acme, lead.id).contract_id, day=date.today() - timedelta(days=1))
    set_bonus_rule(app, world, "fixed", amount=Decimal("100"))  # decided the day after
    from web import tick

    assert tick.run(app)["bonuses"] == {"credited": 0}
    assert count_rows(app, world.acme, BonusEntry) == 0


def _entry(world, lead_id, contract_id, amount, currency, earned_on, coordinator):
    return BonusEntry(lead_id=lead_id, contract_id=contract_id, coordinator_id=coordinator.id, amount=Decimal(amount),
                      currency=currency, rule="fixed", contract_amount=Decimal("1000"), contract_currency="EUR",
                      earned_on=earned_on)


def test_the_bonus_ledger_totals_each_coordinator_in_the_base_currency(app, client, make_client, world):
    other = None
    with app.app_context():
        other = f.person(world.acme, "lan@acme.example", "coordinator", name="Lan Coordinator", locale="vi")
        account = lf.Bound(app).account(world.acme, name="Ledger Account")
        with tenant_context(world.acme.id):
            rows = []
            for i, (amount, currency, day, person) in enumerate([
                    ("100", "EUR", date(2026, 11, 3), world.coordinator), ("200", "EUR", date(2026, 11, 20), world.coordinator),
                    ("110", "USD", date(2026, 10, 30), world.coordinator),  # kept in USD when the base was USD
                    ("50", "EUR", date(2026, 11, 5), other), ("999", "EUR", date(2026, 9, 1), other)]):
                lead = Lead(company=f"Ledger lead {i}", source="referral", status="converted")
                contract = Contract(number=f"C-L-{i}", account_id=account.id, owner_id=world.rep.id, title="x",
                                    starts_on=day, ends_on=day, value_amount=Decimal(1000), value_currency="EUR")
                db.session.add_all([lead, contract])
                db.session.flush()
                rows.append(_entry(world, lead.id, contract.id, amount, currency, day, person))
            db.session.add_all(rows)
            db.session.commit()
    client.login("admin@acme.example")
    november = text_of(client.get("/t/acme/leads/bonuses", query_string={"period": "2026-11"}))
    assert "350,00\xa0€" not in november  # English reader
    assert "€350.00" in november and "€300.00" in november and "€50.00" in november
    quarter = text_of(client.get("/t/acme/leads/bonuses", query_string={"period": "2026-Q4",
                                                                      "coordinator": world.coordinator.id}))
    with app.test_request_context():
        from web.rates.service import book_for

        usd = book_for(None).convert(contracts.Money(Decimal(110), "USD"), "EUR", date(2026, 10, 30)).amount.amount
    assert f"€{Decimal(300) + usd:,.2f}" in quarter and "Lan Coordinator" not in quarter.split("Entries")[1]
    coordinator = make_client()
    coordinator.login("lan@acme.example")
    own = text_of(coordinator.get("/t/acme/leads/bonuses", query_string={"period": "all", "coordinator": world.coordinator.id}))
    assert "Ledger lead 3" in own and "Ledger lead 4" in own and "Ledger lead 0" not in own  # only their own
    assert client.post("/t/acme/leads/bonuses/rule", {"rule": "percent", "percent": "150"}).status_code == 422
    assert client.post("/t/acme/leads/bonuses/rule", {"rule": "fixed", "amount": ""}).status_code == 422
    assert coordinator.post("/t/acme/leads/bonuses/rule", {"rule": "fixed", "amount": "1"}).status_code == 403
