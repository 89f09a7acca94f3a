"""Nudges: what the rules match (a banner not live, a discount not claimed, a contract N days old), one nudge per
rule and deliverable or contract, held for the coordinator to look at, then sent (an email to the client contact in
their language, through the outbox) or turned into a check-in task; skipped with a reason; bounces heard of."""
from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import BindParameter, and_, bindparam, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from i18n.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES
from tenants import audit
from tenants.db import db, utcnow
from tenants.models import Role, Tenant, User
from tenants.pager import Keyset, Page
from tenants.scoping import built_once, tenant_context

from ..accounts.models import Contact
from ..activities import service as activities
from ..activities.models import Activity
from ..contracts.models import OPEN_STATUSES, Contract
from ..deliverables.models import Deliverable, DeliverableStatus, kind_label
from ..links import public_url_for
from ..mail.service import send_email
from ..reports.models import Support
from ..reports.service import coordinator_of
from ..row_cache import Named, named
from ..traffic.models import Placement, TrafficDay
from ..traffic.service import tenant_today
from .models import DELIVERABLE_TRIGGERS, Nudge, NudgeRule, NudgeTemplate

PLACEHOLDERS = ("contact_name", "account", "contract", "deliverable", "due_date", "coordinator")
# A contract-age nudge still goes out this many days late (a tick missed over a weekend), never later: a rule made
# today does not nudge every contract signed years ago.
CATCH_UP_DAYS = 7
RECENT = 20


class TemplateProblem(ValueError):
    """A text that cannot be filled in: the message says which placeholder, in the reader's language."""


def check_text(text: str) -> None:
    """Refuse a text with a placeholder we do not know or a brace left open."""
    try:
        names = [name for _lit, name, _spec, _conv in string.Formatter().parse(text or "") if name is not None]
    except ValueError:
        raise TemplateProblem(_("A brace is not closed: write placeholders as {contact_name}, and a brace itself "
                                "as {{ or }}.")) from None
    for name in names:
        if name not in PLACEHOLDERS:
            raise TemplateProblem(_("Unknown placeholder {%(name)s}: use one of %(known)s.", name=name or "",
                                    known=", ".join("{%s}" % p for p in PLACEHOLDERS)))


def fill(text: str, values: dict) -> str:
    """The text with its placeholders replaced; an unknown one (from an old template) stays as written."""
    try:
        return string.Formatter().vformat(text, (), _Values(values))
    except (ValueError, IndexError):
        return text


class _Values(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _locale(*choices: str | None) -> str:
    """The first language we ship among the contact's, the account's and the tenant's."""
    for choice in choices:
        if choice:
            code = choice.replace("-", "_").split("_")[0].lower()
            if code in SUPPORTED_LOCALES:
                return code
    return DEFAULT_LOCALE


# --- who and what a nudge speaks of -------------------------------------------------------------------------


def coordinator_for(contract: Contract, supports: dict[int, int] | None = None) -> int:
    """The coordinator who supports the contract's rep (web.reports.service.coordinator_of, read in bulk), else the
    rep."""
    if supports is None:
        return coordinator_of(contract.owner_id) or contract.owner_id
    return supports.get(contract.owner_id) or contract.owner_id


@dataclass
class Draft:
    """A nudge as it would go now: to whom, in which language, with which words."""

    action: str
    locale: str
    to_email: str | None
    to_name: str | None
    contact: Contact | None
    assignee: User | None
    subject: str
    body: str
    # The text before its placeholders are filled in: what an edit starts from.
    raw_subject: str = ""
    raw_body: str = ""


class Context:
    """What composing many nudges needs, read once: templates, supports, contacts, people."""

    def __init__(self, nudges: list[Nudge], tenant: Tenant):
        self.tenant = tenant
        rule_ids = {n.rule_id for n in nudges}
        self.templates: dict[tuple[int, str], NudgeTemplate] = {}
        if rule_ids:
            for row in db.session.scalars(select(NudgeTemplate).where(NudgeTemplate.rule_id.in_(rule_ids))):
                self.templates[(row.rule_id, row.locale)] = row
        owners = {n.contract.owner_id for n in nudges}
        self.supports = dict(db.session.execute(
            select(Support.rep_id, Support.coordinator_id).where(Support.rep_id.in_(owners))).all()) if owners else {}
        # A contract names no contact of its own: its client contact is the account's first contact with an email.
        accounts = {n.contract.account_id for n in nudges}
        self.contacts: dict[int, list[Contact]] = {}
        if accounts:
            for contact in db.session.scalars(
                    select(Contact).where(Contact.account_id.in_(accounts), Contact.email.is_not(None),
                                          Contact.email != "").order_by(Contact.id)):
                self.contacts.setdefault(contact.account_id, []).append(contact)
        people = set(self.supports.values()) | owners
        self.people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people)))} if people else {}

    def template(self, rule_id: int, locale: str) -> NudgeTemplate | None:
        for code in (locale, _locale(self.tenant.default_locale), DEFAULT_LOCALE, *SUPPORTED_LOCALES):
            row = self.templates.get((rule_id, code))
            if row is not None:
                return row
        return None


