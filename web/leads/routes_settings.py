"""What admins set for leads: the qualifying questionnaire and its scoring, the coordinator bonus rule and
its ledger, and the public web form."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import db
from tenants.models import Role
from tenants.resolve import ADMINS, current_role, requires

from ..htmx import render
from . import bonuses, questionnaire
from .forms import BonusRuleForm, OptionForm, QuestionForm, ThresholdForm, WebformSettingsForm
from .labels import KIND_LABELS
from .models import BonusRule, Kind
from .questionnaire import EditConflict, QuestionError
from .routes import bp, people

# --- the questionnaire ------------------------------------------------------------------------------------


def _questionnaire_context(form=None, threshold_form=None) -> dict:
    row = questionnaire.settings_if_any()
    return {
        "questions": questionnaire.questions(include_archived=True),
        "form": form or QuestionForm(formdata=None, kind=Kind.yes_no.value),
        "threshold_form": threshold_form or ThresholdForm(formdata=None,
                                                          threshold=row.qualify_threshold if row else None),
        "can_edit": current_role() in ADMINS, "kinds": KIND_LABELS, "hints": questionnaire.KIND_HINTS,
        "reader": str(get_locale()),
    }


@bp.route("/questionnaire")
def questions():
    """The qualifying questions coordinators ask, with the points each answer earns."""
    return render("leads/questionnaire.html", "leads/_questions.html", **_questionnaire_context())


def _question_data(form: QuestionForm) -> questionnaire.QuestionData:
    return questionnaire.QuestionData(
        kind=form.kind.data, texts=form.wordings(), points_yes=form.points_yes.data or 0,
        points_no=form.points_no.data or 0, threshold=form.threshold.data,
        points_threshold=form.points_threshold.data or 0, points_answered=form.points_answered.data or 0)


@bp.route("/questionnaire", methods=["POST"])
@requires(*ADMINS)
def question_create():
    """Add a question at the end."""
    form = QuestionForm()
    if not form.validate_on_submit():
        return render("leads/questionnaire.html", "leads/_question_new.html", status=422,
                      **_questionnaire_context(form=form))
    question = questionnaire.add_question(_question_data(form), actor_id=current_user().id)
    flash(_("The question is added."), "success")
    if question.kind == Kind.choice.value:
        return redirect(url_for("leads.question_edit", question_id=question.id) + "#options", 303)
    return redirect(url_for("leads.questions"), 303)


def _question_or_404(question_id: int):
    question = questionnaire.get_question(question_id)
    if question is None:
        abort(404)
    return question


def _edit_context(question, form=None, option_form=None) -> dict:
    values = {f"text_{k}": v for k, v in question.texts.items()}
    return {
        "question": question,
        "form": form or QuestionForm(formdata=None, obj=question, **values),
        "option_form": option_form or OptionForm(formdata=None),
        "answered": questionnaire.is_answered(question), "reader": str(get_locale()), "kinds": KIND_LABELS,
    }


@bp.route("/questionnaire/<int:question_id>/edit")
@requires(*ADMINS)
def question_edit(question_id: int):
    """A question's wording in each language, its rules and, for a choice, its options."""
    question = _question_or_404(question_id)
    return render("leads/question_edit.html", "leads/_question_form.html", **_edit_context(question))


