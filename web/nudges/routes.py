"""The nudges queue (preview in the contact's language, edit for this one nudge, skip, send now), what went out,
the rules and their text per language, and a contract's nudges on its page."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from i18n.locales import SUPPORTED_LOCALES
from tenants.auth import current_user
from tenants.models import ADMINS, SEES_ALL, STAFF, Role
from tenants.pager import InvalidCursor
from tenants.resolve import TenantBlueprint, current_role

from ..deliverables import service as deliverables
from ..htmx import render
from . import rules as nudge_rules
from . import service
from .forms import LANGUAGE_NAMES, NudgeForm, RuleForm, SkipForm
from .models import ACTION_LABELS, STATUS_LABELS, TRIGGER_LABELS

bp = TenantBlueprint("nudges", __name__, roles=STAFF)

# Who writes the rules and their text.
EDITORS = (*ADMINS, Role.coordinator)


def _labels() -> dict:
    return {"trigger_labels": TRIGGER_LABELS, "action_labels": ACTION_LABELS, "status_labels": STATUS_LABELS,
            "language_names": LANGUAGE_NAMES}


@bp.route("")
def index():
    """The scheduled nudges (soonest first) with what each would say, and what went out lately."""
    me, role = current_user(), current_role()
    try:
        page = service.queue(me, role, after=request.args.get("after"))
    except InvalidCursor:
        abort(404)
    ctx = service.Context(page.rows, g.tenant)
    drafts = {n.id: service.compose(n, ctx) for n in page.rows}
    return render("nudges/index.html", "nudges/_queue.html", nudges=page.rows, page=page, drafts=drafts,
                  count=service.scheduled_count(me, role), recent=service.recent(me, role),
                  can_act=role in SEES_ALL, can_edit_rules=role in EDITORS, **_labels())


def _nudge_or_404(nudge_id: int, acting: bool = False):
    if acting and current_role() not in SEES_ALL:
        abort(404)
    nudge = service.get(nudge_id, current_user(), current_role())
    if nudge is None:
        abort(404)
    return nudge


def _show(nudge, form=None, skip_form=None, status=200):
    draft = service.compose(nudge, service.Context([nudge], g.tenant))
    if form is None:
        form = NudgeForm(formdata=None, subject=draft.raw_subject, body=draft.raw_body, version=nudge.version)
    return render("nudges/show.html", "nudges/_nudge.html", status=status, nudge=nudge, draft=draft, form=form,
                  skip_form=skip_form or SkipForm(formdata=None), can_act=current_role() in SEES_ALL,
                  **_labels())


@bp.route("/<int:nudge_id>")
def show(nudge_id: int):
    """One nudge: the email (or task) as it would go, in the recipient's language, and what can be done."""
    return _show(_nudge_or_404(nudge_id))


@bp.route("/<int:nudge_id>", methods=["POST"])
def update(nudge_id: int):
    """Keep this nudge's own subject and body; the rule's template is untouched."""
    nudge = _nudge_or_404(nudge_id, acting=True)
    form = NudgeForm()
    if not form.validate_on_submit():
        return _show(nudge, form, status=422)
    try:
        service.edit(nudge, subject=form.subject.data, body=form.body.data, version=form.version.data,
                     actor_id=current_user().id)
    except service.TemplateProblem as problem:
        form.body.errors = [str(problem)]
        return _show(nudge, form, status=422)
    except service.Conflict:
        form.fail(_("Someone changed or sent this nudge meanwhile: your text was not saved. It is still here; "
                    "look at the nudge again before saving."))
        service.db.session.expire_all()
        fresh = _nudge_or_404(nudge_id)
        form.version.data = fresh.version
        return _show(fresh, form, status=409)
    flash(_("Saved: this nudge will go with your text."), "success")
    return redirect(url_for("nudges.show", nudge_id=nudge_id), 303)


@bp.route("/<int:nudge_id>/skip", methods=["POST"])
def skip(nudge_id: int):
    """Do not send this nudge, with an optional reason kept in the contract's history."""
    nudge = _nudge_or_404(nudge_id, acting=True)
    form = SkipForm()
    if not form.validate_on_submit():
        return _show(nudge, skip_form=form, status=422)
    try:
        service.skip(nudge, reason=form.reason.data or None, actor_id=current_user().id)
    except service.Conflict:
        flash(_("This nudge was sent or skipped already."), "error")
        return redirect(url_for("nudges.show", nudge_id=nudge_id), 303)
    flash(_("Skipped: this nudge will not go."), "success")
    return redirect(url_for("nudges.index"), 303)


@bp.route("/<int:nudge_id>/send", methods=["POST"])
def send(nudge_id: int):
    """Send this nudge now instead of at the end of its hold."""
    nudge = _nudge_or_404(nudge_id, acting=True)
    try:
        service.send_now(nudge, g.tenant, actor_id=current_user().id)
    except service.Conflict:
        flash(_("This nudge was sent or skipped already."), "error")
        return redirect(url_for("nudges.show", nudge_id=nudge_id), 303)
    flash(_("Sent: it is on its way."), "success")
    return redirect(url_for("nudges.index"), 303)


# --- rules ----------------------------------------------------------------------------------------------------


def _editor():
    if current_role() not in EDITORS:
        abort(404)


