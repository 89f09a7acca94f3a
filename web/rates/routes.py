"""Exchange rates: today's rates, a pair's history drawn as SVG, a converter, and corporate rates."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from i18n.fx import RateUnavailable, format_rate
from i18n.money import Money
from tenants import audit
from tenants.auth import current_user
from tenants.db import db
from tenants.models import ADMINS
from tenants.resolve import TenantBlueprint, current_role, requires

from ..charts import line_chart
from ..htmx import render, wants_fragment
from ..templating import dateformat
from . import service
from .forms import PERIODS, ChartForm, ConvertForm, CorporateRateForm, ImportForm

bp = TenantBlueprint("rates", __name__)


def _default_pair() -> tuple[str, str]:
    base = g.tenant.base_currency
    return base, ("USD" if base != "USD" else "EUR")


def _chart_context():
    base, other = _default_pair()
    args = MultiDict(request.args)
    for key, value in {"source": base, "target": other, "period": "1y"}.items():
        args.setdefault(key, value)
    form = ChartForm(args, meta={"csrf": False})
    chart, series, error = None, [], None
    if form.validate():
        end = date.today()
        start = end - timedelta(days=PERIODS[form.period.data])
        book = service.current_book()
        series = service.pair_history(book, form.source.data, form.target.data, start, end)
        chart = line_chart(series, str(get_locale()))
        if chart is None:
            error = _("There are no rates for this pair in this period.")
    return {"chart_form": form, "chart": chart, "chart_error": error}


@bp.route("")
def index():
    """Today's rates against the base currency and the history of one pair."""
    ctx = _chart_context()
    if not wants_fragment():
        today = date.today()
        base, other = _default_pair()
        ctx.update(rates=service.todays_rates(g.tenant, today), today=today, conversion=None,
                   convert_form=ConvertForm(formdata=None, source=other, target=base, on=today))
    return render("rates/index.html", "rates/_chart.html", **ctx)


@bp.route("/convert")
def convert():
    """Convert an amount on a date, showing the rate, its date and its source (htmx fragment)."""
    if not request.args:  # the converter, not yet asked anything: no errors to show
        return render("rates/convert.html", "rates/_convert.html", convert_form=ConvertForm(formdata=None),
                      conversion=None, problem=None)
    form = ConvertForm(request.args, meta={"csrf": False})
    conversion, problem = None, None
    if form.validate():
        try:
            conversion = service.current_book().convert(
                Money(form.amount.data, form.source.data), form.target.data, form.on.data or date.today())
        except RateUnavailable as exc:
            problem = rate_problem(exc)
    status = 200 if conversion else 422
    return render("rates/convert.html", "rates/_convert.html", status=status, convert_form=form,
                  conversion=conversion, problem=problem)


def rate_problem(exc: RateUnavailable) -> str:
    """The reader's explanation of a missing rate, with what to do about it."""
    message = _("No exchange rate for %(currency)s on or before %(date)s. An admin can add a corporate rate for it.",
                currency=exc.currency, date=dateformat(exc.on))
    if exc.detail:
        message += " " + _("Detail: %(detail)s.", detail=exc.detail)
    return message


# --- corporate rates ---------------------------------------------------------------------------------


def _corporate_context(form=None, import_form=None, import_result=None):
    currency = request.args.get("currency") or None
    page = service.corporate_rates_page(currency=currency, after=request.args.get("after"))
    return {
        "rows": page.rows, "page": page, "currency": currency,
        "form": form or CorporateRateForm(formdata=None, base_currency=g.tenant.base_currency),
        "import_form": import_form or ImportForm(formdata=None), "import_result": import_result,
        "can_edit": current_role() in ADMINS,
    }


@bp.route("/corporate")
def corporate():
    """The tenant's own rates, newest first, with their history."""
    return render("rates/corporate.html", "rates/_corporate_table.html", **_corporate_context())


@bp.route("/corporate", methods=["POST"])
@requires(*ADMINS)
def create():
    """Add a corporate rate (or replace the one of the same currency and day)."""
    form = CorporateRateForm(base_currency=g.tenant.base_currency)
    if form.validate_on_submit():
        row, created = service.set_corporate_rate(g.tenant, currency=form.currency.data, day=form.day.data,
                                                  rate=form.rate.data, note=form.note.data or None,
                                                  user_id=current_user().id)
        db.session.flush()
        audit.record("rates.corporate_set", actor_id=current_user().id, subject_type="corporate_rate",
                     subject_id=row.id, details={"currency": row.currency, "day": row.day.isoformat(),
                                                 "rate": format(row.rate, "f")})
        db.session.commit()
        flash(_("1 %(base)s = %(rate)s %(currency)s from %(day)s is saved.", base=g.tenant.base_currency,
                rate=format_rate(form.rate.data, get_locale()), currency=form.currency.data,
                day=dateformat(form.day.data)), "success")
        return redirect(url_for("rates.corporate"), 303)
    return render("rates/corporate.html", "rates/_corporate_form.html", status=422, **_corporate_context(form=form))


@bp.route("/corporate/import", methods=["POST"])
@requires(*ADMINS)
def import_csv():
    """Import corporate rates from CSV (currency,date,rate); bad lines are listed, good ones kept."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render("rates/corporate.html", "rates/_corporate_import.html", status=422,
                      **_corporate_context(import_form=form))
    raw = form.file.data.read(2_000_001)
    if len(raw) > 2_000_000:
        form.file.errors.append(_("The file is larger than 2 MB."))
        return render("rates/corporate.html", "rates/_corporate_import.html", status=422,
                      **_corporate_context(import_form=form))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors.append(_("The file is not UTF-8 text."))
        return render("rates/corporate.html", "rates/_corporate_import.html", status=422,
                      **_corporate_context(import_form=form))
    result = service.import_corporate_csv(g.tenant, text, current_user().id)
    audit.record("rates.corporate_imported", actor_id=current_user().id, subject_type="corporate_rate",
                 details={"added": result.added, "updated": result.updated, "errors": len(result.errors)})
    db.session.commit()
    status = 422 if result.errors and not (result.added or result.updated) else 200
    return render("rates/corporate.html", "rates/_corporate_import.html", status=status,
                  **_corporate_context(import_result=result))


@bp.route("/corporate/<int:rate_id>/delete", methods=["POST"])
@requires(*ADMINS)
def delete(rate_id: int):
    """Remove a corporate rate."""
    if not service.delete_corporate_rate(rate_id):
        abort(404)
    audit.record("rates.corporate_deleted", actor_id=current_user().id, subject_type="corporate_rate",
                 subject_id=rate_id)
    db.session.commit()
    flash(_("The rate is removed."), "success")
    return redirect(url_for("rates.corporate"), 303)
