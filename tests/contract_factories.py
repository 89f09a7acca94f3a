"""Accounts and contracts for tests. Call inside an app context; each returns plain ids."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert

from i18n.money import Money
from tenants.db import db
from tenants.scoping import tenant_context
from web.accounts import service as accounts
from web.contracts import service as contracts
from web.contracts.models import Contract
from web.deliverables import service as deliverables


def account(tenant, name="Harbor Lane Outfitters", country="US", currency="USD", actor_id=None) -> int:
    with tenant_context(tenant.id):
        row = accounts.create_account(accounts.AccountData(name=name, country=country, currency=currency,
                                                           language="en"), actor_id=actor_id)
        db.session.commit()
        return row.id


def contract(tenant, account_id, owner, *, coordinator=None, value="27500", currency="USD", starts=None, ends=None,
             signed_on=None, notice_days=30, title="Trade show package", auto_renew=False) -> int:
    starts = starts or date.today() - timedelta(days=100)
    ends = ends or starts + timedelta(days=364)
    with tenant_context(tenant.id):
        row = contracts.create_contract(tenant, contracts.ContractData(
            account_id=account_id, owner_id=owner.id, coordinator_id=coordinator.id if coordinator else None,
            title=title, starts_on=starts, ends_on=ends, value=Money(value, currency), notice_days=notice_days,
            auto_renew=auto_renew), actor_id=owner.id, signed_on=signed_on)
        contracts.commit()
        return row.id


def deliverable(tenant, contract_id, *, kind="ad_placement", details="Full page, issue 3", due_on=None,
                responsible=None, status="planned") -> int:
    with tenant_context(tenant.id):
        row = deliverables.add_deliverable(db.session.get(Contract, contract_id), kind=deliverables.kind_by_key(kind),
                                        details=details, due_on=due_on or date.today(),
                                        responsible_id=responsible.id if responsible else None, status=status)
        db.session.commit()
        return row.id


def many_contracts(tenant, account_id, owner, coordinator, count: int, *, start: date | None = None) -> None:
    """Bulk rows for query-count tests and benchmarks: signed, spread over the coming year."""
    start = start or date.today()
    with tenant_context(tenant.id):
        deliverables.kinds()
        rows = []
        for i in range(count):
            ends = start + timedelta(days=i % 365)
            rows.append(dict(tenant_id=tenant.id, number=f"B-{start.isoformat()}-{i:06d}", account_id=account_id, owner_id=owner.id,
                             coordinator_id=coordinator.id, title=f"Bulk {i}", status="active",
                             signed_on=ends - timedelta(days=400), starts_on=ends - timedelta(days=364), ends_on=ends,
                             value_amount=Decimal(1000 + i), value_currency="USD", base_amount=Decimal(900 + i),
                             base_currency="EUR", fx_rate=Decimal("0.9"), fx_rate_date=ends - timedelta(days=400),
                             fx_source="ecb", auto_renew=False, notice_days=30, version=1))
        for chunk in range(0, len(rows), 2000):
            db.session.execute(insert(Contract), rows[chunk:chunk + 2000])
        db.session.commit()


class Maker:
    """The functions above, each run in the app's context: `cf = Maker(app); cf.account(world.acme)`."""

    def __init__(self, app):
        self.app = app

    def __getattr__(self, name):
        fn = globals()[name]

        def call(*args, **kwargs):
            with self.app.app_context():
                return fn(*args, **kwargs)

        return call
