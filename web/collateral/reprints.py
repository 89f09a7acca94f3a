"""The reprint workflow: ask the reps who use an item whether they want changes (in the app or by the link in their
mail, in their language), proofreading by design, approval, the order, and the boxes received into stock."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tenants import audit
from tenants.db import db, utcnow
from tenants.members import members_with_roles
from tenants.models import Role, Tenant, User

from ..events.models import EventAttendee
from ..links import public_url_for
from ..mail import send_email
from . import service
from .models import REPRINT_NEXT, CollateralItem, EventCollateral, Reprint, ReprintQuestion, StockLocation


def users_of(item: CollateralItem, tenant: Tenant) -> list[User]:
    """The reps who use the item: those who went to shows that took it, else every rep."""
    reps = {m.user_id: m.user for m in members_with_roles(tenant.id, (Role.rep,))}
    went = set(db.session.scalars(select(EventAttendee.user_id).join(
        EventCollateral, EventCollateral.event_id == EventAttendee.event_id).where(EventCollateral.item_id == item.id)))
    chosen = [user for user_id, user in reps.items() if user_id in went]
    return sorted(chosen or reps.values(), key=lambda u: u.name)


def start(item: CollateralItem, tenant: Tenant, quantity: int, *, actor_id: int | None) -> Reprint:
    """Open a reprint and ask each rep who uses the item, by mail in their language. Caller commits."""
    reprint = Reprint(item_id=item.id, status="asking", quantity=quantity, created_by_id=actor_id)
    db.session.add(reprint)
    db.session.flush()
    for rep in users_of(item, tenant):
        question = ReprintQuestion(reprint_id=reprint.id, user_id=rep.id, token=secrets.token_urlsafe(32))
        db.session.add(question)
        send_email(rep.email, "reprint_question", rep.locale or tenant.default_locale, person=rep, item=item,
                   tenant=tenant, link=public_url_for("collateral.answer_by_link", tenant=tenant.slug,
                                                      token=question.token))
    db.session.flush()
    audit.record("collateral.reprint_started", actor_id=actor_id, subject_type="collateral", subject_id=item.id,
                 details={"quantity": quantity})
    return reprint


def get(reprint_id: int) -> Reprint | None:
    return db.session.scalar(select(Reprint).where(Reprint.id == reprint_id).options(joinedload(Reprint.item)))


def of_item(item: CollateralItem) -> list[Reprint]:
    return list(db.session.scalars(select(Reprint).where(Reprint.item_id == item.id).order_by(Reprint.id.desc())))


def questions(reprint: Reprint) -> list[ReprintQuestion]:
    return list(db.session.scalars(select(ReprintQuestion).where(ReprintQuestion.reprint_id == reprint.id)
                                   .options(joinedload(ReprintQuestion.user)).order_by(ReprintQuestion.id)))


def question_of(reprint: Reprint, user: User) -> ReprintQuestion | None:
    return db.session.scalar(select(ReprintQuestion).where(ReprintQuestion.reprint_id == reprint.id,
                                                           ReprintQuestion.user_id == user.id))


def question_by_token(token: str) -> ReprintQuestion | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(ReprintQuestion).where(ReprintQuestion.token == token))


def answer(question: ReprintQuestion, wants_changes: bool, changes: str | None) -> None:
    """A rep's answer (they may change it while the reps are being asked). Caller commits."""
    reprint = db.session.get(Reprint, question.reprint_id)
    if reprint.status != "asking":
        raise service.StockError(str(_l("The reps' answers are closed: this reprint is past asking.")))
    question.wants_changes, question.changes = wants_changes, (changes or None) if wants_changes else None
    question.answered_at = utcnow()
    audit.record("collateral.reprint_answered", actor_id=question.user_id, subject_type="collateral",
                 subject_id=reprint.item_id, details={"wants_changes": wants_changes})


def advance(reprint: Reprint, *, actor_id: int | None, proofreader: str | None = None, notes: str | None = None,
            location: StockLocation | None = None, received: int | None = None) -> str:
    """The next step; receiving puts the boxes into a location's stock. Returns the new status. Caller commits."""
    step = REPRINT_NEXT.get(reprint.status)
    if step is None:
        raise service.StockError(str(_l("This reprint is finished.")))
    if step == "approved" and proofreader is None and not reprint.proofreader:
        raise service.StockError(str(_l("Say who proofread it.")))
    if step == "received":
        if location is None or not received:
            raise service.StockError(str(_l("Say where the boxes went and how many arrived.")))
        item = db.session.get(CollateralItem, reprint.item_id)
        service.receive(item, location, received, actor_id=actor_id, note=str(_l("Reprint")))
    if proofreader:
        reprint.proofreader = proofreader
    if notes:
        reprint.notes = "\n".join(filter(None, (reprint.notes, notes)))
    old, reprint.status = reprint.status, step
    audit.record("collateral.reprint_moved", actor_id=actor_id, subject_type="collateral", subject_id=reprint.item_id,
                 details={"status": [old, step]})
    return step




def waiting_for(user: User, limit: int = 10) -> list[Reprint]:
    """Reprints still asking that this person has not answered."""
    return list(db.session.scalars(
        select(Reprint).join(ReprintQuestion, ReprintQuestion.reprint_id == Reprint.id)
        .where(ReprintQuestion.user_id == user.id, ReprintQuestion.answered_at.is_(None), Reprint.status == "asking")
        .options(joinedload(Reprint.item)).order_by(Reprint.id).limit(limit)))