def compose(nudge: Nudge, ctx: Context) -> Draft:
    """The nudge's email (or task) as it would go now, in the recipient's language. Needs nudge.rule, .contract
    (with its account) and .deliverable (with its kind) loaded."""
    contract, rule = nudge.contract, nudge.rule
    account = contract.account
    contact = ctx.contacts.get(contract.account_id, [None])[0]
    coordinator = ctx.people.get(coordinator_for(contract, ctx.supports))
    if rule.action == "email":
        locale = _locale(contact.language if contact else None, account.language, ctx.tenant.default_locale)
        assignee = None
    else:
        assignee = coordinator
        locale = _locale(assignee.locale if assignee else None, ctx.tenant.default_locale)
    deliverable = nudge.deliverable
    due = deliverable.due_on if deliverable is not None else contract.ends_on
    what = None
    if deliverable is not None:
        with force_locale(locale):
            what = deliverable.details or kind_label(deliverable.kind)
    values = {
        "contact_name": contact.name if contact else account.name,
        "account": account.name,
        "contract": contract.number,
        "deliverable": what or contract.title,
        "due_date": format_date(due, format="long", locale=locale),
        "coordinator": coordinator.name if coordinator else "",
    }
    template = ctx.template(rule.id, locale)
    subject = nudge.subject if nudge.subject is not None else (template.subject if template else rule.name)
    body = nudge.body if nudge.body is not None else (template.body if template else "")
    return Draft(action=rule.action, locale=locale, to_email=contact.email if contact else None,
                 to_name=contact.name if contact else None, contact=contact, assignee=assignee,
                 subject=" ".join(fill(subject, values).split())[:200], body=fill(body, values),
                 raw_subject=subject, raw_body=body)


def _loaded(stmt):
    return stmt.options(joinedload(Nudge.rule), joinedload(Nudge.contract).joinedload(Contract.account),
                        joinedload(Nudge.deliverable).joinedload(Deliverable.kind))


# --- what the rules match -----------------------------------------------------------------------------------


def _undone(rule: NudgeRule, column):
    return ~exists().where(Nudge.rule_id == rule.id, column)


