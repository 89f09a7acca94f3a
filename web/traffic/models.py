"""Digital deliverables (a web banner, a sponsored link): where they point, when and where they run, the
tracked link Coordina gives them, the link checker's last word, and their clicks and impressions per day."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, utcnow
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..contracts.models import Contract
from ..deliverables.models import Deliverable


class Placement(TenantScoped, db.Model):
    """A deliverable that runs on the web: its landing URL, its run, its place, its tracked link."""

    __tablename__ = "traffic_placements"
    __table_args__ = tenant_args(
        tenant_fk("deliverable_id", "deliverables", ondelete="CASCADE"),
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "deliverable_id"),
        UniqueConstraint("tenant_id", "token"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),
        CheckConstraint("check_failures >= 0", name="failures"),
        Index("ix_traffic_placements_contract", "tenant_id", "contract_id"),
        # The link checker: live placements, least recently checked first.
        Index("ix_traffic_placements_check", "tenant_id", "ends_on", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int]
    # Copied from the deliverable so a contract's traffic needs no join through deliverables.
    contract_id: Mapped[int]
    landing_url: Mapped[str] = mapped_column(String(1000))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    placement: Mapped[str | None] = mapped_column(String(200))  # where it shows: "home page, top right"
    # The short link's secret part: /t/<tenant>/go/<token>, and the pixel /t/<tenant>/px/<token>.gif.
    token: Mapped[str] = mapped_column(String(16))
    # The link checker: when it last looked, how many failures in a row, what it last saw.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_failures: Mapped[int] = mapped_column(default=0)
    check_status: Mapped[int | None]
    check_error: Mapped[str | None] = mapped_column(String(300))
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    deliverable: Mapped[Deliverable] = relationship(
        lazy="raise", primaryjoin=tenant_join("Deliverable", "Placement", "deliverable_id"))
    contract: Mapped[Contract] = relationship(lazy="raise", primaryjoin=tenant_join("Contract", "Placement", "contract_id"))


class TrafficDay(TenantScoped, db.Model):
    """Clicks and impressions of one placement on one day (the tenant's calendar day), counted by upsert."""

    __tablename__ = "traffic_days"
    __table_args__ = tenant_args(
        tenant_fk("placement_id", "traffic_placements", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "placement_id", "day"),
        CheckConstraint("clicks >= 0 AND impressions >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int]
    day: Mapped[date] = mapped_column(Date)
    clicks: Mapped[int] = mapped_column(default=0)
    impressions: Mapped[int] = mapped_column(default=0)


class SiteVisit(TenantScoped, db.Model):
    """The company's own site figures, imported from a CSV (date, page, visits)."""

    __tablename__ = "traffic_site_visits"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id", "day", "page"),
        CheckConstraint("visits >= 0", name="visits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    page: Mapped[str] = mapped_column(String(500))
    visits: Mapped[int]


class TrafficReport(TenantScoped, db.Model):
    """A monthly traffic report mailed to a contract's client contact: once per contract and month."""

    __tablename__ = "traffic_reports"
    __table_args__ = tenant_args(
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "contract_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int]
    month: Mapped[str] = mapped_column(String(7))  # "2026-10"
    to_email: Mapped[str | None] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
