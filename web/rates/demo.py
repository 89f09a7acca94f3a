"""Demo data for exchange rates: corporate rates for currencies the ECB does not publish."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tenants.db import db
from tenants.models import Tenant

from .models import CorporateRate

# 1 EUR in each currency, as a finance team would set them for the year.
DEMO_RATES = {
    "EUR": [("VND", date(2025, 1, 1), "26800"), ("VND", date(2026, 1, 1), "27450"), ("VND", date(2026, 7, 1), "28900"),
            ("AED", date(2026, 1, 1), "4.05"), ("SAR", date(2026, 1, 1), "4.14")],
    "USD": [("VND", date(2026, 1, 1), "25400")],
}


def seed(tenant: Tenant) -> None:
    """Corporate rates for the tenant's base currency, once."""
    if db.session.scalar(select(func.count()).select_from(CorporateRate)):
        return
    for currency, day, rate in DEMO_RATES.get(tenant.base_currency, []):
        db.session.add(CorporateRate(currency=currency, base_currency=tenant.base_currency, day=day,
                                     rate=Decimal(rate), note="Finance plan"))
