"""The reports read rollups the database keeps (migrations 0018 and 0025), not every lead and contract (issue 15):
after every kind of write (the ORM, a bulk UPDATE, a delete, a user's removal), what they show equals what
counting the leads and contracts themselves gives, computed here from the rows."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from flask import g
from sqlalchemy import case, delete, select, update

from tenants.db import db
from tenants.models import Membership, Tenant, User
from tenants.scoping import tenant_context
from web.contracts.models import OPEN_STATUSES, Contract
from web.leads.models import Lead

from .. import lead_factories as lf


def _forecast_from_rows(app, world, rep_ids, today):
    """{(rep or None, quarter index, source): {currency: weighed sum}} from every lead and contract."""
    from web.reports import forecast

    quarters = forecast.coming_quarters(today)
    with app.app_context(), tenant_context(world.acme.id):
        odds = forecast.odds()
        leads = db.session.scalars(select(Lead)).all()
        contracts = db.session.scalars(select(Contract)).all()

    def index(day):
        return next((i for i, q in enumerate(quarters) if day <= q.end), None)

    cells = defaultdict(lambda: defaultdict(Decimal))

    def add(rep, i, source, currency, amount):
        for key in (rep, None):
            cells[(key, i, source)][currency] += amount

    for lead in leads:
        rep = lead.handed_to_id or lead.owner_id
        if lead.status in forecast.OPEN_LEADS and lead.value_amount is not None and rep in rep_ids:
            add(rep, 0, "leads", lead.value_currency, lead.value_amount * odds[lead.status] / 100)
    for c in contracts:
        if c.owner_id not in rep_ids:
            continue
        if c.status == "draft" and index(c.starts_on) is not None:
            add(c.owner_id, index(c.starts_on), "drafts", c.value_currency, c.value_amount * odds["draft"] / 100)
        if c.status in OPEN_STATUSES and quarters[0].start <= c.ends_on <= quarters[-1].end:
            percent = odds["auto_renewal" if c.auto_renew else "renewal"]
            add(c.owner_id, index(c.ends_on), "renewals", c.value_currency, c.value_amount * percent / 100)
    return {key: {cur: amount for cur, amount in sums.items() if amount} for key, sums in cells.items()}


def _forecast_shown(app, world, rep_ids, today):
    from web.reports import forecast

    with app.test_request_context(), tenant_context(world.acme.id):
        g.tenant = db.session.get(Tenant, world.acme.id)
        reps = [db.session.get(User, rep_id) for rep_id in rep_ids]
        result = forecast.forecast(reps, "EUR", today)
    shown = {}
    for (rep, i), cell in result.cells.items():
        for source in ("leads", "drafts", "renewals"):
            sums = defaultdict(Decimal)
            for currency, amount in getattr(cell, source):
                sums[currency] += amount
            if any(sums.values()):
                shown[(rep, i, source)] = {cur: amount for cur, amount in sums.items() if amount}
    return shown


def test_the_forecast_read_from_rollups_agrees_with_the_leads_and_contracts_after_every_kind_of_write(app, world,
                                                                                                      cf):
    from web.reports import forecast

    today = date.today()
    quarters = forecast.coming_quarters(today)
    account_id = cf.account(world.acme, name="Forecast Rollup Srl")
    with app.app_context():
        for n, (status, value, currency, owner, handed) in enumerate([
                ("new", "1000", "EUR", world.rep, None), ("qualified", "250.50", "USD", world.rep, None),
                ("handed_off", "7000", "JPY", world.rep, world.rep2), ("researching", None, "EUR", world.rep2, None),
                ("converted", "9000", "EUR", world.rep, None), ("qualified", "5", "EUR", world.rep2, None)]):
            lf.lead(world.acme, company=f"Forecast {n}", status=status, value=value, currency=currency, owner=owner,
                    handed_to_id=handed.id if handed else None)
        lf.lead(world.rival, company="Elsewhere", status="qualified", value="123", currency="EUR")
    for n, (value, currency, starts, ends, signed, auto, owner) in enumerate([
            ("8000", "USD", quarters[1].start, quarters[1].start + timedelta(days=364), False, False, world.rep),
            ("3000", "EUR", quarters[0].end - timedelta(days=364), quarters[0].end, True, False, world.rep),
            ("400000", "JPY", quarters[2].start - timedelta(days=300), quarters[2].start + timedelta(days=5), True,
             True, world.rep2),
            ("120.25", "GBP", today - timedelta(days=500), today - timedelta(days=140), False, False, world.rep2),
            ("999", "EUR", quarters[3].start - timedelta(days=200), quarters[3].end, True, False, world.rep)]):
        cf.contract(world.acme, account_id, owner, value=value, currency=currency, starts=starts, ends=ends,
                    signed_on=today - timedelta(days=1) if signed else None, auto_renew=auto,
                    title=f"Forecast {n}")
    rep_ids = [world.rep.id, world.rep2.id]

    def check(rep_ids=rep_ids):
        expected = _forecast_from_rows(app, world, rep_ids, today)
        assert _forecast_shown(app, world, rep_ids, today) == expected
        return expected

    # 10% of a new 1,000 EUR, 40% of a qualified 5 EUR and 250.50 USD, 60% of 7,000 JPY handed off.
    assert check()[(None, 0, "leads")] == {"EUR": Decimal(102), "USD": Decimal("100.20"), "JPY": Decimal(4200)}
    assert (world.rep2.id, 0, "leads") in check()
    with app.app_context(), tenant_context(world.acme.id):
        draft = db.session.scalar(select(Contract).where(Contract.title == "Forecast 0"))
        draft.starts_on, draft.value_amount = quarters[2].start, Decimal("8100")
        db.session.commit()
        # One column at a time: each must be one the triggers watch.
        for change in (dict(owner_id=world.rep2.id), dict(auto_renew=True), dict(value_currency="USD"),
                       dict(ends_on=quarters[1].end)):
            db.session.execute(update(Contract).where(Contract.title == "Forecast 1").values(**change))
        db.session.execute(update(Contract).where(Contract.title == "Forecast 3").values(status="active"))
        db.session.execute(delete(Contract).where(Contract.title == "Forecast 4"))
        lead = db.session.scalar(select(Lead).where(Lead.company == "Forecast 0"))
        lead.status, lead.value_amount, lead.handed_to_id = "qualified", Decimal("1500"), world.rep2.id
        db.session.commit()
        db.session.execute(update(Lead).where(Lead.value_currency == "USD").values(value_currency="EUR"))
        db.session.execute(delete(Lead).where(Lead.company == "Forecast 5"))
        db.session.commit()
    moved = check()
    assert moved[(world.rep2.id, 1, "renewals")] == {"USD": Decimal("3000") * 95 / 100}  # now automatic, in USD
    assert (world.rep.id, 3, "renewals") not in moved
    with app.app_context():
        # Rosa leaves the company: the lead handed to her counts again for its owner, Marco.
        with tenant_context(world.acme.id):
            db.session.execute(update(Contract).where(Contract.owner_id == world.rep2.id).values(owner_id=world.rep.id))
        db.session.execute(delete(Membership).where(Membership.user_id == world.rep2.id))
        db.session.execute(delete(User).where(User.id == world.rep2.id))
        db.session.commit()
    assert check([world.rep.id])[(world.rep.id, 0, "leads")]["JPY"] == Decimal(4200)


def test_leads_per_coordinator_read_from_rollups_agree_with_the_leads_after_every_kind_of_write(app, client, world):
    """The compiled report's leads per coordinator: who teed each lead up, else its owner, per status."""
    with app.app_context():
        for n, (status, teed, owner) in enumerate([
                ("new", world.coordinator, world.rep), ("qualified", world.coordinator, world.rep2),
                ("converted", None, world.coordinator), ("disqualified", world.coordinator, None),
                ("qualified", None, world.rep)]):
            lf.lead(world.acme, company=f"Teed {n}", status=status, owner=owner,
                    teed_up_by_id=teed.id if teed else None)

    def shown():
        page = client.get("/t/acme/reports/compiled?period=all").get_data(as_text=True)
        row = page[page.index("c-leads-h"):]
        row = row[row.index(world.coordinator.name):]
        return [int(cell.split(">")[-1]) for cell in row[:row.index("</tr>")].split("</td>")[1:-1]]

    def counted():
        from web.leads.models import STATUS_LABELS
        with app.app_context(), tenant_context(world.acme.id):
            rows = db.session.scalars(select(Lead)).all()
        mine = [lead.status for lead in rows if (lead.teed_up_by_id or lead.owner_id) == world.coordinator.id]
        return [mine.count(status) for status in STATUS_LABELS] + [len(mine)]

    client.sign_in("manager@acme.example")
    assert shown() == counted() and counted()[-1] == 4
    with app.app_context(), tenant_context(world.acme.id):
        lead = db.session.scalar(select(Lead).where(Lead.company == "Teed 0"))
        lead.status = "researching"
        db.session.commit()
        db.session.execute(update(Lead).where(Lead.company == "Teed 4").values(teed_up_by_id=world.coordinator.id))
        db.session.execute(delete(Lead).where(Lead.company == "Teed 1"))
        db.session.commit()
    assert shown() == counted() and counted()[-1] == 4


