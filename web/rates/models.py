"""Exchange rates kept in the database: the ECB reference history (shared) and each tenant's own."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Rate
from tenants.db import UTCDateTime, db, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args


class EcbRate(db.Model):
    """Units of `currency` per 1 EUR on `day`, as the European Central Bank published it."""

    __tablename__ = "ecb_rates"
    __shared__ = "public reference data, the same for every tenant"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Rate())


class EcbLoad(db.Model):
    """One load of an ECB file; the newest id tells every process its cached rates are stale."""

    __tablename__ = "ecb_loads"
    __shared__ = "bookkeeping of the shared ECB table"

    id: Mapped[int] = mapped_column(primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    origin: Mapped[str] = mapped_column(String(500))
    added: Mapped[int]
    latest_day: Mapped[date | None] = mapped_column(Date)


class CorporateRate(TenantScoped, db.Model):
    """The tenant's own rate: units of `currency` per 1 unit of the tenant's base currency from `day` on."""

    __tablename__ = "corporate_rates"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id", "currency", "day"),
        Index("ix_corporate_rates_day", "tenant_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    base_currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(Rate())
    note: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="raise")
