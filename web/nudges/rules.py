"""Nudge rules: the tenant's own and the three the product ships, and their text per language."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tenants import audit
from tenants.db import db
from tenants.models import Tenant

from ..accounts.models import Account
from ..contracts.models import OPEN_STATUSES, Contract
from ..deliverables.service import kinds as deliverable_kinds
from .models import NudgeRule, NudgeTemplate
from .service import Conflict, _locale, check_text
from .texts import BUILTIN, TEXTS


def rules() -> list[NudgeRule]:
    return list(db.session.scalars(select(NudgeRule).options(joinedload(NudgeRule.kind),
                                                             joinedload(NudgeRule.contract))
                                   .order_by(NudgeRule.id)))


def get_rule(rule_id: int) -> NudgeRule | None:
    return db.session.scalar(select(NudgeRule).where(NudgeRule.id == rule_id)
                             .options(joinedload(NudgeRule.kind), joinedload(NudgeRule.contract)))


def templates_of(rule_id: int) -> dict[str, NudgeTemplate]:
    return {t.locale: t for t in db.session.scalars(select(NudgeTemplate).where(NudgeTemplate.rule_id == rule_id))}


@dataclass
class RuleData:
    name: str
    trigger: str
    days: int
    action: str
    hold_hours: int
    kind_id: int | None = None
    contract_id: int | None = None
    active: bool = True


def save_rule(rule: NudgeRule | None, data: RuleData, texts: dict[str, tuple[str, str]], *, actor_id: int,
              version: int | None = None) -> NudgeRule:
    """Create or change a rule and its text per language (a blank language falls back on the others). Commits;
    TemplateProblem for an unknown placeholder, Conflict when someone saved it meanwhile."""
    for subject, body in texts.values():
        check_text(subject)
        check_text(body)
    if rule is None:
        rule = NudgeRule(created_by_id=actor_id)
        db.session.add(rule)
        action = "nudge.rule_added"
    else:
        if version is not None and version != rule.version:
            raise Conflict()
        action = "nudge.rule_changed"
    for field in ("name", "trigger", "days", "action", "hold_hours", "kind_id", "contract_id", "active"):
        setattr(rule, field, getattr(data, field))
    db.session.flush()
    existing = templates_of(rule.id)
    for locale, (subject, body) in texts.items():
        row = existing.get(locale)
        if not subject and not body:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            db.session.add(NudgeTemplate(rule_id=rule.id, locale=locale, subject=subject, body=body))
        else:
            row.subject, row.body = subject, body
    audit.record(action, actor_id=actor_id, subject_type="nudge_rule", subject_id=rule.id,
                 details={"rule": rule.name, "trigger": rule.trigger, "days": rule.days, "action": rule.action,
                          "hold_hours": rule.hold_hours})
    db.session.commit()
    return rule


def add_builtin_rules(tenant: Tenant, *, actor_id: int | None) -> list[NudgeRule]:
    """The three rules the product ships (banner, discount, new contract), with their text in en, it and vi;
    those whose deliverable kind the tenant does not have are left out. Commits."""
    kinds = {k.key: k.id for k in deliverable_kinds(include_inactive=True)}
    made = []
    for key, name, trigger, days, kind_key, action, hold in BUILTIN:
        if kind_key is not None and kind_key not in kinds:
            continue
        with force_locale(_locale(tenant.default_locale)):
            label = str(name)
        rule = NudgeRule(name=label, trigger=trigger, days=days, kind_id=kinds.get(kind_key), action=action,
                         hold_hours=hold, created_by_id=actor_id)
        db.session.add(rule)
        db.session.flush()
        for locale, (subject, body) in TEXTS[key].items():
            db.session.add(NudgeTemplate(rule_id=rule.id, locale=locale, subject=subject, body=body))
        audit.record("nudge.rule_added", actor_id=actor_id, subject_type="nudge_rule", subject_id=rule.id,
                     details={"rule": rule.name})
        made.append(rule)
    db.session.commit()
    return made


def contract_choices(limit: int = 500) -> list[tuple[int, str]]:
    return [(c.id, f"{c.number} · {name}") for c, name in db.session.execute(
        select(Contract, Account.name).join(Account, Account.id == Contract.account_id)
        .where(Contract.status.in_(OPEN_STATUSES)).order_by(Contract.number).limit(limit))]
