"""Reprints: start one from an item's page, its page (the reps' answers, the next step), a rep's answer in the app,
and the answer page reached from the mail's link, in the rep's language."""
from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from i18n.locales import SUPPORTED_LOCALES
from tenants.auth import current_user
from tenants.db import db
from tenants.models import SEES_ALL, User
from tenants.resolve import PUBLIC, current_role, requires

from ..extensions import limiter
from ..htmx import render
from . import reprints, service
from .forms import AdvanceForm, AnswerForm, ReprintForm
from .routes import bp, item_or_404


@bp.route("/<int:collateral_id>/reprints", methods=["POST"])
@requires(*SEES_ALL)
def start_reprint(collateral_id: int):
    """Start a reprint: the reps who use the item are asked, by mail, whether they want changes."""
    item = item_or_404(collateral_id)
    form = ReprintForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.quantity.errors) or form.form_error, "error")
        return redirect(url_for("collateral.show", collateral_id=item.id), 303)
    reprint = reprints.start(item, g.tenant, form.quantity.data, actor_id=current_user().id)
    db.session.commit()
    flash(_("The reps who use “%(name)s” are asked whether they want changes.", name=item.name), "success")
    return redirect(url_for("collateral.reprint", reprint_id=reprint.id), 303)


def _reprint_or_404(reprint_id: int):
    reprint = reprints.get(reprint_id)
    if reprint is None:
        abort(404)
    return reprint


def _page(reprint, status: int = 200, answer_form=None, advance_form=None, error=None):
    me = current_user()
    mine = reprints.question_of(reprint, me)
    return render("collateral/reprint.html", "collateral/_reprint.html", status=status, reprint=reprint,
                  item=reprint.item, questions=reprints.questions(reprint), mine=mine, error=error,
                  can_run=current_role() in SEES_ALL,
                  answer_form=answer_form or AnswerForm(formdata=None, wants_changes=(
                      None if mine is None or mine.wants_changes is None else ("yes" if mine.wants_changes else "no")),
                      changes=mine.changes if mine else None),
                  advance_form=advance_form or AdvanceForm(formdata=None, locations=service.locations()))


@bp.route("/reprints/<int:reprint_id>")
def reprint(reprint_id: int):
    """A reprint: what the reps said, who proofread it, and its next step."""
    return _page(_reprint_or_404(reprint_id))


@bp.route("/reprints/<int:reprint_id>/answer", methods=["POST"])
def answer(reprint_id: int):
    """A rep's answer, in the app."""
    reprint = _reprint_or_404(reprint_id)
    question = reprints.question_of(reprint, current_user())
    if question is None:
        abort(403)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _page(reprint, 422, answer_form=form)
    try:
        reprints.answer(question, form.wants_changes.data == "yes", form.changes.data)
    except service.StockError as exc:
        db.session.rollback()
        return _page(reprint, 422, answer_form=form, error=str(exc))
    db.session.commit()
    flash(_("Thank you: your answer is saved."), "success")
    return redirect(url_for("collateral.reprint", reprint_id=reprint.id), 303)


@bp.route("/reprints/<int:reprint_id>/advance", methods=["POST"])
@requires(*SEES_ALL)
def advance(reprint_id: int):
    """The reprint's next step: proofreading, approved, ordered, received (into a location's stock)."""
    reprint = _reprint_or_404(reprint_id)
    form = AdvanceForm(locations=service.locations())
    if not form.validate_on_submit():
        return _page(reprint, 422, advance_form=form)
    try:
        step = reprints.advance(reprint, actor_id=current_user().id, proofreader=form.proofreader.data or None,
                                notes=form.notes.data or None, location=service.get_location(form.location_id.data),
                                received=form.received.data)
    except service.StockError as exc:
        db.session.rollback()
        return _page(_reprint_or_404(reprint_id), 422, advance_form=form, error=str(exc))
    db.session.commit()
    from .models import REPRINT_STATUS_LABELS

    flash(_("The reprint is now: %(status)s.", status=str(REPRINT_STATUS_LABELS[step]).lower()), "success")
    return redirect(url_for("collateral.reprint", reprint_id=reprint.id), 303)


# --- from the rep's mail ------------------------------------------------------------------------------------


def _question_or_404(token: str):
    question = reprints.question_by_token(token)
    if question is None:
        abort(404)
    return question


def _answer_page(question, status: int = 200, form=None, saved=False, error=None):
    rep = db.session.get(User, question.user_id)
    reprint = reprints.get(question.reprint_id)
    locale = rep.locale if rep.locale in SUPPORTED_LOCALES else g.tenant.default_locale
    with force_locale(locale):
        form = form or AnswerForm(formdata=None, wants_changes=(
            None if question.wants_changes is None else ("yes" if question.wants_changes else "no")),
            changes=question.changes)
        return render("collateral/answer.html", "collateral/answer.html", status=status, question=question,
                      reprint=reprint, item=reprint.item, form=form, saved=saved, error=error, lang=locale,
                      tenant=g.tenant)


@bp.route("/reprints/answer/<token>", access=PUBLIC)
def answer_by_link(token: str):
    """The rep's question, opened from their mail without signing in (the link is the key)."""
    return _answer_page(_question_or_404(token))


@bp.route("/reprints/answer/<token>", methods=["POST"], access=PUBLIC)
@limiter.limit("30 per minute")
def save_answer_by_link(token: str):
    """Save the rep's answer from the mail's link."""
    question = _question_or_404(token)
    rep = db.session.get(User, question.user_id)
    with force_locale(rep.locale if rep.locale in SUPPORTED_LOCALES else g.tenant.default_locale):
        form = AnswerForm()
        valid = form.validate()
    if not valid:
        return _answer_page(question, 422, form=form)
    try:
        reprints.answer(question, form.wants_changes.data == "yes", form.changes.data)
    except service.StockError as exc:
        db.session.rollback()
        return _answer_page(question, 422, form=form, error=str(exc))
    db.session.commit()
    return _answer_page(question, saved=True)
