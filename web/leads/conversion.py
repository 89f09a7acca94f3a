"""Conversion: a lead becomes an account (or joins the one it was linked to), a contact and a draft contract,
its value carried over in its currency."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from i18n.money import Money
from tenants import audit
from tenants.db import db, utcnow
from tenants.models import Role, Tenant, User

from ..accounts import service as accounts
from ..accounts.models import Account
from ..contracts import service as contracts
from . import signals
from .models import Lead, Status
from .service import CONVERTS_ANY, LeadError, _status_text


def can_convert(lead: Lead, user: User, role: Role | None) -> bool:
    if lead.status in (Status.converted.value, Status.disqualified.value):
        return False
    if lead.status == Status.handed_off.value and lead.accepted_at is None:
        return False  # the rep answers the hand-off first
    if role in CONVERTS_ANY:
        return True
    return role == Role.rep and user.id in (lead.handed_to_id, lead.owner_id)


@dataclass
class ConversionData:
    account_name: str
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    contract_title: str
    starts_on: date
    ends_on: date
    value: Money


def convert(lead: Lead, tenant: Tenant, data: ConversionData, *, actor: User) -> tuple[Account, object]:
    """Turn the lead into an account (or use the one it is linked to), a contact and a draft contract,
    its value carried over in its currency. The caller commits with contracts.service.commit()."""
    if lead.status in (Status.converted.value, Status.disqualified.value):
        raise LeadError(_l("A lead that is %(status)s cannot be converted.", status=_status_text(lead.status)))
    account = db.session.get(Account, lead.account_id) if lead.account_id else None
    if account is None:
        account = accounts.create_account(accounts.AccountData(
            name=data.account_name, country=lead.country, language=lead.language, currency=data.value.currency,
            website=lead.website, phone=lead.phone), actor_id=actor.id)
    if data.contact_name:
        accounts.add_contact(account, accounts.ContactData(
            name=data.contact_name, job_title=lead.contact_title, email=data.contact_email, phone=data.contact_phone,
            language=lead.language), actor_id=actor.id)
    teed_up_by = db.session.get(User, lead.teed_up_by_id) if lead.teed_up_by_id else None
    note = _("Converted from the lead “%(lead)s”.", lead=lead.title)
    if teed_up_by is not None:
        note += " " + _("Teed up by %(name)s.", name=teed_up_by.name)
    contract = contracts.create_contract(tenant, contracts.ContractData(
        account_id=account.id, owner_id=lead.handed_to_id or lead.owner_id or actor.id,
        coordinator_id=lead.teed_up_by_id, title=data.contract_title, starts_on=data.starts_on, ends_on=data.ends_on,
        value=data.value, notes=note), actor_id=actor.id)
    old = lead.status
    lead.status, lead.account_id, lead.contract_id = Status.converted.value, account.id, contract.id
    lead.converted_at, lead.converted_by_id = utcnow(), actor.id
    # Other features move what hangs off the lead to the customer (activities), in this same transaction.
    signals.lead_converted.send(current_app._get_current_object(), lead=lead, account=account, contract=contract)
    audit.record("lead.converted", actor_id=actor.id, subject_type="lead", subject_id=lead.id,
                 details={"status": [old, lead.status], "account": account.name, "contract": contract.number,
                          "value": str(contract.value)})
    return account, contract
