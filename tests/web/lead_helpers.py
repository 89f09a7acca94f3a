"""Helpers the lead features' tests share: a questionnaire, a qualified lead, a hand-off accepted, a signature."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import g
from sqlalchemy import func, select, update

from tenants.db import db
from tenants.models import Tenant, User
from tenants.scoping import tenant_context
from web.bonuses import service as bonuses
from web.contracts import service as contracts
from web.contracts.models import Contract
from web.leads.models import Lead, LeadSettings
from web.questionnaire.models import Answer

from .. import factories as f
from .. import lead_factories as lf


def count_rows(app, tenant, model, *where) -> int:
    with app.app_context(), tenant_context(tenant.id):
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def lead_row(app, tenant, lead_id) -> Lead:
    with app.app_context(), tenant_context(tenant.id):
        return f.detach(db.session.get(Lead, lead_id))


def id_from(response) -> int:
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def text_of(response) -> str:
    return response.get_data(as_text=True)


GOOD = {"company": "Bottega Verdi S.r.l.", "contact_name": "Anna Neri", "contact_title": "Assistant to the CEO",
        "email": "anna@bottegaverdi.example", "phone": "+39 02 1234 5678", "website": "bottegaverdi.example",
        "country": "IT", "language": "it", "source": "event", "value": "12000", "currency": "EUR",
        "tags": "Fair 2026, vip"}


def make_questionnaire(app, world):
    with app.app_context():
        budget = lf.Bound(app).question(world.acme, "yes_no", "Is there a budget this year?", it="C'è un budget quest'anno?",
                             points_yes=10, points_no=-5)
        size = lf.Bound(app).question(world.acme, "number", "How many employees?", threshold=Decimal(50), points_threshold=5)
        timing = lf.Bound(app).question(world.acme, "choice", "When do they buy?", options=[("This quarter", 7), ("Next year", 1)])
        notes = lf.Bound(app).question(world.acme, "text", "Who decides?", points_answered=2)
        return budget, size, timing, notes, lf.Bound(app).options_of(world.acme, timing)


def qualified(app, world, **fields):
    budget, *_ = make_questionnaire(app, world)
    lead = lf.Bound(app).lead(world.acme, company="Bottega Verdi", status="qualified", contact_name="Anna Neri",
                   phone="+39 02 1234 5678", value="12000", **fields)
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(Answer(lead_id=lead.id, question_id=budget.id, yes=True))
        db.session.execute(update(Lead).where(Lead.id == lead.id).values(score=10))
        db.session.commit()
    return lead


def set_locale(app, user, locale):
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(locale=locale))
        db.session.commit()


def set_bonus_rule(app, world, rule, **values):
    with app.test_request_context(), tenant_context(world.acme.id):
        bonuses.set_rule(db.session.get(Tenant, world.acme.id), rule, amount=values.get("amount"),
                         percent=values.get("percent"), actor_id=None)


def accepted(app, client, make_client, world, **fields):
    lead = qualified(app, world, **fields)
    client.login("coord@acme.example")
    client.post(f"/t/acme/leads/{lead.id}/handoff", {"rep_id": str(world.rep.id), "note": "Hot"})
    rep = make_client()
    rep.login("rep@acme.example")
    rep.post(f"/t/acme/leads/{lead.id}/accept")
    return lead, rep


CONVERSION = {"account_name": "Bottega Verdi S.r.l.", "contact_name": "Anna Neri", "contact_email": "anna@bottegaverdi.example",
              "contact_phone": "+39 02 1234 5678", "title": "Fiera 2027 stand", "starts_on": "2026-12-01",
              "ends_on": "2027-11-30", "value": "12000", "currency": "USD"}


def sign(app, world, contract_id, day=date(2026, 11, 2)):
    """Sign the draft as the contracts page will, committing through contracts.service.commit()."""
    with app.test_request_context(), tenant_context(world.acme.id):
        g.tenant = tenant = db.session.get(Tenant, world.acme.id)
        contract = db.session.get(Contract, contract_id)
        contracts.sign(contract, tenant, day, actor_id=world.rep.id)
        contracts.commit()


def enable_webform(app, world, owner=None):
    with app.app_context(), tenant_context(world.acme.id):
        db.session.add(LeadSettings(bonus_rule="none", webform_enabled=True,
                                    webform_owner_id=owner.id if owner else None))
        db.session.commit()


VISITOR = {"company": "Pasticceria Dolce", "name": "Lucia Bianchi", "email": "Lucia@PasticceriaDolce.example",
           "phone": "'+39 06 555 0101", "country": "IT", "message": "We need a stand at the spring fair"}


def post_answers(app, client, world, lead_id, answers: dict, **kwargs):
    """Post a lead's answer sheet as the page does: with the version of the lead it was opened on."""
    version = lead_row(app, world.acme, lead_id).version
    return client.post(f"/t/acme/leads/{lead_id}/answers", {**answers, "version": str(version)}, **kwargs)