# --- the team report ------------------------------------------------------------------------------------------

def _team_rows_from_contracts(bounds, rep_ids, base):
    """The team report's three reads as they were before the rollups, straight from the contracts."""
    from sqlalchemy import distinct, func
    from sqlalchemy.orm import aliased

    from web.reports import service

    currency, day, amount = service._locked_parts(Contract.value_currency, Contract.value_amount,
                                                  Contract.base_currency, Contract.base_amount, Contract.signed_on,
                                                  base)
    signed = (select(Contract.owner_id, Contract.value_currency, currency, day, amount,
                     func.sum(Contract.value_amount), func.count())
              .where(Contract.signed_on.is_not(None), Contract.status != "draft", Contract.owner_id.in_(rep_ids))
              .group_by(Contract.owner_id, Contract.value_currency, currency, day))
    kept = (select(Contract.owner_id, func.sum(case((Contract.status == "renewed", 1), else_=0)),
                   func.sum(case((Contract.status.in_(service.LOST), 1), else_=0)))
            .where(Contract.owner_id.in_(rep_ids), Contract.status != "draft").group_by(Contract.owner_id))
    earlier = aliased(Contract)
    first = (select(func.min(earlier.signed_on))
             .where(earlier.account_id == Contract.account_id, earlier.signed_on.is_not(None)).scalar_subquery())
    new = (select(Contract.owner_id, func.count(distinct(Contract.account_id)))
           .where(Contract.signed_on.is_not(None), Contract.status != "draft", Contract.renewal_of_id.is_(None),
                  Contract.signed_on == first).group_by(Contract.owner_id))
    if bounds:
        signed = signed.where(Contract.signed_on >= bounds[0], Contract.signed_on <= bounds[1])
        kept = kept.where(Contract.ends_on >= bounds[0], Contract.ends_on <= bounds[1])
        new = new.where(Contract.signed_on >= bounds[0], Contract.signed_on <= bounds[1])
    return [sorted(tuple(row) for row in db.session.execute(stmt)) for stmt in (signed, kept, new)]


