"""Digital deliverables: a contract's placements (landing URL, run, place) and their tracked links, each placement's
and each contract's traffic with a chart and CSV, the rep's view of their clients' traffic, the site-visit import,
and the public tracked link and pixel."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import EditConflict, db
from tenants.models import SEES_ALL, STAFF
from tenants.pager import InvalidCursor
from tenants.resolve import PUBLIC, TenantBlueprint, current_role, requires

from ..contracts.routes import contract_or_404, show_page
from ..htmx import confirm, form_part, hx_redirect, render, wants_fragment
from . import service
from .chart import traffic_chart
from .forms import EditPlacementForm, PlacementForm, SiteVisitsForm

bp = TenantBlueprint("traffic", __name__, roles=STAFF)
ON_CONTRACT = "/contracts"

# The smallest transparent GIF: what an impression pixel answers.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def _today() -> date:
    return service.tenant_today(g.tenant.timezone)


def _period() -> int:
    days = request.args.get("days", type=int)
    return days if days in service.PERIODS else service.PERIODS[0]


# --- the public tracked link and pixel: no session, no cookie, no address kept -------------------------------


def _unknown():
    """An unknown token: a page of its own, without the app's layout (its forms would start a session)."""
    return _public(make_response(render_template("traffic/unknown.html"), 404))


def _public(response):
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/go/<token>", access=PUBLIC, segment="")
def go(token: str):
    """A tracked link: count the click, send the visitor to the landing page."""
    if request.method == "HEAD":  # link previews and checkers look without clicking: not counted
        landing = db.session.scalar(db.select(service.Placement.landing_url)
                                    .where(service.Placement.token == token))
    else:
        landing = service.count_hit(g.tenant, token, click=True)
    if landing is None:
        return _unknown()
    return _public(redirect(landing, 302))


@bp.route("/px/<token>.gif", access=PUBLIC, segment="")
def pixel(token: str):
    """An impression pixel: count it, answer a 1x1 transparent GIF never cached."""
    if request.method == "HEAD":
        found = db.session.scalar(db.select(service.Placement.id).where(service.Placement.token == token))
    else:
        found = service.count_hit(g.tenant, token, click=False)
    if found is None:
        return _unknown()
    response = make_response(PIXEL)
    response.headers["Content-Type"] = "image/gif"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"  # shown on the client's own site
    return _public(response)


# --- on the contract's page ----------------------------------------------------------------------------------


def _free_deliverables(contract, digital=None):
    """The contract's banners and links that have no placement yet."""
    digital = service.digital_deliverables(contract) if digital is None else digital
    taken = {row.placement.deliverable_id for row in service.placements_of(contract, _today())}
    return [d for d in digital if d.id not in taken]


def contract_panel(contract, placement_form=None, **_overrides):
    """The contract page's web banners and links: their tracked links, checks and last 30 days. The form to give
    one its landing page only when given (else it is loaded when opened)."""
    digital, rows = service.contract_panel_rows(contract, _today())
    if not digital:
        return None
    taken = {row.placement.deliverable_id for row in rows}
    return "traffic/_contract.html", {
        "rows": rows, "form": placement_form, "free": [d for d in digital if d[0] not in taken],
        "links": {row.placement.id: (service.tracked_url(g.tenant.slug, row.placement),
                                     service.pixel_url(g.tenant.slug, row.placement)) for row in rows},
    }


@bp.route("/<int:contract_id>/placements/new", segment=ON_CONTRACT)
def new(contract_id: int):
    """The form to make a tracked link, asked for when the contract page's "Add a tracked link" is opened."""
    contract = contract_or_404(contract_id)
    form = PlacementForm(formdata=None, deliverables=_free_deliverables(contract), starts_on=_today())
    return form_part("traffic/_add_form.html", lambda: show_page(contract, placement_form=form),
                     contract=contract, form=form)


@bp.route("/<int:contract_id>/placements", methods=["POST"], segment=ON_CONTRACT)
def create(contract_id: int):
    """Give a banner or link its landing page, run and place: it gets its tracked link."""
    contract = contract_or_404(contract_id)
    free = _free_deliverables(contract)
    form = PlacementForm(deliverables=free)
    if form.validate_on_submit():
        deliverable = next(d for d in free if d.id == form.deliverable_id.data)
        service.save_placement(deliverable, landing_url=form.landing_url.data, starts_on=form.starts_on.data,
                               ends_on=form.ends_on.data, where=form.placement.data or None,
                               actor_id=current_user().id)
        db.session.commit()
        confirm(_("The tracked link is ready: copy it below."))
        if not wants_fragment():
            return redirect(url_for("contracts.show", contract_id=contract.id) + "#traffic", 303)
        return show_page(contract, "traffic/_contract.html")
    return show_page(contract, "traffic/_contract.html", 422, placement_form=form)


# --- one placement's traffic ------------------------------------------------------------------------------


def _placement_or_404(placement_id: int):
    found = service.get_placement(placement_id, current_user(), current_role())
    if found is None:
        abort(404)
    return found


def _labels() -> dict[str, str]:
    return {"clicks": _("Clicks"), "impressions": _("Impressions"), "visits": _("Site visits")}


def _report(data):
    return traffic_chart(data, _labels(), str(get_locale()))


