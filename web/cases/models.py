"""Cases: a client's complaint, question or problem, who answers it, by when (SLA in business hours), and
its threaded log of notes and emails."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..accounts.models import Account, Contact
from ..contracts.models import Contract
from ..deliverables.models import Deliverable


class CaseStatus(str, enum.Enum):
    new = "new"
    open = "open"
    waiting = "waiting"  # waiting on the client: the SLA clock stops
    solved = "solved"
    closed = "closed"


class Priority(str, enum.Enum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


CHANNELS = ("phone", "email", "web_form", "meeting", "link_check", "other")
ENTRY_KINDS = ("note", "email", "status", "system")
OPEN_STATUSES = (CaseStatus.new.value, CaseStatus.open.value, CaseStatus.waiting.value)

# i18n: a case's status and priority ("caso" in Italian: masculine; "priorità": feminine)
STATUS_LABELS = {
    "new": _lp("case", "New"),
    "open": _lp("case", "Open"),
    "waiting": _lp("case", "Waiting on client"),
    "solved": _lp("case", "Solved"),
    "closed": _lp("case", "Closed"),
}
PRIORITY_LABELS = {"low": _lp("case", "Low"), "normal": _lp("case", "Normal"), "high": _lp("case", "High"),
                   "urgent": _lp("case", "Urgent")}
CHANNEL_LABELS = {
    "phone": _l("Phone"),
    "email": _l("Email"),
    "web_form": _l("Web form"),
    "meeting": _l("Meeting"),
    "link_check": _l("Link check"),
    "other": _l("Other"),
}


class Case(TenantScoped, db.Model):
    """A client's complaint, question or problem, and where it stands."""

    __tablename__ = "cases"
    __table_args__ = tenant_args(
        tenant_fk("account_id", "accounts", ondelete="CASCADE"),
        tenant_fk("contact_id", "contacts", ondelete="SET NULL"),
        tenant_fk("contract_id", "contracts", ondelete="SET NULL"),
        tenant_fk("deliverable_id", "deliverables", ondelete="SET NULL"),
        CheckConstraint(one_of("status", tuple(s.value for s in CaseStatus)), name="status"),
        CheckConstraint(one_of("priority", tuple(p.value for p in Priority)), name="priority"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        # The list: newest first per status; the home page: an assignee's open cases by breach.
        Index("ix_cases_status", "tenant_id", "status", "id"),
        Index("ix_cases_assignee_due", "tenant_id", "assignee_id", "status", "resolution_due_at"),
        Index("ix_cases_account", "tenant_id", "account_id", "id"),
        Index("ix_cases_deliverable", "tenant_id", "deliverable_id", "status"),
        Index("ix_cases_contract", "tenant_id", "contract_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # A case from the web form may not match an account yet.
    account_id: Mapped[int | None]
    contact_id: Mapped[int | None]
    contract_id: Mapped[int | None]
    deliverable_id: Mapped[int | None]
    channel: Mapped[str] = mapped_column(String(12), default="phone")
    priority: Mapped[str] = mapped_column(String(8), default=Priority.normal.value)
    status: Mapped[str] = mapped_column(String(8), default=CaseStatus.new.value)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who wrote in, when no contact of an account is known (the web form).
    requester_name: Mapped[str | None] = mapped_column(String(120))
    requester_email: Mapped[str | None] = mapped_column(String(254))
    requester_locale: Mapped[str | None] = mapped_column(String(10))
    # SLA: deadlines in UTC computed over the tenant's business hours; a wait on the client moves them on.
    first_answer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    account: Mapped[Account | None] = relationship(lazy="raise", primaryjoin=tenant_join("Account", "Case", "account_id"))
    contact: Mapped[Contact | None] = relationship(lazy="raise", primaryjoin=tenant_join("Contact", "Case", "contact_id"))
    contract: Mapped[Contract | None] = relationship(lazy="raise",
                                                    primaryjoin=tenant_join("Contract", "Case", "contract_id"))
    deliverable: Mapped[Deliverable | None] = relationship(
        lazy="raise", primaryjoin=tenant_join("Deliverable", "Case", "deliverable_id"))
    assignee: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[assignee_id])
    opened_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[opened_by_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEntry(TenantScoped, db.Model):
    """One line of a case's thread: a note, an email to the client, a status change or what the system did."""

    __tablename__ = "case_entries"
    __table_args__ = tenant_args(
        tenant_fk("case_id", "cases", ondelete="CASCADE"),
        CheckConstraint(one_of("kind", ENTRY_KINDS), name="kind"),
        Index("ix_case_entries_case", "tenant_id", "case_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    # An email: to whom and in which language it went; details of a status change or a system line (JSON text).
    to_email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str | None] = mapped_column(String(10))
    details: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(lazy="raise", primaryjoin=tenant_join("Case", "CaseEntry", "case_id"))
    author: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[author_id])


class CaseSla(TenantScoped, db.Model):
    """Per priority: business minutes to the first answer and to the resolution."""

    __tablename__ = "case_slas"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id", "priority"),
        CheckConstraint(one_of("priority", tuple(p.value for p in Priority)), name="priority"),
        CheckConstraint("first_answer_minutes > 0 AND resolution_minutes >= first_answer_minutes", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    priority: Mapped[str] = mapped_column(String(8))
    first_answer_minutes: Mapped[int]
    resolution_minutes: Mapped[int]


class CaseSettings(TenantScoped, db.Model):
    """The tenant's business hours (in its timezone) and its public case form."""

    __tablename__ = "case_settings"
    __table_args__ = tenant_args(UniqueConstraint("tenant_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # ISO weekdays worked, e.g. "12345"; the working day from..to in minutes after midnight.
    workdays: Mapped[str] = mapped_column(String(7), default="12345")
    day_starts: Mapped[int] = mapped_column(default=9 * 60)
    day_ends: Mapped[int] = mapped_column(default=18 * 60)
    webform_enabled: Mapped[bool] = mapped_column(default=False)
    # Who gets web-form cases with no account's coordinator to go to.
    webform_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
