"""Demo cases: open ones on the demo's accounts, some breached (opened days ago), all with Giulia; one solved with
a note and an email in its thread; the public case form on, its cases going to Giulia."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from i18n.locales import is_supported
from tenants.db import db, utcnow
from tenants.models import Tenant, User

from ..accounts.models import Account, Contact
from ..contracts.models import Contract
from . import service
from .models import Case, CaseEntry

CASES = [
    # (subject, priority, channel, days ago, status)
    ("The banner on our homepage links to a dead page", "high", "phone", 6, "new"),
    ("Invoice shows the wrong VAT number", "normal", "email", 9, "open"),
    ("Our logo is missing from the printed catalogue", "urgent", "phone", 3, "open"),
    ("Booth size smaller than the contract says", "high", "meeting", 0, "new"),
    ("Can we move our ad to the March issue?", "low", "email", 1, "waiting"),
    ("Newsletter placement sent to the wrong segment", "normal", "phone", 14, "solved"),
]


def seed(tenant: Tenant) -> None:
    """A handful of cases, once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Case)):
        return
    giulia = db.session.scalar(select(User).where(User.email == "giulia@demo.example.com"))
    accounts = list(db.session.scalars(select(Account).where(Account.id.in_(select(Contract.account_id)))
                                       .order_by(Account.id).limit(len(CASES))))
    if giulia is None or not accounts:
        return
    row = service.settings()
    row.webform_enabled, row.webform_assignee_id = True, giulia.id
    db.session.flush()
    now = utcnow()
    for i, (subject, priority, channel, days, status) in enumerate(CASES):
        account = accounts[i % len(accounts)]
        contact = db.session.scalar(select(Contact).where(Contact.account_id == account.id).order_by(Contact.id)
                                    .limit(1))
        contract_id = service.routing_contract(account.id)
        opened = now - timedelta(days=days, hours=2)
        case = service.open_case(subject=subject, channel=channel, priority=priority, account_id=account.id,
                                 contact_id=contact.id if contact else None, contract_id=contract_id,
                                 assignee_id=giulia.id, actor_id=giulia.id, now=opened)
        service.add_entry(case, "system", "opened", author_id=giulia.id, details=json.dumps({"channel": channel}))
        if status in ("open", "waiting", "solved"):
            service.add_entry(case, "note", "Called the client: they will send a screenshot.", author_id=giulia.id,
                              details=json.dumps({"phone": True}))
            case.first_answered_at = opened + timedelta(hours=1)
            service._set_status(case, "open", actor_id=giulia.id, now=opened + timedelta(hours=1))
        if status == "waiting":
            service._set_status(case, "waiting", actor_id=giulia.id, now=now - timedelta(hours=3))
        if status == "solved":
            if contact is not None and contact.email:
                locale = contact.language if is_supported(contact.language) else tenant.default_locale
                service.add_entry(case, "email", "We have resent the newsletter to the right list. Sorry for the "
                                  "trouble.", author_id=giulia.id, to_email=contact.email, locale=locale)
            service._set_status(case, "solved", actor_id=giulia.id, now=opened + timedelta(days=2))
        db.session.flush()
        # The thread as it happened: the first line when the case came in, the next ones an hour apart, the last
        # (a wait, a solution) when it was made.
        entries = list(db.session.scalars(select(CaseEntry).where(CaseEntry.case_id == case.id)
                                          .order_by(CaseEntry.id)))
        for n, entry in enumerate(entries):
            entry.created_at = opened + timedelta(hours=n)
        if status == "waiting":
            entries[-1].created_at = now - timedelta(hours=3)
        if status == "solved":
            entries[-1].created_at = opened + timedelta(days=2)
    db.session.commit()
