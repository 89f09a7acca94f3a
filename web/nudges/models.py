"""Use-what-you-bought nudges: rules (a trigger on a deliverable kind or a contract, and an action), their text
per language, and each nudge a rule made for one deliverable or contract: held, then sent or skipped."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..accounts.models import Contact
from ..activities.models import Activity
from ..contracts.models import Contract
from ..deliverables.models import Deliverable, DeliverableKind

TRIGGERS = ("not_live", "not_claimed", "contract_age")
ACTIONS = ("email", "task")
STATUSES = ("scheduled", "sent", "skipped")
# Triggers that look at one deliverable; the other looks at the contract itself.
DELIVERABLE_TRIGGERS = ("not_live", "not_claimed")

TRIGGER_LABELS = {
    "not_live": _l("Not live N days after its start"),
    "not_claimed": _l("Not claimed N days before its date"),
    "contract_age": _l("Contract N days old"),
}
ACTION_LABELS = {"email": _l("Reminder email to the client contact"), "task": _l("Check-in task for the coordinator")}
STATUS_LABELS = {"scheduled": _l("Scheduled"), "sent": _l("Sent"), "skipped": _l("Skipped")}


class NudgeRule(TenantScoped, db.Model):
    """When to nudge (a trigger and its N days, on a deliverable kind or one contract) and how (an action)."""

    __tablename__ = "nudge_rules"
    __table_args__ = tenant_args(
        tenant_fk("kind_id", "deliverable_kinds", ondelete="CASCADE"),
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        CheckConstraint(one_of("trigger", TRIGGERS), name="trigger"),
        CheckConstraint(one_of("action", ACTIONS), name="action"),
        CheckConstraint("days >= 0 AND hold_hours >= 0", name="numbers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    trigger: Mapped[str] = mapped_column(String(12))
    days: Mapped[int]
    # What it applies to: a deliverable kind, or one contract (or, for the contract's age, every contract).
    kind_id: Mapped[int | None]
    contract_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(8))
    # Hours the coordinator has to look at a nudge (edit, skip) before the tick sends it.
    hold_hours: Mapped[int] = mapped_column(default=24)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    kind: Mapped[DeliverableKind | None] = relationship(
        lazy="raise", primaryjoin=tenant_join("DeliverableKind", "NudgeRule", "kind_id"))
    contract: Mapped[Contract | None] = relationship(
        lazy="raise", primaryjoin=tenant_join("Contract", "NudgeRule", "contract_id"))


class NudgeTemplate(TenantScoped, db.Model):
    """A rule's subject and body in one language, with {placeholders}."""

    __tablename__ = "nudge_templates"
    __table_args__ = tenant_args(
        tenant_fk("rule_id", "nudge_rules", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "rule_id", "locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int]
    locale: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class Nudge(TenantScoped, db.Model):
    """What one rule made for one deliverable or contract: once, whatever the ticks (the unique target)."""

    __tablename__ = "nudges"
    __table_args__ = tenant_args(
        tenant_fk("rule_id", "nudge_rules", ondelete="CASCADE"),
        tenant_fk("contract_id", "contracts", ondelete="CASCADE"),
        tenant_fk("deliverable_id", "deliverables", ondelete="CASCADE"),
        tenant_fk("contact_id", "contacts", ondelete="SET NULL"),
        tenant_fk("activity_id", "activities", ondelete="SET NULL"),
        # "deliverable:<id>" or "contract:<id>": one column, so the key holds where a NULL would not.
        UniqueConstraint("tenant_id", "rule_id", "target"),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        Index("ix_nudges_status_due", "tenant_id", "status", "due_at", "id"),
        Index("ix_nudges_contract", "tenant_id", "contract_id", "id"),
        Index("ix_nudges_sent", "tenant_id", "status", "sent_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int]
    target: Mapped[str] = mapped_column(String(40))
    contract_id: Mapped[int]
    deliverable_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the hold ends and the tick sends it
    # This nudge's own text, once someone edited it (else the rule's template in the recipient's language).
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    contact_id: Mapped[int | None]
    to_email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str | None] = mapped_column(String(10))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    activity_id: Mapped[int | None]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    skipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    skipped_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    skip_reason: Mapped[str | None] = mapped_column(String(300))
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounce_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    rule: Mapped[NudgeRule] = relationship(lazy="raise", primaryjoin=tenant_join("NudgeRule", "Nudge", "rule_id"))
    contract: Mapped[Contract] = relationship(lazy="raise", primaryjoin=tenant_join("Contract", "Nudge", "contract_id"))
    deliverable: Mapped[Deliverable | None] = relationship(
        lazy="raise", primaryjoin=tenant_join("Deliverable", "Nudge", "deliverable_id"))
    contact: Mapped[Contact | None] = relationship(lazy="raise", primaryjoin=tenant_join("Contact", "Nudge", "contact_id"))
    activity: Mapped[Activity | None] = relationship(
        lazy="raise", primaryjoin=tenant_join("Activity", "Nudge", "activity_id"))
    assignee: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[assignee_id])
    sent_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[sent_by_id])
    skipped_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[skipped_by_id])
