"""The public web-to-lead form of a tenant: embeddable in the tenant's own site, posted from anywhere
(so no CSRF token), kept from bots by a honeypot field and a rate limit per address; and its settings."""
from __future__ import annotations

from flask import abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import db
from tenants.models import ADMINS, STAFF
from tenants.resolve import PUBLIC, TenantBlueprint, requires

from ..extensions import csrf, limiter
from ..htmx import render
from ..leads import service as leads
from ..leads.models import Source
from ..leads.routes import people
from ..leads.service import settings_if_any
from ..links import public_url_for
from . import service
from .forms import WebformSettingsForm, WebLeadForm

bp = TenantBlueprint("webform", __name__, roles=STAFF)

# Any site may frame the form; nothing else about the page is relaxed.
EMBED_CSP = "; ".join([
    "default-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors *",
    "object-src 'none'",
])


def _settings_or_404():
    row = settings_if_any()
    if row is None or not row.webform_enabled:
        abort(404)
    return row


def _page(form, status=200, refused=None):
    response = make_response(render_template("webform/new.html", form=form, refused=refused,
                                             embedded=request.args.get("embed") == "1"), status)
    response.headers["Content-Security-Policy"] = EMBED_CSP
    return response


def _limit_key() -> str:
    return f"webform:{g.get('tenant_slug', '')}:{request.remote_addr}"


@bp.route("", methods=["GET"], access=PUBLIC)
def new():
    """The form, as a page of its own or inside the tenant's site."""
    _settings_or_404()
    return _page(WebLeadForm(formdata=None))


@bp.route("", methods=["POST"], access=PUBLIC)
@csrf.exempt
@limiter.limit(lambda: current_app.config.get("WEBFORM_LIMIT", "10 per minute;60 per hour"), key_func=_limit_key)
def create():
    """A visitor's request becomes a new lead with the source “web form”."""
    row = _settings_or_404()
    form = WebLeadForm()
    if form.url.data:
        # A person never sees the honeypot; whatever filled it is refused, with words a person would understand.
        return _page(form, 422, _("The form could not be sent. If you are a person, leave the last field empty "
                                  "and send it again."))
    if not form.validate():
        return _page(form, 422)
    leads.create_lead(leads.LeadData(
        company=form.company.data, contact_name=form.name.data, email=form.email.data,
        phone=form.phone.data or None, country=form.country.data or None, source=Source.web_form.value,
        owner_id=row.webform_owner_id, notes=form.message.data or None, tags=["web"]),
        actor_id=None, audit_action="lead.web_form")
    db.session.commit()
    return redirect(url_for("webform.thanks", embed=request.args.get("embed") or None), 303)


@bp.route("/thanks", access=PUBLIC)
def thanks():
    """What the visitor sees once the form is sent."""
    _settings_or_404()
    response = make_response(render_template("webform/thanks.html",
                                             embedded=request.args.get("embed") == "1"))
    response.headers["Content-Security-Policy"] = EMBED_CSP
    return response


# --- the public web form's settings -------------------------------------------------------------------------


def _webform_context(form=None) -> dict:
    row = settings_if_any()
    return {
        "form": form or WebformSettingsForm(formdata=None, enabled=row.webform_enabled if row else False,
                                            owner_id=str(row.webform_owner_id or "") if row else "",
                                            people=people()),
        "enabled": bool(row and row.webform_enabled),
        "form_url": public_url_for("webform.new"),
        "post_url": public_url_for("webform.create"),
    }


@bp.route("/webform", segment="/leads")
@requires(*ADMINS)
def settings():
    """Turn the public web-to-lead form on, choose who gets its leads, and copy the snippet."""
    return render("webform/settings.html", "webform/_settings.html", **_webform_context())


@bp.route("/webform", methods=["POST"], segment="/leads")
@requires(*ADMINS)
def update_settings():
    """Save the web form's settings."""
    form = WebformSettingsForm(people=people())
    if not form.validate_on_submit():
        return render("webform/settings.html", "webform/_settings.html", status=422,
                      **_webform_context(form))
    service.set_webform(bool(form.enabled.data), form.owner_id.data,
                              actor_id=current_user().id)
    flash(_("The web form settings are saved."), "success")
    return redirect(url_for("webform.settings"), 303)
