"""Across contracts: the coordinator's deliverables of the week and the billing entries to invoice."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, request, stream_with_context

from tenants.auth import current_user
from tenants.db import db
from tenants.models import Role
from tenants.resolve import TenantBlueprint, current_role
from tenants.scoping import current_tenant_id, tenant_context

from ..home.panels import panel
from ..htmx import render
from . import service
from .forms import BillingFilterForm, StatusForm

deliverables_bp = TenantBlueprint("deliverables", __name__)
billing_bp = TenantBlueprint("billing", __name__)
STAFF = (Role.owner, Role.admin, Role.manager, Role.coordinator, Role.rep)


@deliverables_bp.before_request
@billing_bp.before_request
def _staff_only():
    if current_role() not in STAFF:
        abort(404)


@deliverables_bp.route("", endpoint="index")
def week():
    """Deliverables due this week, overdue first; 'mine' or everyone's."""
    today = date.today()
    scope = request.args.get("scope") or ("mine" if current_role() in (Role.rep,) else "all")
    rows = service.due_deliverables(current_user(), current_role(), today=today, mine=scope == "mine")
    overdue = [d for d in rows if d.due_on < today]
    this_week = [d for d in rows if d.due_on >= today]
    monday, sunday = service.week_bounds(today)
    return render("deliverables/index.html", "deliverables/_list.html", overdue=overdue, this_week=this_week,
                  scope=scope, today=today, monday=monday, sunday=sunday, status_form=StatusForm(formdata=None))


@panel(order=10)
def _due_panel():
    """Home: the signed-in person's deliverables overdue or due this week."""
    if current_role() not in STAFF:
        return None
    today = date.today()
    rows = service.due_deliverables(current_user(), current_role(), today=today, mine=True, limit=8)
    return "deliverables/_panel.html", {"rows": rows, "today": today}


def _billing_filters():
    form = BillingFilterForm(request.args, meta={"csrf": False})
    form.validate()
    invoiced = {"yes": True, "no": False}.get(form.invoiced.data or "")
    return form, invoiced


@billing_bp.route("", endpoint="index")
def entries():
    """Billing entries of every contract the reader can see, by due date."""
    form, invoiced = _billing_filters()
    stmt = service.billing_entries(current_user(), current_role(), due_from=form.due_from.data,
                                   due_to=form.due_to.data, invoiced=invoiced,
                                   after_id=request.args.get("after", type=int))
    rows = list(db.session.scalars(stmt))
    more = len(rows) > 100
    rows = rows[:100]
    return render("billing/index.html", "billing/_table.html", rows=rows, form=form,
                  next_after=rows[-1].id if more else None,
                  export_args={k: v for k, v in request.args.items() if k != "after"})


CSV_COLUMNS = ("contract_number", "account", "due_on", "amount", "currency", "invoiced", "invoice_ref", "invoiced_on",
               "note", "entry_id")


