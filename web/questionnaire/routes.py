"""The qualifying questionnaire: questions in every shipped language with their scoring (admins), and the
answers a coordinator records on a lead during a call, which move its score."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from tenants.auth import current_user
from tenants.db import EditConflict, check_version, commit, db
from tenants.models import ADMINS, STAFF
from tenants.resolve import TenantBlueprint, current_role, requires

from ..forms import record_id_or_none
from ..home.firstrun import Step
from ..htmx import confirm, render, wants_fragment
from ..leads.models import Status
from ..leads.routes import lead_or_404, show_page
from ..leads.service import settings_if_any
from . import service
from .forms import OptionForm, QuestionForm, ThresholdForm
from .models import KIND_LABELS, Kind
from .service import QuestionError

bp = TenantBlueprint("questionnaire", __name__, segment="/leads/questionnaire", roles=STAFF)


def first_step() -> Step:
    """The first run: write the qualifying questionnaire."""
    return Step(60, _("Write the qualifying questionnaire"),
                _("The questions coordinators ask a lead, with the points each answer scores: a lead that scores "
                  "enough is suggested as qualified."),
                "questionnaire.index", ADMINS, done=service.any_question)


# --- the questionnaire ------------------------------------------------------------------------------------


def _questionnaire_context(form=None, threshold_form=None) -> dict:
    row = settings_if_any()
    return {
        "questions": service.questions(include_archived=True),
        "form": form or QuestionForm(formdata=None, kind=Kind.yes_no.value),
        "threshold_form": threshold_form or ThresholdForm(formdata=None,
                                                          threshold=row.qualify_threshold if row else None),
        "can_edit": current_role() in ADMINS, "kinds": KIND_LABELS, "hints": service.KIND_HINTS,
        "reader": str(get_locale()),
    }


@bp.route("")
def index():
    """The qualifying questions coordinators ask, with the points each answer earns."""
    return render("questionnaire/index.html", "questionnaire/_questions.html", **_questionnaire_context())


def _question_data(form: QuestionForm) -> service.QuestionData:
    return service.QuestionData(
        kind=form.kind.data, texts=form.wordings(), points_yes=form.points_yes.data or 0,
        points_no=form.points_no.data or 0, threshold=form.threshold.data,
        points_threshold=form.points_threshold.data or 0, points_answered=form.points_answered.data or 0)


@bp.route("", methods=["POST"])
@requires(*ADMINS)
def create():
    """Add a question at the end."""
    form = QuestionForm()
    if not form.validate_on_submit():
        return render("questionnaire/index.html", "questionnaire/_new.html", status=422,
                      **_questionnaire_context(form=form))
    question = service.add_question(_question_data(form), actor_id=current_user().id)
    flash(_("The question is added."), "success")
    if question.kind == Kind.choice.value:
        return redirect(url_for("questionnaire.edit", question_id=question.id) + "#options", 303)
    return redirect(url_for("questionnaire.index"), 303)


def _question_or_404(question_id: int):
    question = service.get_question(question_id)
    if question is None:
        abort(404)
    return question


def _edit_context(question, form=None, option_form=None) -> dict:
    values = {f"text_{k}": v for k, v in question.texts.items()}
    return {
        "question": question,
        "form": form or QuestionForm(formdata=None, obj=question, **values),
        "option_form": option_form or OptionForm(formdata=None),
        "answered": service.is_answered(question), "reader": str(get_locale()), "kinds": KIND_LABELS,
    }


@bp.route("/<int:question_id>/edit")
@requires(*ADMINS)
def edit(question_id: int):
    """A question's wording in each language, its rules and, for a choice, its options."""
    question = _question_or_404(question_id)
    return render("questionnaire/edit.html", "questionnaire/_form.html", **_edit_context(question))