@bp.route("/questionnaire/<int:question_id>", methods=["POST"])
@requires(*ADMINS)
def question_update(question_id: int):
    """Save a question; the scores of answered leads follow the new rules."""
    question = _question_or_404(question_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            questionnaire.update_question(question, _question_data(form), version=int(form.version.data or 0),
                                          actor_id=current_user().id)
        except QuestionError as exc:
            db.session.rollback()
            form.kind.errors.append(str(exc))
        except (EditConflict, ValueError):
            db.session.rollback()
            form.fail(_("Someone else saved this question meanwhile. Reload the page to see their version."))
            return render("leads/question_edit.html", "leads/_question_form.html", status=409,
                          **_edit_context(_question_or_404(question_id), form=form))
        else:
            flash(_("The question is saved."), "success")
            return redirect(url_for("leads.questions"), 303)
    return render("leads/question_edit.html", "leads/_question_form.html", status=422,
                  **_edit_context(question, form=form))


@bp.route("/questionnaire/<int:question_id>/move", methods=["POST"])
@requires(*ADMINS)
def question_move(question_id: int):
    """Move a question up or down."""
    question = _question_or_404(question_id)
    questionnaire.move_question(question, -1 if request.form.get("direction") == "up" else 1,
                                actor_id=current_user().id)
    return redirect(url_for("leads.questions") + f"#question-{question.id}", 303)


@bp.route("/questionnaire/<int:question_id>/delete", methods=["POST"])
@requires(*ADMINS)
def question_delete(question_id: int):
    """Delete a question, or archive it when leads have answered it."""
    question = _question_or_404(question_id)
    outcome = questionnaire.remove_question(question, actor_id=current_user().id)
    flash(_("The question is archived: its answers stay on the leads.") if outcome == "archived"
          else _("The question is deleted."), "success")
    return redirect(url_for("leads.questions"), 303)


@bp.route("/questionnaire/<int:question_id>/restore", methods=["POST"])
@requires(*ADMINS)
def question_restore(question_id: int):
    """Ask an archived question again."""
    question = _question_or_404(question_id)
    questionnaire.restore_question(question, actor_id=current_user().id)
    flash(_("The question is back in the questionnaire."), "success")
    return redirect(url_for("leads.questions"), 303)


@bp.route("/questionnaire/<int:question_id>/options", methods=["POST"])
@requires(*ADMINS)
def option_create(question_id: int):
    """Add an option to a choice question."""
    question = _question_or_404(question_id)
    form = OptionForm()
    if not form.validate_on_submit():
        return render("leads/question_edit.html", "leads/_options.html", status=422,
                      **_edit_context(question, option_form=form))
    questionnaire.add_option(question, form.wordings(), form.points.data or 0, actor_id=current_user().id)
    flash(_("The option is added."), "success")
    return redirect(url_for("leads.question_edit", question_id=question.id) + "#options", 303)


def _option_or_404(question, option_id: int):
    option = questionnaire.get_option(question, option_id)
    if option is None:
        abort(404)
    return option


@bp.route("/questionnaire/<int:question_id>/options/<int:option_id>", methods=["POST"])
@requires(*ADMINS)
def option_update(question_id: int, option_id: int):
    """Reword an option or change its points."""
    question = _question_or_404(question_id)
    option = _option_or_404(question, option_id)
    form = OptionForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("leads.question_edit", question_id=question.id) + "#options", 303)
    questionnaire.update_option(option, form.wordings(), form.points.data or 0, actor_id=current_user().id)
    flash(_("The option is saved."), "success")
    return redirect(url_for("leads.question_edit", question_id=question.id) + "#options", 303)


@bp.route("/questionnaire/<int:question_id>/options/<int:option_id>/delete", methods=["POST"])
@requires(*ADMINS)
def option_delete(question_id: int, option_id: int):
    """Remove an option (archived when chosen in some answer)."""
    question = _question_or_404(question_id)
    option = _option_or_404(question, option_id)
    outcome = questionnaire.remove_option(option, actor_id=current_user().id)
    flash(_("The option is archived: answers that chose it keep it.") if outcome == "archived"
          else _("The option is deleted."), "success")
    return redirect(url_for("leads.question_edit", question_id=question.id) + "#options", 303)


@bp.route("/questionnaire/threshold", methods=["POST"])
@requires(*ADMINS)
def threshold_update():
    """The score from which a lead is suggested as qualified."""
    form = ThresholdForm()
    if not form.validate_on_submit():
        return render("leads/questionnaire.html", "leads/_threshold.html", status=422,
                      **_questionnaire_context(threshold_form=form))
    questionnaire.set_threshold(form.threshold.data, actor_id=current_user().id)
    flash(_("The threshold is saved."), "success")
    return redirect(url_for("leads.questions"), 303)


