"""Demo targets: four quarters for the reps and the team, one of them behind (and its forecast, kept as it began,\nabove what came in); Marco supported by Giulia."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tenants.db import db
from tenants.members import members_with_roles
from tenants.models import SELLERS, Tenant, User

from . import service
from .models import ForecastSnapshot, Target


def _quarters(today: date, count: int) -> list[str]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    keys = []
    for _ in range(count):
        keys.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return keys


def seed(tenant: Tenant) -> None:
    """Targets near what was signed in each of the last four quarters, last quarter's well above it; once."""
    if tenant.slug != "demo" or db.session.scalar(select(func.count()).select_from(Target)):
        return
    people = {m.user.email: m.user for m in members_with_roles(tenant.id, SELLERS)}
    marco = people.get("marco@demo.example.com")
    giulia = db.session.scalar(select(User).where(User.email == "giulia@demo.example.com"))
    if marco is not None and giulia is not None:
        service.set_support(marco.id, giulia.id, actor_id=None)
    reps = sorted(people.values(), key=lambda u: u.id)
    today = date.today()
    for i, key in enumerate(_quarters(today, 4)):
        period = service.parse_period(key, today)
        report = service.team_report(period, reps, tenant.base_currency, today)
        behind = i == 1  # last quarter: the one the manager asks about
        if behind:  # what was forecast as that quarter began: more than came in, as the target was
            for line in report.lines:
                signed = line.signed_total.amount if line.signed_total else Decimal(0)
                db.session.add(ForecastSnapshot(quarter=key, rep_id=line.rep.id, currency=tenant.base_currency,
                                                amount=(signed * Decimal("1.25")).quantize(Decimal(1))))
            db.session.commit()
        for line in [report.team, *report.lines]:
            signed = line.signed_total.amount if line.signed_total else Decimal(0)
            goal = signed * Decimal("1.4") + 20000 if behind else max(signed * Decimal("0.9"), Decimal(5000))
            service.set_target(tenant, rep_id=line.rep.id if line.rep else None, period=key,
                               signed=goal.quantize(Decimal(1000)), renewals_kept=line.renewals_won + (2 if behind else 0),
                               new_accounts=line.new_accounts + (1 if behind else 0), actor_id=None)