@bp.route("/<int:question_id>", methods=["POST"])
@requires(*ADMINS)
def update(question_id: int):
    """Save a question; the scores of answered leads follow the new rules."""
    question = _question_or_404(question_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            service.update_question(question, _question_data(form), version=form.version.data,
                                    actor_id=current_user().id)
        except QuestionError as exc:
            db.session.rollback()
            form.kind.errors.append(str(exc))
        except EditConflict:
            db.session.rollback()
            form.fail(_("Someone else saved this question meanwhile. Reload the page to see their version."))
            return render("questionnaire/edit.html", "questionnaire/_form.html", status=409,
                          **_edit_context(_question_or_404(question_id), form=form))
        else:
            flash(_("The question is saved."), "success")
            return redirect(url_for("questionnaire.index"), 303)
    return render("questionnaire/edit.html", "questionnaire/_form.html", status=422,
                  **_edit_context(question, form=form))


@bp.route("/<int:question_id>/move", methods=["POST"])
@requires(*ADMINS)
def move(question_id: int):
    """Move a question up or down."""
    question = _question_or_404(question_id)
    service.move_question(question, -1 if request.form.get("direction") == "up" else 1,
                                actor_id=current_user().id)
    return redirect(url_for("questionnaire.index") + f"#question-{question.id}", 303)


@bp.route("/<int:question_id>/delete", methods=["POST"])
@requires(*ADMINS)
def delete(question_id: int):
    """Delete a question, or archive it when leads have answered it."""
    question = _question_or_404(question_id)
    outcome = service.remove_question(question, actor_id=current_user().id)
    flash(_("The question is archived: its answers stay on the leads.") if outcome == "archived"
          else _("The question is deleted."), "success")
    return redirect(url_for("questionnaire.index"), 303)


@bp.route("/<int:question_id>/restore", methods=["POST"])
@requires(*ADMINS)
def restore(question_id: int):
    """Ask an archived question again."""
    question = _question_or_404(question_id)
    service.restore_question(question, actor_id=current_user().id)
    flash(_("The question is back in the questionnaire."), "success")
    return redirect(url_for("questionnaire.index"), 303)


@bp.route("/<int:question_id>/options", methods=["POST"])
@requires(*ADMINS)
def option_create(question_id: int):
    """Add an option to a choice question."""
    question = _question_or_404(question_id)
    form = OptionForm()
    if not form.validate_on_submit():
        return render("questionnaire/edit.html", "questionnaire/_options.html", status=422,
                      **_edit_context(question, option_form=form))
    service.add_option(question, form.wordings(), form.points.data or 0, actor_id=current_user().id)
    flash(_("The option is added."), "success")
    return redirect(url_for("questionnaire.edit", question_id=question.id) + "#options", 303)


def _option_or_404(question, option_id: int):
    option = service.get_option(question, option_id)
    if option is None:
        abort(404)
    return option


@bp.route("/<int:question_id>/options/<int:option_id>", methods=["POST"])
@requires(*ADMINS)
def option_update(question_id: int, option_id: int):
    """Reword an option or change its points."""
    question = _question_or_404(question_id)
    option = _option_or_404(question, option_id)
    form = OptionForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("questionnaire.edit", question_id=question.id) + "#options", 303)
    service.update_option(option, form.wordings(), form.points.data or 0, actor_id=current_user().id)
    flash(_("The option is saved."), "success")
    return redirect(url_for("questionnaire.edit", question_id=question.id) + "#options", 303)


@bp.route("/<int:question_id>/options/<int:option_id>/delete", methods=["POST"])
@requires(*ADMINS)
def option_delete(question_id: int, option_id: int):
    """Remove an option (archived when chosen in some answer)."""
    question = _question_or_404(question_id)
    option = _option_or_404(question, option_id)
    outcome = service.remove_option(option, actor_id=current_user().id)
    flash(_("The option is archived: answers that chose it keep it.") if outcome == "archived"
          else _("The option is deleted."), "success")
    return redirect(url_for("questionnaire.edit", question_id=question.id) + "#options", 303)


@bp.route("/threshold", methods=["POST"])
@requires(*ADMINS)
def threshold_update():
    """The score from which a lead is suggested as qualified."""
    form = ThresholdForm()
    if not form.validate_on_submit():
        return render("questionnaire/index.html", "questionnaire/_threshold.html", status=422,
                      **_questionnaire_context(threshold_form=form))
    service.set_threshold(form.threshold.data, actor_id=current_user().id)
    flash(_("The threshold is saved."), "success")
    return redirect(url_for("questionnaire.index"), 303)


# --- a lead's answers -------------------------------------------------------------------------------------------


def lead_panel(lead, sheet=None, saved: bool = False, **_overrides):
    """On a lead's page: the questionnaire as a form to fill during the call, the score, and the suggestion
    to mark it qualified once the score reaches the admins' threshold."""
    qs = service.questions()
    threshold = service.threshold()
    answers = service.answers_of(lead)  # read once: the form and the summary both show them
    return "questionnaire/_answers.html", {
        "sheet": sheet or service.sheet_for(qs, answers),
        "threshold": threshold, "saved": saved,
        "suggest_qualified": service.suggests_qualified(lead, threshold),
        "can_answer": lead.status != Status.converted.value,
        "shown": service.shown_answers(lead, str(get_locale()), qs, answers),
    }


def lead_summary(lead, locale: str) -> list:
    """What a rep is told of a lead at hand-off: its answers, in the rep's language."""
    return service.shown_answers(lead, locale)


@bp.route("/<int:lead_id>/answers", methods=["POST"], segment="/leads")
def answer(lead_id: int):
    """Record the qualifying answers of a call; a wrong one is explained and every answer typed stays."""
    lead = lead_or_404(lead_id)
    sheet = service.read_sheet(service.questions(), request.form)
    if sheet.errors:
        return show_page(lead, "questionnaire/_answers.html", 422, sheet=sheet)
    try:
        check_version(lead, record_id_or_none(request.form.get("version")))
        changed = service.save_answers(lead, sheet, actor_id=current_user().id)
        commit()
    except (EditConflict, IntegrityError):
        # Someone saved this lead (its answers, its score) meanwhile: nothing of this save was kept, and
        # what this person typed comes back with the lead as it is now.
        db.session.rollback()
        lead = lead_or_404(lead_id)
        sheet.conflict = _("Someone saved this lead while you were answering. Your answers are below and were not "
                           "saved; check the score and save them again.")
        return show_page(lead, "questionnaire/_answers.html", 409, sheet=sheet)
    confirm(_("The answers are saved. Score: %(score)s.", score=lead.score if lead.score is not None else "–")
            if changed else _("Nothing changed."))
    if not wants_fragment():
        return redirect(url_for("leads.show", lead_id=lead.id), 303)
    return show_page(lead, "questionnaire/_answers.html", saved=True)
