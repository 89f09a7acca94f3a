"""Leads and what travels with them: tags, hand-offs to reps, and the tenant's lead settings."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, Money, ScaledDecimal
from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..accounts.models import Account
from ..contracts.models import Contract


class Status(str, enum.Enum):
    new = "new"
    researching = "researching"
    qualified = "qualified"
    handed_off = "handed_off"
    converted = "converted"
    disqualified = "disqualified"


STATUSES = tuple(s.value for s in Status)


# Statuses a lead reaches by a plain move; hand-off and conversion have their own steps.
OPEN_STATUSES = (Status.new.value, Status.researching.value, Status.qualified.value)


class Source(str, enum.Enum):
    web_form = "web_form"
    event = "event"
    distributor = "distributor"
    referral = "referral"
    cold_research = "cold_research"
    import_ = "import"


SOURCES = tuple(s.value for s in Source)


STATUS_LABELS = {
    "new": _l("New"),
    "researching": _l("Researching"),
    "qualified": _l("Qualified"),
    "handed_off": _l("Handed off"),
    "converted": _l("Converted"),
    "disqualified": _l("Disqualified"),
}
# The badge colour of each status (classes of app.css).
STATUS_TONES = {
    "new": "", "researching": "info", "qualified": "ok", "handed_off": "warn", "converted": "ok", "disqualified": "danger",
}
SOURCE_LABELS = {
    "web_form": _l("Web form"),
    "event": _l("Event"),
    "distributor": _l("Distributor"),
    "referral": _l("Referral"),
    "cold_research": _l("Cold research"),
    "import": _l("Import"),
}
HANDOFF_LABELS = {
    "pending": _l("Waiting for the rep"),
    "accepted": _l("Accepted"),
    "returned": _l("Returned"),
}


class Lead(TenantScoped, db.Model):
    __tablename__ = "leads"
    __table_args__ = tenant_args(
        tenant_fk("account_id", "accounts"),
        tenant_fk("contract_id", "contracts"),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint(one_of("source", SOURCES), name="source"),
        Index("ix_leads_status", "tenant_id", "status", "id"),
        # The pipeline's sum per currency, read from the index alone (no lead row is read).
        Index("ix_leads_pipeline", "tenant_id", "status", "value_currency", "value_amount"),
        Index("ix_leads_owner", "tenant_id", "owner_id", "id"),
        Index("ix_leads_handed_to", "tenant_id", "handed_to_id", "id"),
        Index("ix_leads_company_key", "tenant_id", "company_key"),
        Index("ix_leads_domain", "tenant_id", "domain"),
        Index("ix_leads_phone_key", "tenant_id", "phone_key"),
        Index("ix_leads_contract", "tenant_id", "contract_id"),
        # The reports' conversions in a period (migration 0024); partial: most leads never convert.
        Index("ix_leads_converted", "tenant_id", "converted_at", sqlite_where=text("converted_at IS NOT NULL"),
              postgresql_where=text("converted_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str | None] = mapped_column(String(200))
    # What duplicate checks compare: accents and legal forms stripped, the email's (or site's) domain,
    # the phone's last nine digits.
    company_key: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(160))
    contact_title: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_key: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20), default=Source.cold_research.value)
    value_amount: Mapped[Decimal | None] = mapped_column(Amount())
    value_currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default=Status.new.value)
    disqualify_reason: Mapped[str | None] = mapped_column(String(300))
    score: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The coordinator who teed the lead up for a rep: credited with the bonus when it turns into a customer.
    teed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handed_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    account_id: Mapped[int | None]
    contract_id: Mapped[int | None]
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    converted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    owner: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[owner_id])
    teed_up_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[teed_up_by_id])
    handed_to: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[handed_to_id])
    account: Mapped[Account | None] = relationship(lazy="raise", primaryjoin=tenant_join("Account", "Lead", "account_id"))
    contract: Mapped[Contract | None] = relationship(lazy="raise", primaryjoin=tenant_join("Contract", "Lead", "contract_id"))
    tags: Mapped[list[LeadTag]] = relationship(
        lazy="raise", order_by="LeadTag.name", primaryjoin=tenant_join("Lead", "LeadTag", "lead_id"),
        cascade="all, delete-orphan", back_populates="lead",
    )

    @property
    def title(self) -> str:
        """What the lead is called where there is room for one name."""
        return self.company or self.contact_name or self.email or self.phone or f"#{self.id}"

    @property
    def value(self) -> Money | None:
        if self.value_amount is None or not self.value_currency:
            return None
        return Money(self.value_amount, self.value_currency)

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]


class LeadTag(TenantScoped, db.Model):
    __tablename__ = "lead_tags"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "lead_id", "name"),
        Index("ix_lead_tags_name", "tenant_id", "name", "lead_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(40))

    lead: Mapped[Lead] = relationship(lazy="raise", back_populates="tags", primaryjoin=tenant_join("Lead", "LeadTag", "lead_id"))


class BonusRule(str, enum.Enum):
    none = "none"
    fixed = "fixed"
    percent = "percent"


class LeadSettings(TenantScoped, db.Model):
    __tablename__ = "lead_settings"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id"),
        CheckConstraint(one_of("bonus_rule", tuple(r.value for r in BonusRule)), name="bonus_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A score at or above this suggests marking the lead qualified (None: no suggestion).
    qualify_threshold: Mapped[int | None]
    bonus_rule: Mapped[str] = mapped_column(String(10), default=BonusRule.none.value)
    bonus_amount: Mapped[Decimal | None] = mapped_column(Amount())
    bonus_currency: Mapped[str | None] = mapped_column(String(3))
    bonus_percent: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    # When the rule took effect: catching up on missed signings never reaches back before it.
    bonus_rule_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    webform_enabled: Mapped[bool] = mapped_column(default=False)
    webform_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class HandoffStatus(str, enum.Enum):
    pending = "pending"
    accepted = "accepted"
    returned = "returned"


class Handoff(TenantScoped, db.Model):
    """A coordinator hands a qualified lead to a rep with a note; the rep accepts or returns it with a reason."""

    __tablename__ = "lead_handoffs"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        CheckConstraint(one_of("status", tuple(s.value for s in HandoffStatus)), name="status"),
        Index("ix_lead_handoffs_lead", "tenant_id", "lead_id", "id"),
        Index("ix_lead_handoffs_to", "tenant_id", "to_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int]
    from_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text)
    # The score when handed off, so the rep sees what the coordinator saw.
    score: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default=HandoffStatus.pending.value)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lead: Mapped[Lead] = relationship(lazy="raise", primaryjoin=tenant_join("Lead", "Handoff", "lead_id"))
    from_user: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[from_id])
    to_user: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[to_id])


class LeadRollup(TenantScoped, db.Model):
    """How many leads, and their estimated value, per owner, person handed to, status and currency.

    Kept by database triggers on leads (migration 0018), so every write counts, ORM or not: the lists' count, the
    board's columns and the pipeline read a few of these rows instead of every lead, the same at 100 or 100,000.
    Keys are 0 (nobody) and '' (no currency) rather than NULL so that each group has exactly one row.
    """

    __tablename__ = "lead_rollups"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "owner_key", "handed_key", "status", "currency",
                                                    name="uq_lead_rollups_group"),
                                 # Every sum reads this index alone, for one tenant.
                                 Index("ix_lead_rollups_sums", "tenant_id", "status", "currency", "owner_key",
                                       "handed_key", "leads", "amount"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_key: Mapped[int]
    handed_key: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    leads: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Amount())


class LeadCoordinatorRollup(TenantScoped, db.Model):
    """How many leads each coordinator brought, per status: the one who teed the lead up, else its owner (0: nobody).

    Kept by database triggers on leads (migration 0025): the compiled report's leads per coordinator reads these
    rows instead of every lead of the workspace.
    """

    __tablename__ = "lead_coordinator_rollups"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id", "coordinator_key", "status",
                                                  name="uq_lead_coordinator_rollups_group"))

    id: Mapped[int] = mapped_column(primary_key=True)
    coordinator_key: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    leads: Mapped[int]


class LeadName(NamedTuple):
    """The columns a lead's name is made of, named as the model names them so Lead.title reads them: a panel that
    names a lead reads these five columns (LEAD_NAME), not the lead (issue 15)."""

    id: int
    company: str | None
    contact_name: str | None
    email: str | None
    phone: str | None

    title = Lead.title


LEAD_NAME = (Lead.id, Lead.company, Lead.contact_name, Lead.email, Lead.phone)
