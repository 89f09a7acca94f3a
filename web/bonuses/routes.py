"""Coordinator bonuses: the rule (admins), and the ledger per coordinator and period with totals in the base
currency (coordinators see their own)."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.models import ADMINS, SEES_ALL, STAFF, Role
from tenants.resolve import TenantBlueprint, current_role, requires

from ..forms import members, record_id
from ..htmx import render
from ..leads.models import BonusRule
from ..leads.service import settings_if_any
from . import service
from .forms import BonusRuleForm

bp = TenantBlueprint("bonuses", __name__, segment="/leads/bonuses", roles=STAFF)


# --- the ledger --------------------------------------------------------------------------------------------------

def _ledger_context(rule_form=None) -> dict:
    role, me = current_role(), current_user()
    period = service.parse_period(request.args.get("period"), date.today())
    if role == Role.coordinator:
        coordinator_id = me.id  # a coordinator sees their own bonuses only
    else:
        coordinator_id = request.args.get("coordinator", type=record_id)
    page = service.entries(period, coordinator_id, after=request.args.get("after"))
    per_person, grand = service.totals(period, coordinator_id, g.tenant.base_currency)
    row = settings_if_any()
    return {
        "entries": page.rows, "page": page, "per_person": per_person, "grand": grand, "period": period,
        "coordinator_id": coordinator_id, "rule_text": service.rule_text(row), "is_admin": role in ADMINS,
        "sees_all": role != Role.coordinator,
        "coordinators": members(STAFF) if role != Role.coordinator else [],
        "rule_form": rule_form or BonusRuleForm(
            formdata=None, rule=row.bonus_rule if row else BonusRule.none.value,
            amount=row.bonus_amount if row else None, percent=row.bonus_percent if row else None),
        "today": date.today(),
    }


@bp.route("")
@requires(*SEES_ALL)  # the coordinators' pay: not for reps
def index():
    """The coordinator bonus ledger for a period, with totals in the base currency."""
    return render("bonuses/index.html", "bonuses/_ledger.html", **_ledger_context())


@bp.route("/rule", methods=["POST"])
@requires(*ADMINS)
def update_rule():
    """Set how coordinators are credited."""
    form = BonusRuleForm()
    if not form.validate_on_submit():
        return render("bonuses/index.html", "bonuses/_rule.html", status=422, **_ledger_context(rule_form=form))
    service.set_rule(g.tenant, form.rule.data, amount=form.amount.data, percent=form.percent.data,
                     actor_id=current_user().id)
    flash(_("The bonus rule is saved. It applies to contracts signed from now on."), "success")
    return redirect(url_for("bonuses.index"), 303)