def _show(placement_id: int, form=None, status: int = 200):
    placement, contract, deliverable = _placement_or_404(placement_id)
    days = _period()
    data = service.series(placement_id=placement.id, days=days, today=_today())
    if form is None:
        form = EditPlacementForm(formdata=None, obj=placement)
    return render("traffic/show.html", "traffic/_edit.html", status=status, placement=placement, contract=contract,
                  deliverable=deliverable, data=data, chart=_report(data), days=days, form=form,
                  tracked=service.tracked_url(g.tenant.slug, placement),
                  pixel=service.pixel_url(g.tenant.slug, placement), periods=service.PERIODS)


@bp.route("/placements/<int:placement_id>")
def show(placement_id: int):
    """A banner's or link's clicks and impressions per day, its tracked link, its check, its landing page."""
    return _show(placement_id)


@bp.route("/placements/<int:placement_id>", methods=["POST"])
def update(placement_id: int):
    """Change the landing page (then checked again), the run or the place; the tracked link stays."""
    placement, contract, deliverable = _placement_or_404(placement_id)
    form = EditPlacementForm()
    if form.validate_on_submit():
        try:
            service.save_placement(deliverable, landing_url=form.landing_url.data, starts_on=form.starts_on.data,
                                   ends_on=form.ends_on.data, where=form.placement.data or None,
                                   actor_id=current_user().id, version=form.version.data)
            db.session.commit()
        except EditConflict:
            db.session.rollback()
            form.fail(_("Someone else changed this placement while you were editing. Your changes are below and "
                        "were not saved; save again to keep them."))
            form.version.data = service.get_placement(placement_id, current_user(), current_role())[0].version
            return _show(placement_id, form, 409)
        flash(_("The placement is saved."), "success")
        return hx_redirect(url_for("traffic.show", placement_id=placement_id))
    return _show(placement_id, form, 422)


def _csv(data, name: str):
    headers = [_("Date"), _("Clicks"), _("Impressions"), _("Site visits")]
    response = make_response(service.csv_of(data, headers))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/placements/<int:placement_id>/traffic.csv")
def placement_csv(placement_id: int):
    """The placement's figures per day as CSV."""
    placement, _contract, _deliverable = _placement_or_404(placement_id)
    days = _period()
    data = service.series(placement_id=placement.id, days=days, today=_today())
    return _csv(data, f"traffic-{placement.id}-{data.start.isoformat()}-{data.end.isoformat()}.csv")


# --- a contract's traffic ----------------------------------------------------------------------------------


@bp.route("/<int:contract_id>/traffic", segment=ON_CONTRACT)
def contract_report(contract_id: int):
    """All of a contract's banners and links together: clicks and impressions per day, site visits beside."""
    contract = contract_or_404(contract_id)
    days = _period()
    data = service.series(contract_id=contract.id, days=days, today=_today())
    return render("traffic/contract.html", "traffic/_report.html", contract=contract, data=data,
                  chart=_report(data), days=days, rows=service.placements_of(contract, _today()),
                  periods=service.PERIODS)


@bp.route("/<int:contract_id>/traffic.csv", segment=ON_CONTRACT)
def contract_csv(contract_id: int):
    """The contract's figures per day as CSV."""
    contract = contract_or_404(contract_id)
    days = _period()
    data = service.series(contract_id=contract.id, days=days, today=_today())
    return _csv(data, f"traffic-{contract.number}-{data.start.isoformat()}-{data.end.isoformat()}.csv"
                .replace('"', ""))


# --- the rep's view ------------------------------------------------------------------------------------


@bp.route("")
def index():
    """My clients' traffic: each banner and link of my contracts (everyone's, for coordinators and managers), its
    last 30 days against the 30 before, and whether its landing page works."""
    try:
        page, rows = service.overview(current_user(), current_role(), _today(), request.args.get("after"))
    except InvalidCursor:
        abort(404)
    return render("traffic/index.html", "traffic/_table.html", page=page, rows=rows,
                  sees_all=current_role() in SEES_ALL)


# --- the company's own site figures ----------------------------------------------------------------------


def _visits_page(form=None, result=None, status: int = 200):
    return render("traffic/site_visits.html", "traffic/_site_visits.html", status=status,
                  form=form or SiteVisitsForm(formdata=None), result=result, months=service.site_visit_months())


@bp.route("/site-visits")
@requires(*SEES_ALL)
def site_visits():
    """The company's own site visits imported so far, and the upload that adds a month."""
    return _visits_page()


@bp.route("/site-visits", methods=["POST"])
@requires(*SEES_ALL)
def import_visits():
    """Import site visits from CSV (date, page, visits): a bad line refuses the file, with its line number."""
    form = SiteVisitsForm()
    if not form.validate_on_submit():
        return _visits_page(form, status=422)
    raw = form.file.data.read(5_000_001)
    if len(raw) > 5_000_000:
        form.file.errors = [_("The file is larger than 5 MB.")]
        return _visits_page(form, status=422)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors = [_("The file is not UTF-8 text.")]
        return _visits_page(form, status=422)
    result = service.import_site_visits(text, actor_id=current_user().id)
    if result.errors:
        db.session.rollback()
        return _visits_page(form, result, 422)
    db.session.commit()
    confirm(ngettext("%(num)d line imported.", "%(num)d lines imported.", result.saved))
    return redirect(url_for("traffic.site_visits"), 303)