# --- bonuses --------------------------------------------------------------------------------------------------

LEDGER_ROLES = (Role.owner, Role.admin, Role.manager, Role.coordinator)


def _ledger_context(rule_form=None) -> dict:
    role, me = current_role(), current_user()
    period = bonuses.parse_period(request.args.get("period"), date.today())
    if role == Role.coordinator:
        coordinator_id = me.id  # a coordinator sees their own bonuses only
    else:
        coordinator_id = request.args.get("coordinator", type=int)
    before = None
    if request.args.get("before_day") and request.args.get("before_id", type=int):
        try:
            before = (date.fromisoformat(request.args["before_day"]), request.args.get("before_id", type=int))
        except ValueError:
            before = None
    rows, cursor = bonuses.entries(period, coordinator_id, before=before)
    per_person, grand = bonuses.totals(period, coordinator_id, g.tenant.base_currency)
    row = questionnaire.settings_if_any()
    return {
        "entries": rows, "cursor": cursor, "per_person": per_person, "grand": grand, "period": period,
        "coordinator_id": coordinator_id, "rule_text": bonuses.rule_text(row), "is_admin": role in ADMINS,
        "sees_all": role != Role.coordinator,
        "coordinators": [u for u in people()] if role != Role.coordinator else [],
        "rule_form": rule_form or BonusRuleForm(
            formdata=None, rule=row.bonus_rule if row else BonusRule.none.value,
            amount=row.bonus_amount if row else None, percent=row.bonus_percent if row else None),
        "today": date.today(),
    }


@bp.route("/bonuses")
def bonuses_index():
    """The coordinator bonus ledger for a period, with totals in the base currency."""
    if current_role() not in LEDGER_ROLES:
        abort(403)
    return render("leads/bonuses.html", "leads/_ledger.html", **_ledger_context())


@bp.route("/bonuses/rule", methods=["POST"])
@requires(*ADMINS)
def bonus_rule():
    """Set how coordinators are credited."""
    form = BonusRuleForm()
    if not form.validate_on_submit():
        return render("leads/bonuses.html", "leads/_bonus_rule.html", status=422, **_ledger_context(rule_form=form))
    bonuses.set_rule(g.tenant, form.rule.data, amount=form.amount.data, percent=form.percent.data,
                     actor_id=current_user().id)
    flash(_("The bonus rule is saved. It applies to contracts signed from now on."), "success")
    return redirect(url_for("leads.bonuses_index"), 303)


# --- the public web form's settings -------------------------------------------------------------------------


def _webform_context(form=None) -> dict:
    row = questionnaire.settings_if_any()
    return {
        "form": form or WebformSettingsForm(formdata=None, enabled=row.webform_enabled if row else False,
                                            owner_id=str(row.webform_owner_id or "") if row else "",
                                            people=people()),
        "enabled": bool(row and row.webform_enabled),
        "form_url": url_for("webform.new", _external=True),
        "post_url": url_for("webform.create", _external=True),
    }


@bp.route("/webform")
@requires(*ADMINS)
def webform_settings():
    """Turn the public web-to-lead form on, choose who gets its leads, and copy the snippet."""
    return render("leads/webform_settings.html", "leads/_webform_settings.html", **_webform_context())


@bp.route("/webform", methods=["POST"])
@requires(*ADMINS)
def webform_update():
    """Save the web form's settings."""
    form = WebformSettingsForm(people=people())
    if not form.validate_on_submit():
        return render("leads/webform_settings.html", "leads/_webform_settings.html", status=422,
                      **_webform_context(form))
    questionnaire.set_webform(bool(form.enabled.data), int(form.owner_id.data) if form.owner_id.data else None,
                              actor_id=current_user().id)
    flash(_("The web form settings are saved."), "success")
    return redirect(url_for("leads.webform_settings"), 303)