def _match(rule: NudgeRule, today: date, *, fresh: bool = True, deliverable_id: int | None = None,
           contract_id: int | None = None):
    """The statement of what the rule matches today: (contract id, deliverable id) or (contract id,); `fresh` leaves
    out what it has nudged already, an id narrows it to one deliverable or contract."""
    if rule.trigger in DELIVERABLE_TRIGGERS:
        stmt = (select(Deliverable.contract_id, Deliverable.id).join(Contract, Contract.id == Deliverable.contract_id)
                .where(Contract.status.in_(OPEN_STATUSES)))
        if fresh:
            stmt = stmt.where(_undone(rule, Nudge.deliverable_id == Deliverable.id))
        if deliverable_id is not None:
            stmt = stmt.where(Deliverable.id == deliverable_id)
        if rule.kind_id is not None:
            stmt = stmt.where(Deliverable.kind_id == rule.kind_id)
        if rule.contract_id is not None:
            stmt = stmt.where(Deliverable.contract_id == rule.contract_id)
        if rule.trigger == "not_live":
            seen = exists().where(TrafficDay.placement_id == Placement.id,
                                  or_(TrafficDay.clicks > 0, TrafficDay.impressions > 0))
            return (stmt.outerjoin(Placement, Placement.deliverable_id == Deliverable.id)
                    .where(Deliverable.status != DeliverableStatus.delivered.value,
                           or_(and_(Placement.id.is_not(None), Placement.starts_on <= today - timedelta(days=rule.days),
                                    ~seen),
                               and_(Placement.id.is_(None), Deliverable.due_on <= today - timedelta(days=rule.days))))
                    .order_by(Deliverable.id))
        # not_claimed: still to use, its date within the next N days
        return stmt.where(Deliverable.status.in_((DeliverableStatus.planned.value, DeliverableStatus.in_progress.value)),
                          Deliverable.due_on >= today, Deliverable.due_on <= today + timedelta(days=rule.days)
                          ).order_by(Deliverable.id)
    stmt = select(Contract.id).where(Contract.status.in_(OPEN_STATUSES), Contract.signed_on.is_not(None))
    if fresh:
        latest = today - timedelta(days=rule.days)
        stmt = stmt.where(Contract.signed_on <= latest, Contract.signed_on >= latest - timedelta(days=CATCH_UP_DAYS),
                          _undone(rule, Nudge.contract_id == Contract.id))
    if contract_id is not None:
        stmt = stmt.where(Contract.id == contract_id)
    if rule.contract_id is not None:
        stmt = stmt.where(Contract.id == rule.contract_id)
    return stmt.order_by(Contract.id)


def matches(rule: NudgeRule, today: date) -> list[tuple[int, int | None]]:
    """(contract id, deliverable id or None) that the rule would nudge today and has not nudged yet."""
    rows = db.session.execute(_match(rule, today).limit(1000)).all()
    return [(row[0], row[1] if len(row) > 1 else None) for row in rows]


