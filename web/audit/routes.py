"""Who did what and when, newest first, a page at a time."""
from __future__ import annotations

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tenants.audit import AuditEvent
from tenants.db import db
from tenants.resolve import ADMINS, TenantBlueprint, requires

from ..htmx import render
from .labels import audit_label

bp = TenantBlueprint("audit", __name__)
bp.add_app_template_filter(audit_label, "audit_label")
PAGE = 50


@bp.route("")
@requires(*ADMINS)
def index():
    """The audit trail with keyset pagination (newest first)."""
    before = request.args.get("before", type=int)
    stmt = select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(PAGE + 1)
    action = request.args.get("action") or None
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    events = list(db.session.scalars(stmt))
    more = len(events) > PAGE
    events = events[:PAGE]
    return render("audit/index.html", "audit/_events.html", events=events, action=action,
                  next_before=events[-1].id if more else None)
