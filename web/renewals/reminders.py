"""Scheduled renewal work for `coordina tick`: statuses, automatic renewals and renewal reminders.

Every step is idempotent: a second tick the same day changes nothing and sends nothing, and two
machines ticking at once cannot send a reminder twice (a unique row is written before the mail).
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from i18n.fx import RateUnavailable
from tenants import audit
from tenants.db import commit, db
from tenants.models import Tenant, User
from tenants.scoping import tenant_context

from ..contracts import service as contracts
from ..contracts.models import Contract, Status
from ..links import public_url_for
from ..mail import send_email
from . import service
from .models import ContractReminder

EXPIRING_WINDOW = 30  # days before the notice deadline from which an active contract shows as expiring


def _tenant_ids() -> list[int]:
    return list(db.session.scalars(select(Tenant.id).order_by(Tenant.id)))


def mark_statuses(tenant: Tenant, today: date) -> dict:
    """Active -> expiring as the notice deadline nears; past the end -> expired, or renewed for auto-renewals."""
    counts = {"expiring": 0, "expired": 0, "auto_renewed": 0}
    open_contracts = list(db.session.scalars(
        select(Contract).where(Contract.status.in_([Status.active.value, Status.expiring.value]))
    ))
    for contract in open_contracts:
        if contract.ends_on < today:
            if contract.auto_renew and service.renewal_of(contract) is None:
                try:
                    renewal = service.start_renewal(contract, tenant, actor_id=None)
                    contracts.sign(renewal, tenant, renewal.starts_on, actor_id=None)
                    counts["auto_renewed"] += 1
                    continue
                except RateUnavailable:
                    pass  # without a rate it cannot be signed: it expires and the people are told by reminders
            if contract.status != Status.renewed.value:
                contract.status = Status.expired.value
                audit.record("contract.expired", actor_id=None, subject_type="contract", subject_id=contract.id,
                             details={"ends_on": contract.ends_on.isoformat()})
                counts["expired"] += 1
        elif contract.status == Status.active.value and today >= contract.notice_deadline - timedelta(days=EXPIRING_WINDOW):
            contract.status = Status.expiring.value
            audit.record("contract.expiring", actor_id=None, subject_type="contract", subject_id=contract.id,
                         details={"notice_deadline": contract.notice_deadline.isoformat()})
            counts["expiring"] += 1
    commit()
    return counts


def send_reminders(tenant: Tenant, today: date) -> int:
    """Mail the rep and the coordinator as each reminder threshold before the notice deadline is reached."""
    thresholds = contracts.contract_settings().reminder_thresholds
    db.session.commit()
    if not thresholds:
        return 0
    horizon = today + timedelta(days=max(thresholds))
    candidates = list(db.session.scalars(
        select(Contract)
        .where(Contract.status.in_([Status.active.value, Status.expiring.value]),
               Contract.ends_on >= today, Contract.ends_on <= horizon + timedelta(days=730))
        .options(selectinload(Contract.account), selectinload(Contract.owner), selectinload(Contract.coordinator))
    ))
    sent = 0
    for contract in candidates:
        deadline = contract.notice_deadline
        if deadline < today or service.renewal_of(contract) is not None:
            continue
        reached = [t for t in thresholds if today >= deadline - timedelta(days=t)]
        if not reached:
            continue
        most_urgent = min(reached)
        recipients: list[User] = [contract.owner] + ([contract.coordinator] if contract.coordinator else [])
        for person in {p.id: p for p in recipients}.values():
            if _already(contract, person, most_urgent, deadline):
                continue
            try:
                with db.session.begin_nested():
                    for threshold in reached:
                        if not _already(contract, person, threshold, deadline):
                            db.session.add(ContractReminder(contract_id=contract.id, recipient_id=person.id,
                                                            threshold_days=threshold, deadline=deadline))
                    db.session.flush()
            except IntegrityError:
                continue  # another tick got there first
            send_email(person.email, "renewal_reminder", person.locale or tenant.default_locale, person=person,
                       contract=contract, tenant=tenant, days_left=(deadline - today).days, deadline=deadline,
                       link=public_url_for("contracts.show", tenant=tenant.slug, contract_id=contract.id),
                       renew_link=public_url_for("contracts.show", tenant=tenant.slug, contract_id=contract.id,
                                                 _anchor="renew"))
            audit.record("contract.reminder_sent", actor_id=None, subject_type="contract", subject_id=contract.id,
                         details={"to": person.email, "days_before_deadline": most_urgent})
            sent += 1
        db.session.commit()
    return sent


def _already(contract: Contract, person: User, threshold: int, deadline: date) -> bool:
    return db.session.scalar(select(ContractReminder.id).where(
        ContractReminder.contract_id == contract.id, ContractReminder.recipient_id == person.id,
        ContractReminder.threshold_days == threshold, ContractReminder.deadline == deadline)) is not None


def run(app: Flask, today: date | None = None) -> dict:
    """For each tenant in turn, inside its own tenant context."""
    today = today or date.today()
    totals = {"expiring": 0, "expired": 0, "auto_renewed": 0, "reminders": 0}
    for tenant_id in _tenant_ids():
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_context(tenant.id):
            for key, value in mark_statuses(tenant, today).items():
                totals[key] += value
            totals["reminders"] += send_reminders(tenant, today)
        db.session.expunge_all()
    return totals