def _rule_form(rule=None, formdata=False):
    kwargs = {}
    if formdata is None:
        if rule is not None:
            kwargs = dict(name=rule.name, trigger=rule.trigger, days=rule.days, kind=rule.kind_id,
                          contract=rule.contract_id, action=rule.action, hold_hours=rule.hold_hours,
                          active=rule.active, version=rule.version)
            for locale, row in nudge_rules.templates_of(rule.id).items():
                kwargs[f"subject_{locale}"], kwargs[f"body_{locale}"] = row.subject, row.body
        else:
            kwargs = dict(days=7, hold_hours=24, active=True)
        return RuleForm(formdata=None, kinds=deliverables.kinds(), contracts=nudge_rules.contract_choices(), **kwargs)
    return RuleForm(kinds=deliverables.kinds(), contracts=nudge_rules.contract_choices())


def _rules_page(form=None, status=200):
    return render("nudges/rules.html", "nudges/_rule_form.html", status=status, rules=nudge_rules.rules(),
                  form=form or _rule_form(formdata=None), rule=None, locales=SUPPORTED_LOCALES,
                  placeholders=service.PLACEHOLDERS, **_labels())


@bp.route("/rules")
def rules():
    """The rules: when a nudge is made, what it does, how long it waits; and the form for a new one."""
    _editor()
    return _rules_page()


class _Conflict(Exception):
    pass


def _save(rule, form):
    texts = {code: (form[f"subject_{code}"].data or "", form[f"body_{code}"].data or "") for code in SUPPORTED_LOCALES}
    if not any(subject and body for subject, body in texts.values()):
        form.fail(_("Write the subject and message in at least one language."))
        return None
    for code, (subject, body) in texts.items():
        if bool(subject) != bool(body):
            form[f"body_{code}" if subject else f"subject_{code}"].errors = [
                _("Write both the subject and the message, or leave both empty.")]
            return None
    data = nudge_rules.RuleData(name=form.name.data, trigger=form.trigger.data, days=form.days.data,
                            action=form.action.data, hold_hours=form.hold_hours.data, kind_id=form.kind.data,
                            contract_id=form.contract.data, active=bool(form.active.data))
    try:
        return nudge_rules.save_rule(rule, data, texts, actor_id=current_user().id, version=form.version.data)
    except service.TemplateProblem as problem:
        service.db.session.rollback()
        for code, (subject, body) in texts.items():
            for name, text in ((f"subject_{code}", subject), (f"body_{code}", body)):
                try:
                    service.check_text(text)
                except service.TemplateProblem:
                    form[name].errors = [str(problem)]
                    return None
        form.fail(str(problem))
        return None
    except service.Conflict:
        service.db.session.rollback()
        form.fail(_("Someone saved this rule meanwhile: your changes were not saved. They are still here; "
                    "look at the rule again before saving."))
        form.version.data = rule.version
        raise _Conflict() from None


@bp.route("/rules", methods=["POST"])
def create_rule():
    """Add a rule with its text per language."""
    _editor()
    form = _rule_form()
    if not form.validate_on_submit() or _save(None, form) is None:
        return _rules_page(form, 422)
    flash(_("Rule added: the next tick looks for what it matches."), "success")
    return redirect(url_for("nudges.rules"), 303)


@bp.route("/rules/builtin", methods=["POST"])
def builtin():
    """Add the three rules Coordina ships (banner, discount, new contract) with their text in every language."""
    _editor()
    made = nudge_rules.add_builtin_rules(g.tenant, actor_id=current_user().id)
    flash(_("%(num)d rules added.", num=len(made)), "success")
    return redirect(url_for("nudges.rules"), 303)


def _rule_or_404(rule_id: int):
    _editor()
    rule = nudge_rules.get_rule(rule_id)
    if rule is None:
        abort(404)
    return rule


def _edit_page(rule, form, status=200):
    return render("nudges/rule.html", "nudges/_rule_form.html", status=status, rule=rule, form=form,
                  locales=SUPPORTED_LOCALES, placeholders=service.PLACEHOLDERS, **_labels())


@bp.route("/rules/<int:rule_id>")
def edit_rule(rule_id: int):
    """One rule and its text in every language."""
    rule = _rule_or_404(rule_id)
    return _edit_page(rule, _rule_form(rule, formdata=None))


@bp.route("/rules/<int:rule_id>", methods=["POST"])
def update_rule(rule_id: int):
    """Save a rule and its text; nudges already made keep theirs unless edited."""
    rule = _rule_or_404(rule_id)
    form = _rule_form(rule)
    try:
        if not form.validate_on_submit() or _save(rule, form) is None:
            return _edit_page(nudge_rules.get_rule(rule_id) or rule, form, 422)
    except _Conflict:
        return _edit_page(nudge_rules.get_rule(rule_id) or rule, form, 409)
    flash(_("Rule saved."), "success")
    return redirect(url_for("nudges.rules"), 303)


def contract_panel(contract, **_overrides):
    """On a contract's page: the nudges made for it, and what became of each."""
    if current_role() not in STAFF:
        return None
    nudges = service.of_contract(contract.id)
    if not nudges:
        return None
    return "nudges/_contract.html", {"nudges": nudges, "went_live": service.went_live(nudges), **_labels()}


def home_panel(**_overrides):
    """Home: how many nudges wait for a look, and when the next one goes."""
    if current_role() not in STAFF:
        return None
    count, next_at = service.waiting(current_user(), current_role())
    if not count:
        return None
    return "nudges/_home.html", {"count": count, "next_at": next_at}
