"""Renewals: the calendar of what ends when, starting a renewal from a contract, and each person's private
calendar feed (its page, and the public .ics address that calendars read)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from i18n.money import format_money
from tenants.auth import current_user
from tenants.db import commit
from tenants.models import SELLERS, STAFF, Role
from tenants.resolve import PUBLIC, TenantBlueprint, current_role

from ..contracts.forms import people
from ..contracts.models import Status
from ..contracts.routes import contract_or_404
from ..contracts.service import add_months
from ..deliverables.models import kind_label
from ..features import hooks
from ..forms import record_id
from ..htmx import render
from ..links import public_url_for
from ..locale_context import locale_name
from ..row_cache import kept_part
from ..templating import dateformat, reader_currency
from . import feed as feeds
from . import service
from .calendar import build_calendar, ended_without_renewal, window_from
from .chart import timeline

bp = TenantBlueprint("renewals", __name__, roles=STAFF)


def _chart_html(cal, today: date) -> Markup:
    """The chart, worked out and drawn once for everything it shows (web.row_cache.kept_part): besides the reader,
    the day (the today line, late notices) and the calendar itself (its window, view, currency, totals and every
    listed contract with its converted value). Laying out and drawing the bars and lanes was a fifth of the page; the
    same calendar seen again (by anyone reading it in the same language) reuses it."""
    locale = locale_name()
    key = (today, cal.view, cal.currency, cal.start, cal.end, cal.total, tuple(cal.missing_rates),
           tuple((p.start, p.end, p.count, p.total, tuple(e.row_key() for e in p.entries)) for p in cal.periods))
    # Days through the page's own formatter (kept per day, format and language): one lane per contract asked Babel
    # for the same few dates again and again.
    return kept_part("renewals/_chart.html", key, lambda: {
        "cal": cal, "chart": timeline(cal, format_money=lambda money: format_money(money, locale),
                                      format_date=dateformat)})


@bp.route("")
def index():
    """Contracts ending in the next 12 months (or everything ahead, or chosen dates), as a chart with its legend
    and as a table, grouped by month or quarter, in the reader's currency."""
    args = request.args
    today = date.today()
    view = "month" if args.get("view") == "month" else "quarter"
    window = window_from(args, today)
    owner_id = args.get("rep", type=record_id)
    if current_role() == Role.rep:
        owner_id = current_user().id
    country, account_id = args.get("country") or None, args.get("account", type=record_id)
    cal = build_calendar(current_user(), current_role(), start=window.start, end=window.end, view=view,
                         currency=reader_currency(), owner_id=owner_id, country=country, account_id=account_id)
    ended = 0 if window.kind == "dates" else ended_without_renewal(
        current_user(), current_role(), owner_id=owner_id, country=country, account_id=account_id)
    chart_html = _chart_html(cal, today)
    filters = {"view": view, "rep": owner_id if current_role() != Role.rep else None, "country": country,
               "account": account_id}
    after = cal.end + timedelta(days=1)
    nav = {  # the twelve months either side of what is shown, as chosen dates
        "earlier": {**filters, "from": add_months(cal.start, -12).isoformat(),
                    "to": (cal.start - timedelta(days=1)).isoformat()},
        "later": {**filters, "from": after.isoformat(), "to": (add_months(after, 12) - timedelta(days=1)).isoformat()},
    }
    return render("renewals/index.html", "renewals/_calendar.html", cal=cal, chart_html=chart_html, view=view,
                  window=window, nav=nav, filters=filters, today=today, ended=ended,
                  reps=people(SELLERS) if current_role() != Role.rep else [])


def contract_panel(contract, **_overrides):
    """On a contract's page: its renewal if one is started, else the button that starts it."""
    renewal = service.renewal_line(contract)
    can_start = contract.status in (Status.active.value, Status.expiring.value, Status.expired.value)
    if renewal is None and not can_start:
        return None
    return "renewals/_contract.html", {"renewal": renewal}


@bp.route("/<int:contract_id>/renew", methods=["POST"], segment="/contracts")
def create(contract_id: int):
    """Start the renewal: a new draft for the next term, deliverables copied forward."""
    contract = contract_or_404(contract_id)
    if contract.status in (Status.draft.value, Status.cancelled.value):
        abort(409)
    renewal = service.start_renewal(contract, g.tenant, actor_id=current_user().id)
    commit()
    flash(_("Renewal %(number)s is drafted from %(old)s. Check the dates and value, then sign it.",
            number=renewal.number, old=contract.number), "success")
    return redirect(url_for("contracts.show", contract_id=renewal.id), 303)


# --- the private calendar feed ----------------------------------------------------------------------------


@bp.route("/calendar-feed")
def feed():
    """The person's private calendar address: how to subscribe, and a reset."""
    return render("renewals/feed.html", "renewals/_feed.html", feed=feeds.feed_of(current_user()), token=None)


@bp.route("/calendar-feed", methods=["POST"])
def reset_feed():
    """Make (or replace) the secret address; it is shown once, here."""
    token = feeds.reset_feed(current_user())
    return render("renewals/feed.html", "renewals/_feed.html", feed=feeds.feed_of(current_user()), token=token)


@bp.route("/<token>.ics", access=PUBLIC, segment="/feeds")
def ical(token: str):
    """A person's contracts ending, notice deadlines and deliverables due, as iCalendar (the URL is the key)."""
    user = feeds.user_for_token(token)
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
        # Higher features' items (an event's checklist) come through the "calendar_items" hook.
        extra = [item for hook in hooks("calendar_items") for item in hook(user)]
        body = feeds.ical(user, g.tenant, texts=texts,
                          url_for_contract=lambda c: public_url_for("contracts.show", contract_id=c.id), extra=extra)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="coordina-{g.tenant.slug}.ics"', "Cache-Control": "private, max-age=300"})
