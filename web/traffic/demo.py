"""Demo traffic: a live web banner with two months of clicks and impressions, a banner whose landing page is broken
(two failed checks and the case they opened), and last month's site visits."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from tenants.db import db, utcnow
from tenants.models import Tenant

from ..deliverables.models import Deliverable, DeliverableKind
from . import checker, service
from .models import Placement, SiteVisit, TrafficDay

# Fails at once and offline: nothing listens on the discard port of this machine.
BROKEN_URL = "http://127.0.0.1:9/spring-offer"


def seed(tenant: Tenant) -> None:
    """Once, on the demo tenant's first two web banners."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Placement)):
        return
    banners = list(db.session.scalars(
        select(Deliverable).join(DeliverableKind, DeliverableKind.id == Deliverable.kind_id)
        .where(DeliverableKind.key == "web_banner").order_by(Deliverable.contract_id, Deliverable.id)))
    by_contract = {}
    for banner in banners:
        by_contract.setdefault(banner.contract_id, banner)
    picked = list(by_contract.values())[:2]
    if not picked:
        return
    now = utcnow()
    today = service.tenant_today(tenant.timezone, now)
    live = service.save_placement(picked[0], landing_url="https://www.harbor-lane.example/spring",
                                  starts_on=today - timedelta(days=62), ends_on=today + timedelta(days=60),
                                  where="Home page, top right", actor_id=None)
    # Checked a moment ago (it is a made-up address): the checker looks again in an hour.
    live.checked_at = live.last_ok_at = now
    live.check_status = 200
    rows = []
    for n in range(62):
        day = today - timedelta(days=61 - n)
        impressions = 900 + (n * 37) % 400 + (250 if day.weekday() < 5 else 0)
        rows.append(dict(tenant_id=tenant.id, placement_id=live.id, day=day, impressions=impressions,
                         clicks=impressions // 60 + (n * 7) % 9))
    db.session.execute(insert(TrafficDay), rows)
    if len(picked) > 1:
        broken = service.save_placement(picked[1], landing_url=BROKEN_URL, starts_on=today - timedelta(days=20),
                                        ends_on=today + timedelta(days=40), where="Newsletter, footer",
                                        actor_id=None)
        result = checker.Probe(False, None, "[Errno 111] Connection refused")
        broken.check_failures = 1
        checker.record_check(tenant, broken, result, now)  # the second failure in a row: the case opens
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    day, visits = first, []
    while day < today.replace(day=1):
        base = 1200 + (day.toordinal() * 53) % 500
        visits.append(dict(tenant_id=tenant.id, day=day, page="/", visits=base))
        visits.append(dict(tenant_id=tenant.id, day=day, page="/trade-fair", visits=base // 4))
        day += timedelta(days=1)
    db.session.execute(insert(SiteVisit), visits)
    db.session.commit()
