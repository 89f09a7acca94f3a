"""Sweep makers for accounts and contracts routes (see sweep_cases.py): an id of one of acme's records."""
from __future__ import annotations

import io
from datetime import date, timedelta

from werkzeug.datastructures import FileStorage

from i18n.money import Money
from tenants.db import db
from web.accounts import service as accounts
from web.billing import service as billing
from web.contracts import service as contracts
from web.deliverables import service as deliverables
from web.files import service as files

PDF = b"%PDF-1.4\n%%EOF\n"


def _tenant(world):
    return world.acme


def _account(world):
    account = accounts.create_account(accounts.AccountData(name="Sweep Account", country="IT"), actor_id=None)
    db.session.commit()
    return account


def _contract(world):
    account = _account(world)
    contract = contracts.create_contract(world.acme, contracts.ContractData(
        account_id=account.id, owner_id=world.rep.id, coordinator_id=None, title="Sweep",
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), value=Money(1000, "EUR")), actor_id=None,
        signed_on=date(2026, 1, 1))
    contracts.commit()
    return contract


def account_id(world):
    return _account(world).id


def contact_id(world):
    account = _account(world)
    contact = accounts.add_contact(account, accounts.ContactData(name="Sweep Contact"), actor_id=None)
    db.session.commit()
    return contact.id


def contract_id(world):
    return _contract(world).id


def deliverable_id(world):
    contract = _contract(world)
    stored = files.store(FileStorage(io.BytesIO(PDF), "proof.pdf"), None)
    deliverable = deliverables.add_deliverable(contract, kind=deliverables.kinds()[0], details="Sweep",
                                            due_on=date.today() + timedelta(days=3))
    deliverable.proof_file_id = stored.id
    db.session.commit()
    return deliverable.id


def entry_id(world):
    entry = billing.add_billing_entry(_contract(world), amount=Money(100, "EUR"), due_on=date(2026, 6, 1))
    db.session.commit()
    return entry.id


def document_id(world):
    contract = _contract(world)
    stored = files.store(FileStorage(io.BytesIO(PDF), "signed.pdf"), None)
    document = contracts.add_document(contract, label="Signed", url=None, file_id=stored.id, actor_id=None)
    db.session.commit()
    return document.id


def kind_id(world):
    kind = deliverables.kinds()[0]
    db.session.commit()
    return kind.id


MAKERS = {
    "account_id": account_id,
    "contact_id": contact_id,
    "contract_id": contract_id,
    "deliverable_id": deliverable_id,
    "entry_id": entry_id,
    "document_id": document_id,
    "kind_id": kind_id,
}