def still_applies(nudge: Nudge, today: date) -> bool:
    """Whether what the nudge is about still needs it: a discount used or a banner gone live meanwhile does not."""
    stmt = _match(nudge.rule, today, fresh=False, deliverable_id=nudge.deliverable_id,
                  contract_id=None if nudge.deliverable_id else nudge.contract_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def make(rule: NudgeRule, contract_id: int, deliverable_id: int | None, now: datetime) -> Nudge | None:
    """One nudge for the rule and this deliverable or contract, held for the rule's hours; None when it exists
    (made by this tick or another, on this machine or another)."""
    target = f"deliverable:{deliverable_id}" if deliverable_id is not None else f"contract:{contract_id}"
    nudge = Nudge(rule_id=rule.id, target=target, contract_id=contract_id, deliverable_id=deliverable_id,
                  status="scheduled", due_at=now + timedelta(hours=rule.hold_hours))
    try:
        with db.session.begin_nested():
            db.session.add(nudge)
            db.session.flush()
    except IntegrityError:
        return None
    audit.record("nudge.scheduled", actor_id=None, subject_type="contract", subject_id=contract_id,
                 details={"rule": rule.name, "due_at": nudge.due_at.isoformat()})
    return nudge


def _claim(nudge_id: int, status: str, **values) -> bool:
    """Move a scheduled nudge on, once: of two ticks (or a tick and a click) only one gets it."""
    done = db.session.execute(
        update(Nudge).where(Nudge.id == nudge_id, Nudge.status == "scheduled")
        .values(status=status, version=Nudge.version + 1, **values)
        .execution_options(synchronize_session=False)).rowcount
    return done == 1


def _deliver(nudge: Nudge, draft: Draft, tenant: Tenant, actor_id: int | None, now: datetime) -> bool:
    """Send the nudge (claiming it first); the caller commits. False when someone else had it."""
    # What went out is kept as it went: the nudge's page shows it even after the template changes.
    values = {"sent_at": now, "sent_by_id": actor_id, "locale": draft.locale, "subject": draft.subject,
              "body": draft.body}
    if draft.action == "email":
        if not draft.to_email:
            if not _claim(nudge.id, "skipped", skipped_at=now, skipped_by_id=None,
                          skip_reason=_no_address(tenant)):
                return False
            audit.record("nudge.skipped", actor_id=None, subject_type="contract", subject_id=nudge.contract_id,
                         details={"rule": nudge.rule.name})
            return True
        values.update(to_email=draft.to_email, contact_id=draft.contact.id)
        if not _claim(nudge.id, "sent", **values):
            return False
        send_email(draft.to_email, "nudge", draft.locale, subject=draft.subject, body=draft.body, tenant=tenant,
                   name=draft.to_name)
        details = {"rule": nudge.rule.name, "to": draft.to_email, "language": draft.locale}
    else:
        assignee_id = draft.assignee.id if draft.assignee else nudge.contract.owner_id
        values.update(assignee_id=assignee_id)
        if not _claim(nudge.id, "sent", **values):
            return False
        # The task's notes end on the contract's address: read in a reminder mail or on a phone, it opens there.
        notes = f"{draft.body}\n\n{public_url_for('contracts.show', tenant=tenant.slug, contract_id=nudge.contract_id)}"
        activity = activities.add(activities.ActivityData(kind="call", subject=draft.subject, notes=notes,
                                                          due_on=tenant_today(tenant.timezone, now), assignee_id=assignee_id),
                                  account_id=nudge.contract.account_id, actor_id=actor_id)
        db.session.execute(update(Nudge).where(Nudge.id == nudge.id).values(activity_id=activity.id)
                           .execution_options(synchronize_session=False))
        details = {"rule": nudge.rule.name, "assignee": assignee_id}
    audit.record("nudge.sent", actor_id=actor_id, subject_type="contract", subject_id=nudge.contract_id,
                 details=details)
    return True


def _no_address(tenant: Tenant) -> str:
    with force_locale(_locale(tenant.default_locale)):
        return _("No contact of the account has an email address.")


def _not_needed(tenant: Tenant) -> str:
    with force_locale(_locale(tenant.default_locale)):
        return _("No longer needed when its time came: it had been used, delivered or gone live.")


def run(tenant: Tenant, now: datetime | None = None) -> dict:
    """One tenant's tick: make what the rules match, then send what has waited its hold. Commits per nudge."""
    now = now or utcnow()
    today = tenant_today(tenant.timezone, now)
    made = 0
    for rule in db.session.scalars(select(NudgeRule).where(NudgeRule.active.is_(True)).order_by(NudgeRule.id)).all():
        for contract_id, deliverable_id in matches(rule, today):
            if make(rule, contract_id, deliverable_id, now) is not None:
                made += 1
        db.session.commit()
    sent = 0
    # A paused rule's nudges wait with it.
    paused = select(NudgeRule.id).where(NudgeRule.active.is_(False))
    due_ids = list(db.session.scalars(select(Nudge.id).where(Nudge.status == "scheduled", Nudge.due_at <= now,
                                                             Nudge.rule_id.not_in(paused))
                                      .order_by(Nudge.due_at, Nudge.id).limit(500)))
    for nudge_id in due_ids:
        nudge = db.session.scalar(_loaded(select(Nudge).where(Nudge.id == nudge_id)))
        if nudge is None or nudge.status != "scheduled":
            db.session.rollback()
            continue
        if not still_applies(nudge, today):
            if _claim(nudge.id, "skipped", skipped_at=now, skipped_by_id=None, skip_reason=_not_needed(tenant)):
                audit.record("nudge.skipped", actor_id=None, subject_type="contract", subject_id=nudge.contract_id,
                             details={"rule": nudge.rule.name})
                db.session.commit()
            else:
                db.session.rollback()
            continue
        draft = compose(nudge, Context([nudge], tenant))
        if _deliver(nudge, draft, tenant, None, now):
            db.session.commit()
            sent += 1
        else:
            db.session.rollback()
    return {"made": made, "sent": sent}


def run_all(app) -> dict:
    """The tick job: every tenant's nudges, each in its own tenant context."""
    made = sent = 0
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            result = run(tenant)
        made, sent = made + result["made"], sent + result["sent"]
    return {"made": made, "sent": sent}


# --- the coordinator's queue --------------------------------------------------------------------------------


def _visible(stmt, me: User | BindParameter, role: Role | None):
    """Only the nudges of the rep's own contracts for a rep. `me`: the reader, or a bound parameter for their id."""
    if role == Role.rep:
        owner = me if isinstance(me, BindParameter) else me.id
        stmt = stmt.where(Nudge.contract_id.in_(select(Contract.id).where(Contract.owner_id == owner)))
    return stmt


SOONEST_FIRST = Keyset(Nudge.due_at, Nudge.id)


def queue(me: User, role: Role | None, *, after: str | None = None, limit: int = 50) -> Page:
    """The scheduled nudges this reader may see, the soonest to go first."""
    return SOONEST_FIRST.page(_visible(_loaded(select(Nudge).where(Nudge.status == "scheduled")), me, role),
                              after, limit=limit)


def scheduled_count(me: User, role: Role | None) -> int:
    return db.session.scalar(_visible(select(func.count()).select_from(Nudge).where(Nudge.status == "scheduled"),
                                      me, role))


def waiting(me: User, role: Role | None) -> tuple[int, datetime | None]:
    """How many scheduled nudges this reader may see, and when the soonest goes: one query."""
    stmt = built_once(lambda: _visible(
        select(func.count(), func.min(Nudge.due_at)).select_from(Nudge).where(Nudge.status == "scheduled"),
        bindparam("me"), role), role == Role.rep)
    count, soonest = db.session.execute(stmt, {"me": me.id}).one()
    return count, soonest


def recent(me: User, role: Role | None, limit: int = RECENT) -> list[Nudge]:
    """What went out (or was skipped) lately, newest first."""
    stmt = (_loaded(select(Nudge).where(Nudge.status != "scheduled"))
            .options(joinedload(Nudge.sent_by), joinedload(Nudge.skipped_by), joinedload(Nudge.assignee),
                     joinedload(Nudge.activity))
            .order_by(func.coalesce(Nudge.sent_at, Nudge.skipped_at).desc(), Nudge.id.desc()).limit(limit))
    return list(db.session.scalars(_visible(stmt, me, role)))


def get(nudge_id: int, me: User, role: Role | None) -> Nudge | None:
    return db.session.scalar(_visible(_loaded(select(Nudge).where(Nudge.id == nudge_id))
                                      .options(joinedload(Nudge.sent_by), joinedload(Nudge.skipped_by),
                                               joinedload(Nudge.assignee), joinedload(Nudge.activity)), me, role))


class Conflict(ValueError):
    """Someone changed or sent the nudge since the form was opened."""


def edit(nudge: Nudge, *, subject: str, body: str, version: int | None, actor_id: int) -> None:
    """Keep this nudge's own subject and body (the rule's template stays as it is). Commits."""
    check_text(subject)
    check_text(body)
    if nudge.status != "scheduled" or (version is not None and version != nudge.version):
        raise Conflict()
    done = db.session.execute(
        update(Nudge).where(Nudge.id == nudge.id, Nudge.status == "scheduled", Nudge.version == nudge.version)
        .values(subject=subject, body=body, version=Nudge.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        db.session.rollback()
        raise Conflict()
    audit.record("nudge.edited", actor_id=actor_id, subject_type="contract", subject_id=nudge.contract_id,
                 details={"rule": nudge.rule.name})
    db.session.commit()


def skip(nudge: Nudge, *, reason: str | None, actor_id: int) -> None:
    """Do not send it, saying why (or not). Commits; Conflict when it went already."""
    rule_name, contract_id = nudge.rule.name, nudge.contract_id
    if not _claim(nudge.id, "skipped", skipped_at=utcnow(), skipped_by_id=actor_id, skip_reason=reason):
        db.session.rollback()
        raise Conflict()
    audit.record("nudge.skipped", actor_id=actor_id, subject_type="contract", subject_id=contract_id,
                 details={"rule": rule_name, "reason": reason})
    db.session.commit()


def send_now(nudge: Nudge, tenant: Tenant, *, actor_id: int) -> None:
    """Send it now, hold or not. Commits; Conflict when it went already."""
    draft = compose(nudge, Context([nudge], tenant))
    if not _deliver(nudge, draft, tenant, actor_id, utcnow()):
        db.session.rollback()
        raise Conflict()
    db.session.commit()


# --- a contract's page ----------------------------------------------------------------------------------------


class _RuleShown(NamedTuple):
    name: str
    trigger: str
    action: str


class _DeliverableShown(NamedTuple):
    details: str


class _ActivityShown(NamedTuple):
    done_at: datetime | None


class ContractNudge(NamedTuple):
    """A nudge as a contract's page shows it: its columns and its rule's, deliverable's, people's and task's, read
    as plain columns in one statement (issue 15: ten joined objects a nudge before). Reads as a Nudge does in
    nudges/_outcome.html (n.rule.action, n.sent_by.name)."""

    id: int
    status: str
    due_at: datetime
    sent_at: datetime | None
    skipped_at: datetime | None
    to_email: str | None
    bounced_at: datetime | None
    bounce_reason: str | None
    skip_reason: str | None
    deliverable_id: int | None
    rule_name: str
    rule_trigger: str
    rule_action: str
    deliverable_details: str | None
    sent_by_name: str | None
    skipped_by_name: str | None
    assignee_name: str | None
    activity_id: int | None
    activity_done_at: datetime | None

    @property
    def rule(self) -> _RuleShown:
        return _RuleShown(self.rule_name, self.rule_trigger, self.rule_action)

    @property
    def deliverable(self) -> _DeliverableShown | None:
        return None if self.deliverable_details is None else _DeliverableShown(self.deliverable_details)

    @property
    def sent_by(self) -> Named | None:
        return named(self.sent_by_name)

    @property
    def skipped_by(self) -> Named | None:
        return named(self.skipped_by_name)

    @property
    def assignee(self) -> Named | None:
        return named(self.assignee_name)

    @property
    def activity(self) -> _ActivityShown | None:
        return None if self.activity_id is None else _ActivityShown(self.activity_done_at)


_PEOPLE = (aliased(User, name="sent_by"), aliased(User, name="skipped_by"), aliased(User, name="assignee"))


def of_contract(contract_id: int) -> list[ContractNudge]:
    """The contract's nudges, newest first (up to 50), with what its page shows of each (built once)."""
    stmt = built_once(_of_contract)
    return [ContractNudge._make(row) for row in db.session.execute(stmt, {"contract_id": contract_id})]


def _of_contract():
    sent_by, skipped_by, assignee = _PEOPLE
    return (select(Nudge.id, Nudge.status, Nudge.due_at, Nudge.sent_at, Nudge.skipped_at, Nudge.to_email,
               Nudge.bounced_at, Nudge.bounce_reason, Nudge.skip_reason, Nudge.deliverable_id, NudgeRule.name,
               NudgeRule.trigger, NudgeRule.action, Deliverable.details, sent_by.name, skipped_by.name,
               assignee.name, Activity.id, Activity.done_at)
        .join(Nudge.rule).outerjoin(Nudge.deliverable).outerjoin(sent_by, sent_by.id == Nudge.sent_by_id)
        .outerjoin(skipped_by, skipped_by.id == Nudge.skipped_by_id)
        .outerjoin(assignee, assignee.id == Nudge.assignee_id).outerjoin(Nudge.activity)
        .where(Nudge.contract_id == bindparam("contract_id")).order_by(Nudge.id.desc()).limit(50))


def went_live(nudges: list[Nudge]) -> dict[int, date]:
    """For sent banner nudges: the first day with a click or impression after the nudge went."""
    sent = [n for n in nudges if n.rule.trigger == "not_live" and n.sent_at and n.deliverable_id]
    if not sent:
        return {}
    rows = db.session.execute(
        select(Placement.deliverable_id, func.min(TrafficDay.day)).join(TrafficDay, TrafficDay.placement_id == Placement.id)
        .where(Placement.deliverable_id.in_([n.deliverable_id for n in sent]),
               or_(TrafficDay.clicks > 0, TrafficDay.impressions > 0))
        .group_by(Placement.deliverable_id))
    first = dict(rows.all())
    return {n.id: first[n.deliverable_id] for n in sent
            if n.deliverable_id in first and first[n.deliverable_id] >= n.sent_at.date()}


# --- bounces ---------------------------------------------------------------------------------------------------


def on_refused(sender, address: str, code: int, reason: str, tenant_id: int | None = None, **_kw) -> None:
    """Receiver: the server refused mail to this address for good; the nudges sent to it say so."""
    if tenant_id is None or not address:
        return
    with tenant_context(tenant_id):
        db.session.execute(
            update(Nudge).where(Nudge.status == "sent", Nudge.bounced_at.is_(None),
                                func.lower(Nudge.to_email) == address.strip().lower())
            .values(bounced_at=utcnow(), bounce_reason=f"{code} {reason}"[:300])
            .execution_options(synchronize_session=False))
