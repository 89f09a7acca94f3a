"""The public web-to-lead form of a tenant: embeddable in the tenant's own site, posted from anywhere
(so no CSRF token), kept from bots by a honeypot field and a rate limit per address."""
from __future__ import annotations

from flask import abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tenants.db import db
from tenants.resolve import TenantBlueprint

from ..extensions import csrf, limiter
from . import questionnaire, service
from .forms import WebLeadForm
from .models import Source

webform_bp = TenantBlueprint("webform", __name__, url_prefix="/webform", public=True)

# Any site may frame the form; nothing else about the page is relaxed.
EMBED_CSP = "; ".join([
    "default-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors *",
    "object-src 'none'",
])


def _settings_or_404():
    row = questionnaire.settings_if_any()
    if row is None or not row.webform_enabled:
        abort(404)
    return row


def _page(form, status=200, refused=None):
    response = make_response(render_template("leads/webform.html", form=form, refused=refused,
                                             embedded=request.args.get("embed") == "1"), status)
    response.headers["Content-Security-Policy"] = EMBED_CSP
    return response


def _limit_key() -> str:
    return f"webform:{g.get('tenant_slug', '')}:{request.remote_addr}"


@webform_bp.route("", methods=["GET"])
def new():
    """The form, as a page of its own or inside the tenant's site."""
    _settings_or_404()
    return _page(WebLeadForm(formdata=None))


@webform_bp.route("", methods=["POST"])
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
    service.create_lead(service.LeadData(
        company=form.company.data, contact_name=form.name.data, email=form.email.data,
        phone=form.phone.data or None, country=form.country.data or None, source=Source.web_form.value,
        owner_id=row.webform_owner_id, notes=form.message.data or None, tags=["web"]),
        actor_id=None, audit_action="lead.web_form")
    db.session.commit()
    return redirect(url_for("webform.thanks", embed=request.args.get("embed") or None), 303)


@webform_bp.route("/thanks")
def thanks():
    """What the visitor sees once the form is sent."""
    _settings_or_404()
    response = make_response(render_template("leads/webform_thanks.html",
                                             embedded=request.args.get("embed") == "1"))
    response.headers["Content-Security-Policy"] = EMBED_CSP
    return response