def test_the_team_report_read_from_rollups_agrees_with_the_contracts_after_every_kind_of_write(app, world, cf):
    """contract_signed_rollups, contract_rollups and account_first_signatures answer the team report's signed value
    (locked in today's base or converted at its day), renewals kept and lost, and new customers exactly as
    reading every contract did, for a quarter, a month and all time."""
    from web.reports import service

    today = date.today()
    accounts = [cf.account(world.acme, name=f"Team Rollup {n}") for n in range(3)]
    for n, (account, owner, value, currency, signed, ends) in enumerate([
            (0, world.rep, "1000", "EUR", -40, 30), (0, world.rep2, "2500.50", "USD", -40, 60),
            (0, world.rep, "300000", "JPY", -10, -5), (1, world.rep2, "700", "EUR", None, 200),
            (1, world.rep, "90", "GBP", -100, -20), (2, world.rep, "45.45", "USD", -3, 400)]):
        cf.contract(world.acme, accounts[account], owner, value=value, currency=currency, title=f"Team {n}",
                    signed_on=today + timedelta(days=signed) if signed is not None else None,
                    starts=today - timedelta(days=200), ends=today + timedelta(days=ends))
    periods = [service.parse_period(key, today) for key in
               (f"{today.year}-Q{(today.month - 1) // 3 + 1}", f"{today.year}-{today.month:02d}", "all")]
    rep_ids = [world.rep.id, world.rep2.id]

    def check():
        with app.app_context(), tenant_context(world.acme.id):
            for period in periods:
                bounds = service._bounds(period, "UTC")
                rolled = [sorted(tuple(row) for row in rows) for rows in (
                    service._signed_rows(bounds, rep_ids, "EUR"), service._renewal_rows(bounds, rep_ids),
                    service._new_account_rows(bounds, rep_ids))]
                assert rolled == _team_rows_from_contracts(bounds, rep_ids, "EUR"), period.key
            return rolled  # all time

    signed, _kept, new = check()
    # Account 0 is a new customer for both reps (each signed a first contract that day), 1 and 2 for Marco.
    assert sum(row[-1] for row in signed) == 5 and sum(count for _owner, count in new) == 4
    with app.app_context(), tenant_context(world.acme.id):
        def one(n):
            return db.session.scalar(select(Contract).where(Contract.title == f"Team {n}"))

        draft = one(3)
        draft.status, draft.signed_on = "active", today - timedelta(days=200)  # account 1's first signature moves
        renewed = one(0)
        renewed.status = "renewed"
        db.session.commit()
        # One column at a time: each must be one the triggers watch.
        # Account 2's only signature moves to account 0, which signed earlier: account 2 has signed nothing left.
        for change in (dict(signed_on=today - timedelta(days=1)), dict(account_id=accounts[0]),
                       dict(owner_id=world.rep2.id), dict(base_currency="USD"), dict(value_amount=Decimal("46"))):
            db.session.execute(update(Contract).where(Contract.title == "Team 5").values(**change))
        db.session.execute(update(Contract).where(Contract.title == "Team 4").values(status="cancelled"))
        db.session.execute(delete(Contract).where(Contract.title == "Team 1"))
        db.session.commit()
    signed, kept, new = check()
    assert sorted(new) == [(world.rep.id, 1), (world.rep2.id, 1)] and sum(row[-1] for row in signed) == 5
    assert {owner: (int(won), int(lost)) for owner, won, lost in kept} == {world.rep.id: (1, 1), world.rep2.id: (0, 0)}
    with app.app_context(), tenant_context(world.acme.id):
        # Account 0's first signature goes: its next (Team 2, ten days ago) is its first now.
        db.session.execute(delete(Contract).where(Contract.title == "Team 0"))
        db.session.commit()
    _signed, _kept, new = check()
    assert sorted(new) == [(world.rep.id, 1), (world.rep2.id, 1)]
