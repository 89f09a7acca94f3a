"""The team report: reps' actuals against targets per period, each rep's drill-down with the original
currencies, targets set by managers, who supports whom, and figures entered by hand."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.models import ADMINS, SEES_ALL, SELLERS, STAFF, Role
from tenants.resolve import TenantBlueprint, current_role, requires

from ..exports import csv_response
from ..forms import members
from ..htmx import render
from ..templating import dateformat, money
from . import chart, compiled, forecast, service
from .forms import FigureForm, OddsForm, SupportForm, TargetForm
from .models import FIGURE_LABELS, ODDS_KEYS, ODDS_LABELS

bp = TenantBlueprint("reports", __name__, roles=STAFF)

# Who sets targets and says who supports whom.
SETS_TARGETS = (*ADMINS, Role.manager)
# Who enters figures a rep reports from outside Coordina: the coordinators who compile, and managers.
ENTERS_FIGURES = SEES_ALL


def _period():
    return service.parse_period(request.args.get("period") or service.default_period(date.today()), date.today())


def _people():
    return service.visible(members(SELLERS), current_role(), current_user())


def report_context(period=None) -> dict:
    """What the team report shows this reader for a period."""
    period = period or _period()
    report = service.team_report(period, _people(), g.tenant.base_currency, tz=g.tenant.timezone)
    return {"report": report, "period": period, "today": date.today(),
            "chart": chart.bars(report.lines, format_money=money),
            "sets_targets": current_role() in SETS_TARGETS, "sees_team": current_role() != Role.rep}


@bp.route("")
def index():
    """The team report: every visible rep's actuals against target for a month, quarter or year."""
    return render("reports/index.html", "reports/_report.html", **report_context())


def _rep_or_404(rep_id: int):
    """A rep whose numbers this reader may see; anyone else (a colleague, another tenant's) is a 404."""
    rep = next((p for p in _people() if p.id == rep_id), None)
    if rep is None:
        abort(404)
    return rep


def _rep_page(rep, figure_form=None, status=200):
    period = _period()
    report = service.team_report(period, [rep], g.tenant.base_currency, tz=g.tenant.timezone)
    page = service.signed_contracts(rep.id, period, after=request.args.get("after"))
    role = current_role()
    return render("reports/show.html", "reports/_figure_form.html" if figure_form else "reports/_rep.html",
                  status=status, rep=rep, line=report.lines[0], period=period, today=date.today(),
                  contracts=page.rows, page=page, figures=service.figures(rep.id, period),
                  can_enter=role in ENTERS_FIGURES, figure_labels=FIGURE_LABELS,
                  figure_form=figure_form or FigureForm(formdata=None, currency=g.tenant.base_currency,
                                                        day=date.today()))


@bp.route("/reps/<int:rep_id>")
def show(rep_id: int):
    """One rep's figures for a period: signed value by original currency, the contracts, manual figures."""
    return _rep_page(_rep_or_404(rep_id))


@bp.route("/reps/<int:rep_id>/figures", methods=["POST"])
@requires(*ENTERS_FIGURES)
def add_figure(rep_id: int):
    """Record a figure the rep reported from outside Coordina, with its note."""
    rep = _rep_or_404(rep_id)
    form = FigureForm()
    if form.validate_on_submit():
        value = None
        if form.kind.data == "signed_value":
            value = service.Money(form.amount.data, form.currency.data)
        try:
            service.add_figure(g.tenant, rep_id=rep.id, kind=form.kind.data, day=form.day.data, value=value,
                               note=form.note.data.strip(), actor_id=current_user().id)
        except service.RateUnavailable as exc:
            form.fail(_("There is no exchange rate for %(currency)s on that date: add a corporate rate first.",
                        currency=exc.currency))
        else:
            flash(_("The figure is recorded and marked as entered by hand."), "success")
            return redirect(url_for("reports.show", rep_id=rep.id, period=request.args.get("period")), 303)
    return _rep_page(rep, figure_form=form, status=422)


def _targets_page(form=None, support_form=None, status=200, fragment="reports/_targets.html"):
    period = service.target_period(request.args.get("period")) or service.default_period(date.today())
    return render("reports/targets.html", fragment, status=status, period=period,
                  targets=service.targets_of(period), history=service.target_history(),
                  form=form or TargetForm(formdata=None, period=period),
                  support_form=support_form or SupportForm(formdata=None),
                  supports=service.supports(), names={u.id: u.name for u in members(STAFF)}, sees_team=True,
                  sets_targets=current_role() in SETS_TARGETS)