@billing_bp.route("/export.csv")
def export():
    """The filtered entries as CSV for the billing system: plain figures (dot decimals, ISO dates), UTF-8."""
    form, invoiced = _billing_filters()
    stmt = service.billing_entries(current_user(), current_role(), due_from=form.due_from.data,
                                   due_to=form.due_to.data, invoiced=invoiced, limit=None)

    tenant_id = current_tenant_id()

    def rows():
        # The response streams after the view returns: the tenant must be set again for the queries.
        with tenant_context(tenant_id):
            yield from _csv_rows(stmt)

    filename = f"billing-{date.today().isoformat()}.csv"
    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _csv_rows(stmt):
    """The export's lines, 500 entries at a time (a large export never sits in memory whole)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for batch in db.session.scalars(stmt.execution_options(yield_per=500)).partitions():
        buffer.seek(0)
        buffer.truncate()
        for entry in batch:
            writer.writerow([entry.contract.number, entry.contract.account.name, entry.due_on.isoformat(),
                             format(entry.amount, "f"), entry.currency, "yes" if entry.invoiced else "no",
                             entry.invoice_ref or "", entry.invoiced_on.isoformat() if entry.invoiced_on else "",
                             entry.note or "", entry.id])
        yield buffer.getvalue()


# --- renewals calendar and feeds ------------------------------------------------------------------------

renewals_bp = TenantBlueprint("renewals", __name__)
feeds_bp = TenantBlueprint("feeds", __name__, public=True)


@renewals_bp.before_request
def _renewals_staff_only():
    if current_role() not in STAFF:
        abort(404)


def _money_formatter():
    from flask_babel import get_locale

    from i18n.money import format_money

    locale = get_locale()
    return lambda money: format_money(money, locale)


def _date_formatter():
    from babel.dates import format_date
    from flask_babel import get_locale

    locale = get_locale()
    return lambda day, fmt="medium": format_date(day, fmt, locale=locale)


@renewals_bp.route("", endpoint="index")
def calendar():
    """Contracts expiring month by month or quarter by quarter, with notice deadlines drawn, in the reader's currency."""
    from flask import g, url_for

    from .forms import SELLERS, people
    from .renewals import build_calendar, quarter_start, timeline
    from .routes import viewer_currency

    args = request.args
    view = "month" if args.get("view") == "month" else "quarter"
    try:
        start = date.fromisoformat(args["start"] + "-01") if args.get("start") else quarter_start(date.today())
    except ValueError:
        start = quarter_start(date.today())
    start = quarter_start(start) if view == "quarter" else start.replace(day=1)
    owner_id = args.get("rep", type=int)
    if current_role() == Role.rep:
        owner_id = current_user().id
    country, account_id = args.get("country") or None, args.get("account", type=int)
    cal = build_calendar(current_user(), current_role(), start=start, view=view, currency=viewer_currency(),
                         owner_id=owner_id, country=country, account_id=account_id,
                         base_currency=g.tenant.base_currency)
    chart = timeline(cal, url_for_contract=lambda c: url_for("contracts.show", contract_id=c.id),
                     format_money=_money_formatter(), format_date=_date_formatter())
    nav = {
        "previous": service.add_months(start, -12).strftime("%Y-%m"),
        "next": service.add_months(start, 12).strftime("%Y-%m"),
        "today": quarter_start(date.today()).strftime("%Y-%m"),
    }
    filters = {"view": view, "rep": owner_id if current_role() != Role.rep else None, "country": country,
               "account": account_id}
    return render("renewals/index.html", "renewals/_calendar.html", cal=cal, chart=chart, view=view,
                  start=start, nav=nav, filters=filters, today=date.today(),
                  reps=people(SELLERS) if current_role() != Role.rep else [])


@renewals_bp.route("/calendar-feed")
def feed():
    """The person's private calendar address: how to subscribe, and a reset."""
    from .renewals import feed_of

    return render("renewals/feed.html", "renewals/_feed.html", feed=feed_of(current_user()), token=None)


@renewals_bp.route("/calendar-feed", methods=["POST"])
def reset_feed():
    """Make (or replace) the secret address; it is shown once, here."""
    from .renewals import feed_of
    from .renewals import reset_feed as make

    token = make(current_user())
    return render("renewals/feed.html", "renewals/_feed.html", feed=feed_of(current_user()), token=token)


@feeds_bp.route("/<token>.ics")
def ical(token: str):
    """A person's expiring contracts, notice deadlines and deliverables due, as iCalendar (no sign-in: the URL is the key)."""
    from flask import g, url_for
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from .forms import kind_label
    from .renewals import ical as build
    from .renewals import user_for_token

    user = user_for_token(token)
    if user is None:
        abort(404)
    with force_locale(user.locale or g.tenant.default_locale):
        texts = {
            "calendar_name": _("Coordina renewals · %(tenant)s", tenant=g.tenant.name),
            "ends": lambda c: _("%(number)s ends · %(account)s", number=c.number, account=c.account.name),
            "notice": lambda c: _("Notice deadline %(number)s · %(account)s", number=c.number, account=c.account.name),
            "due": lambda d: _("Due: %(kind)s · %(details)s (%(number)s)", kind=kind_label(d.kind), details=d.details,
                               number=d.contract.number),
            "contract_description": lambda c: _("%(title)s, %(account)s. Ends %(end)s; notice deadline %(notice)s.",
                                                title=c.title, account=c.account.name, end=c.ends_on.isoformat(),
                                                notice=c.notice_deadline.isoformat()),
            "deliverable_description": lambda d: _("%(details)s for %(account)s, contract %(number)s.",
                                                   details=d.details, account=d.contract.account.name,
                                                   number=d.contract.number),
        }
        body = build(user, g.tenant, texts=texts,
                     url_for_contract=lambda c: url_for("contracts.show", contract_id=c.id, _external=True))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="coordina-{g.tenant.slug}.ics"', "Cache-Control": "private, max-age=300"})
