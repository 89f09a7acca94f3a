"""How to make one of tenant acme's records for each URL argument a tenant route can take.

Each maker runs inside an app context with the `world` of tests/factories.py and returns an id that
belongs to acme. The sweep then asks for it as a member of rival and expects 404.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tenants.db import db, utcnow
from tenants.models import Membership
from tenants.resolve import MEMBER, route_access
from tenants.scoping import tenant_context
from web.team.models import Invitation

from .sweep_cases_feature import MAKERS as CASE_MAKERS
from .sweep_collateral import MAKERS as COLLATERAL_MAKERS
from .sweep_contracts import MAKERS as CONTRACT_MAKERS
from .sweep_distributors import MAKERS as DISTRIBUTOR_MAKERS
from .sweep_events import MAKERS as EVENT_MAKERS
from .sweep_leads import MAKERS as LEAD_MAKERS
from .sweep_nudges import MAKERS as NUDGE_MAKERS
from .sweep_traffic import MAKERS as TRAFFIC_MAKERS


def _invitation(world):
    invitation = Invitation(email="pending@acme.example", role="rep", locale="en",
                            expires_at=utcnow() + timedelta(days=3))
    db.session.add(invitation)
    db.session.commit()
    return invitation.id


def _member(world):
    return db.session.scalar(
        select(Membership.id).where(Membership.tenant_id == world.acme.id, Membership.user_id == world.rep.id)
    )


def _problem(world):
    """A lead of acme whose phone is dead (the hygiene queue)."""
    from web.hygiene.models import Problem
    from web.leads.models import Lead

    lead = Lead(company="Dead Phone Lead", company_key="dead phone lead", source="cold_research", status="new",
                phone="+39 02 0000 0000")
    db.session.add(lead)
    db.session.flush()
    problem = Problem(lead_id=lead.id, kind="phone_dead", address=lead.phone)
    db.session.add(problem)
    db.session.commit()
    return problem.id


def _away(world):
    """acme's rep away this week, covered by acme's coordinator."""
    from datetime import date

    from web.cover.models import Away

    away = Away(user_id=world.rep.id, cover_id=world.coordinator.id, starts_on=date.today(),
                ends_on=date.today() + timedelta(days=7))
    db.session.add(away)
    db.session.commit()
    return away.id


def _corporate_rate(world):
    from datetime import date
    from decimal import Decimal

    from web.rates.models import CorporateRate

    rate = CorporateRate(currency="VND", base_currency="EUR", day=date(2026, 1, 1), rate=Decimal("27450"))
    db.session.add(rate)
    db.session.commit()
    return rate.id


MAKERS = {
    **CONTRACT_MAKERS,
    **LEAD_MAKERS,
    **EVENT_MAKERS,
    **COLLATERAL_MAKERS,
    **DISTRIBUTOR_MAKERS,
    **CASE_MAKERS,
    **NUDGE_MAKERS,
    "rate_id": _corporate_rate,
    "invitation_id": _invitation,
    "member_id": _member,
    # A rep of acme: another tenant's member asking for acme's rep's numbers (reports) gets 404.
    "rep_id": lambda world: world.rep.id,
    "problem_id": _problem,
    "away_id": _away,
    **TRAFFIC_MAKERS,
}


def make_ids(world) -> dict:
    ids = {}
    with tenant_context(world.acme.id):
        for name, maker in MAKERS.items():
            ids[name] = maker(world)
    return ids


def is_public(app, rule) -> bool:
    """Public tenant pages (reached by a secret or a public form) are swept by their own tests."""
    return route_access(app, rule.endpoint) != MEMBER
