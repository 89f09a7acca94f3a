"""Plain functions that make leads and their companions for tests. Call them inside an app context."""
from __future__ import annotations

from decimal import Decimal

from tenants.db import db
from tenants.scoping import tenant_context
from web.activities.models import Activity
from web.imports.models import ImportIssue, ImportJob
from web.leads import service as leads
from web.leads.models import Lead
from web.questionnaire import service as questionnaire
from web.questionnaire.models import Question, QuestionOption

from .factories import detach


def lead(tenant, *, company="Bottega Verdi", status="new", value=None, currency="EUR", owner=None, **fields) -> Lead:
    """A lead of `tenant` (value as a string, e.g. "12000")."""
    from i18n.money import Money

    with tenant_context(tenant.id):
        data = leads.LeadData(company=company, value=Money(Decimal(value), currency) if value else None,
                              owner_id=owner.id if owner else None,
                              **{k: v for k, v in fields.items() if k in leads.LeadData.__dataclass_fields__})
        row = leads.create_lead(data, actor_id=None, status=status)
        for name, value_ in fields.items():
            if name not in leads.LeadData.__dataclass_fields__:
                setattr(row, name, value_)
        db.session.commit()
        return detach(row)


def question(tenant, kind="yes_no", en="Do they have a budget this year?", *, it=None, vi=None, options=(),
             **rules) -> Question:
    """A question of `tenant`'s questionnaire; `options` are (english label, points) for a choice."""
    with tenant_context(tenant.id):
        texts = {"en": en, **({"it": it} if it else {}), **({"vi": vi} if vi else {})}
        row = questionnaire.add_question(questionnaire.QuestionData(kind=kind, texts=texts, **rules), actor_id=None)
        for position, (label, points) in enumerate(options, start=1):
            db.session.add(QuestionOption(question_id=row.id, labels={"en": label}, points=points, position=position))
        db.session.commit()
        return detach(row)


def options_of(tenant, question_row) -> list[QuestionOption]:
    from sqlalchemy import select

    with tenant_context(tenant.id):
        rows = list(db.session.scalars(select(QuestionOption).where(QuestionOption.question_id == question_row.id)
                                       .order_by(QuestionOption.position)))
        return [detach(r) for r in rows]


def activity(tenant, lead_row=None, *, account_id=None, subject="Call back the assistant", due_on=None,
             assignee=None, kind="call") -> Activity:
    with tenant_context(tenant.id):
        row = Activity(lead_id=lead_row.id if lead_row else None, account_id=account_id, kind=kind, subject=subject,
                       due_on=due_on, assignee_id=assignee.id if assignee else None)
        db.session.add(row)
        db.session.commit()
        return detach(row)


def import_job(tenant, text="company,email\nAcme,a@acme.example\nBeta,not-an-email\n", *, run=True) -> ImportJob:
    """A small import with one refused row, run to the end (or left at its first step)."""
    from web.imports import service as importer

    with tenant_context(tenant.id):
        tenant_row = db.session.get(type(tenant), tenant.id)
        job = importer.create_job(tenant_row, "small.csv", text.encode(), owner_id=None, actor_id=None)
        if run:
            importer.set_mapping(job, job.mapping)
            importer.start(job)
            while importer.step(job, tenant_row):
                pass
        return detach(job)


def issue(tenant, job) -> ImportIssue:
    with tenant_context(tenant.id):
        row = ImportIssue(job_id=job.id, line=3, kind="duplicate", problems=[], data={"company": "Acme"})
        db.session.add(row)
        db.session.commit()
        return detach(row)


def account(tenant, name="Acme Holding S.r.l.", **fields):
    from web.accounts import service as accounts

    with tenant_context(tenant.id):
        row = accounts.create_account(accounts.AccountData(name=name, **fields), actor_id=None)
        db.session.commit()
        return detach(row)


class Bound:
    """These factories, each run in its own app context (tests call them between requests)."""

    def __init__(self, app):
        self.app = app

    def __getattr__(self, name):
        fn = globals()[name]

        def call(*args, **kwargs):
            with self.app.app_context():
                return fn(*args, **kwargs)

        return call
