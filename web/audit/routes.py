"""Who did what and when, newest first, a page at a time."""
from __future__ import annotations

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tenants.audit import AuditEvent
from tenants.models import ADMINS
from tenants.pager import Keyset
from tenants.resolve import TenantBlueprint, requires

from ..features import registry
from ..htmx import render

bp = TenantBlueprint("audit", __name__)
NEWEST_FIRST = Keyset(AuditEvent.id.desc())


def audit_label(action: str) -> str:
    """An audit action as people read it (each feature names its own)."""
    label = registry().audit_labels.get(action)
    return str(label) if label is not None else action


@bp.route("")
@requires(*ADMINS)
def index():
    """The audit trail, newest first, a keyset page at a time."""
    stmt = select(AuditEvent).options(selectinload(AuditEvent.actor))
    action = request.args.get("action") or None
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    page = NEWEST_FIRST.page(stmt, request.args.get("after"), limit=50)
    return render("audit/index.html", "audit/_events.html", events=page.rows, page=page, action=action)