@bp.route("/targets")
@requires(*SEES_ALL)
def targets():
    """The targets of a month or quarter, their history, and who supports whom."""
    return _targets_page()


@bp.route("/targets", methods=["POST"])
@requires(*SETS_TARGETS)
def set_target():
    """Set a rep's or the team's target for a month or quarter."""
    form = TargetForm()
    if not form.validate_on_submit():
        return _targets_page(form=form, status=422)
    service.set_target(g.tenant, rep_id=form.rep.data, period=form.period.data, signed=form.signed.data,
                       renewals_kept=form.renewals_kept.data, new_accounts=form.new_accounts.data,
                       actor_id=current_user().id)
    flash(_("The target is saved."), "success")
    return redirect(url_for("reports.targets", period=form.period.data), 303)


@bp.route("/support", methods=["POST"])
@requires(*SETS_TARGETS)
def set_support():
    """Say which coordinator supports a rep."""
    form = SupportForm()
    if not form.validate_on_submit():
        return _targets_page(support_form=form, status=422, fragment="reports/_support.html")
    service.set_support(form.rep.data, form.coordinator.data, actor_id=current_user().id)
    flash(_("Saved: who supports whom."), "success")
    return redirect(url_for("reports.targets"), 303)


# --- forecast ------------------------------------------------------------------------------------------------

def forecast_context(odds_form=None) -> dict:
    """The coming quarters' forecast for the reps this reader may see, and last quarter's beside what happened."""
    today = date.today()
    people = _people()
    result = forecast.forecast(people, g.tenant.base_currency, today)
    this_quarter = service.parse_period(forecast.quarter_key(today), today)
    last = service.parse_period(forecast.quarter_key(this_quarter.start - timedelta(days=1)), today)
    report = service.team_report(last, people, g.tenant.base_currency, tz=g.tenant.timezone)
    kept = forecast.snapshots(last.key, [p.id for p in people])
    return {"forecast": result, "last": last, "today": today,
            "looking_back": forecast.looking_back(report, kept, g.tenant.base_currency, today),
            "chart": chart.stacked(result, format_money=money, format_quarter=lambda d: dateformat(d, "QQQ yyyy")),
            "sees_team": current_role() != Role.rep, "is_admin": current_role() in ADMINS,
            "odds_labels": ODDS_LABELS,
            "odds_form": odds_form or OddsForm(formdata=None, **result.odds)}


@bp.route("/forecast")
def forecast_page():
    """The coming quarters' forecast per rep, with a chart, and last quarter's forecast beside what happened."""
    return render("reports/forecast.html", "reports/_forecast.html", **forecast_context())


@bp.route("/forecast/odds", methods=["POST"])
@requires(*ADMINS)
def set_odds():
    """Set the chance each stage turns into signed value."""
    form = OddsForm()
    if not form.validate_on_submit():
        return render("reports/forecast.html", "reports/_odds.html", status=422, **forecast_context(odds_form=form))
    forecast.set_odds({key: form[key].data for key in ODDS_KEYS})
    flash(_("The odds are saved: the forecast uses them from now on."), "success")
    return redirect(url_for("reports.forecast_page"), 303)


# --- the compiled report -------------------------------------------------------------------------------------

def _compiled():
    return compiled.compile_report(g.tenant, current_user(), _period(), date.today())


@bp.route("/compiled")
@requires(*compiled.READERS)
def compiled_page():
    """The compiled report for the manager, in the reader's language and display currency."""
    result = _compiled()
    return render("reports/compiled.html", "reports/_compiled.html", c=result, shown=result.display,
                  period=result.period, today=result.today, subscribed=compiled.subscribed(current_user().id))


@bp.route("/compiled.csv")
@requires(*compiled.READERS)
def compiled_csv():
    """The compiled report as a spreadsheet."""
    result = _compiled()
    header = [_("Section"), _("Line"), _("Figure"), _("Target or date"), _("Currency")]
    return csv_response(f"report-{result.period.key}.csv", header, compiled.csv_rows(result, _))


@bp.route("/compiled.pdf")
@requires(*compiled.READERS)
def compiled_pdf():
    """The compiled report as a PDF."""
    result = _compiled()
    response = make_response(compiled.pdf_bytes(result))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="report-{result.period.key}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/compiled/subscription", methods=["POST"])
@requires(*compiled.READERS)
def subscription():
    """Ask for the compiled report by mail every week, or stop it."""
    on = request.form.get("weekly") == "on"
    compiled.subscribe(current_user().id, on)
    flash(_("You will get this report by mail every week.") if on else _("The weekly mail is stopped."), "success")
    return redirect(url_for("reports.compiled_page"), 303)
