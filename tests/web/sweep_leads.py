"""Sweep makers for leads routes (see sweep_cases.py): argument name -> function(world) -> an id of acme's."""
from __future__ import annotations

from tenants.db import db
from web.activities.models import Activity
from web.imports.models import ImportIssue, ImportJob
from web.leads.models import Lead
from web.questionnaire.models import Question, QuestionOption


def _lead(world):
    lead = Lead(company="Sweep Lead", company_key="sweep lead", source="cold_research", status="new")
    db.session.add(lead)
    db.session.commit()
    return lead.id


def _question(world):
    question = Question(kind="choice", texts={"en": "Which fair?"}, position=1)
    db.session.add(question)
    db.session.commit()
    return question.id


def _option(world):
    question = Question(kind="choice", texts={"en": "Which size?"}, position=2)
    db.session.add(question)
    db.session.flush()
    option = QuestionOption(question_id=question.id, labels={"en": "Large"}, points=3)
    db.session.add(option)
    db.session.commit()
    return option.id


def _import(world):
    job = ImportJob(filename="sweep.csv", raw="company\nAcme\n", encoding="utf-8", delimiter=",", headers=["company"],
                    mapping={"company": [0]}, status="done", total=1, processed=1)
    db.session.add(job)
    db.session.commit()
    return job.id


def _issue(world):
    job = ImportJob(filename="sweep2.csv", raw="company\nAcme\n", encoding="utf-8", delimiter=",",
                    headers=["company"], mapping={"company": [0]}, status="done", total=1, processed=1)
    db.session.add(job)
    db.session.flush()
    issue = ImportIssue(job_id=job.id, line=2, kind="duplicate", problems=[], data={"company": "Acme"})
    db.session.add(issue)
    db.session.commit()
    return issue.id


def _activity(world):
    lead = Lead(company="Sweep Activity", company_key="sweep activity", source="cold_research", status="new")
    db.session.add(lead)
    db.session.flush()
    activity = Activity(lead_id=lead.id, kind="call", subject="Call back", assignee_id=world.coordinator.id)
    db.session.add(activity)
    db.session.commit()
    return activity.id


def _account(world):
    from web.accounts.models import Account

    account = Account(name="Sweep Account", name_key="sweep account")
    db.session.add(account)
    db.session.commit()
    return account.id


MAKERS: dict = {
    "lead_id": _lead,
    "question_id": _question,
    "option_id": _option,
    "import_id": _import,
    "issue_id": _issue,
    "activity_id": _activity,
    "account_id": _account,
}
