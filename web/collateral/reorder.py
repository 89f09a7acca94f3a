"""`coordina tick`: warn the coordinators once when an item below its reorder level must be ordered soon.

A warning is keyed on the item and the order-by day it named: the next tick finds it and stays quiet; a show that
moves makes a new order-by day, warned once in its turn. Two machines ticking at once cannot both warn (the key is
unique and claimed before the mail is queued, in the same transaction).
"""
from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from tenants import audit
from tenants.db import db
from tenants.members import members_with_roles
from tenants.models import Role, Tenant
from tenants.scoping import tenant_context

from ..links import public_url_for
from ..mail import send_email
from . import service

WARNED = (Role.coordinator, Role.manager)


def warn(tenant: Tenant, today: date) -> int:
    sent = 0
    people = None
    for item, order_by in service.to_reorder(today, limit=200):
        if not service.claim_warning(item, order_by):
            continue
        if people is None:
            people = [m.user for m in members_with_roles(tenant.id, WARNED)]
        link = public_url_for("collateral.show", tenant=tenant.slug, collateral_id=item.id)
        for person in people:
            send_email(person.email, "collateral_reorder", person.locale or tenant.default_locale, person=person,
                       item=item, order_by=order_by, tenant=tenant, link=link)
        audit.record("collateral.reorder_warned", actor_id=None, subject_type="collateral", subject_id=item.id,
                     details={"order_by": order_by.isoformat(), "on_hand": item.on_hand})
        sent += 1
        db.session.commit()
    return sent


def run(app: Flask, today: date | None = None) -> dict:
    """For each tenant in turn, inside its own tenant context."""
    today = today or date.today()
    warned = 0
    for tenant_id in list(db.session.scalars(select(Tenant.id).order_by(Tenant.id))):
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_context(tenant.id):
            warned += warn(tenant, today)
            db.session.commit()
        db.session.expunge_all()
    return {"reorder_warnings": warned}
