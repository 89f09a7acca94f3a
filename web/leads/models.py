"""Leads and everything that travels with them: answers, hand-offs, activities, bonuses and imports."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import Amount, DecimalText, Money, ScaledDecimal
from tenants.db import UTCDateTime, db, utcnow
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


def _in(column: str, values) -> str:
    return f"{column} IN (" + ",".join(f"'{v}'" for v in values) + ")"


class Lead(TenantScoped, db.Model):
    __tablename__ = "leads"
    __table_args__ = tenant_args(
        tenant_fk("account_id", "accounts"),
        tenant_fk("contract_id", "contracts"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        Index("ix_leads_status", "tenant_id", "status", "id"),
        Index("ix_leads_owner", "tenant_id", "owner_id", "id"),
        Index("ix_leads_handed_to", "tenant_id", "handed_to_id", "id"),
        Index("ix_leads_company_key", "tenant_id", "company_key"),
        Index("ix_leads_domain", "tenant_id", "domain"),
        Index("ix_leads_phone_key", "tenant_id", "phone_key"),
        Index("ix_leads_contract", "tenant_id", "contract_id"),
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


# --- the questionnaire ------------------------------------------------------------------------------


class Kind(str, enum.Enum):
    text = "text"
    yes_no = "yes_no"
    choice = "choice"
    number = "number"


KINDS = tuple(k.value for k in Kind)


class Question(TenantScoped, db.Model):
    """One qualifying question, worded by the tenant's admins in each shipped language, with its points."""

    __tablename__ = "lead_questions"
    __table_args__ = tenant_args(
        CheckConstraint(_in("kind", KINDS), name="kind"),
        Index("ix_lead_questions_position", "tenant_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {locale: wording}
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # Scoring rules: points for yes / no, for a number at or above a threshold, for any text answer.
    points_yes: Mapped[int] = mapped_column(default=0)
    points_no: Mapped[int] = mapped_column(default=0)
    threshold: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    points_threshold: Mapped[int] = mapped_column(default=0)
    points_answered: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    options: Mapped[list[QuestionOption]] = relationship(
        lazy="raise", order_by="QuestionOption.position, QuestionOption.id",
        primaryjoin=tenant_join("Question", "QuestionOption", "question_id"), back_populates="question",
    )

    def text(self, locale: str) -> str:
        """The wording in the reader's language, else English, else whatever there is."""
        return _localised(self.texts, locale)


def _localised(texts: dict[str, str] | None, locale: str) -> str:
    texts = texts or {}
    return texts.get(locale) or texts.get(locale.split("_")[0]) or texts.get("en") or next(iter(texts.values()), "")


class QuestionOption(TenantScoped, db.Model):
    __tablename__ = "lead_question_options"
    __table_args__ = tenant_args(
        tenant_fk("question_id", "lead_questions", ondelete="CASCADE"),
        Index("ix_lead_question_options_question", "tenant_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int]
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    points: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    question: Mapped[Question] = relationship(lazy="raise", back_populates="options",
                                              primaryjoin=tenant_join("Question", "QuestionOption", "question_id"))

    def label(self, locale: str) -> str:
        return _localised(self.labels, locale)


class Answer(TenantScoped, db.Model):
    __tablename__ = "lead_answers"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        tenant_fk("question_id", "lead_questions", ondelete="CASCADE"),
        tenant_fk("option_id", "lead_question_options"),
        UniqueConstraint("tenant_id", "lead_id", "question_id"),
        Index("ix_lead_answers_question", "tenant_id", "question_id"),
        Index("ix_lead_answers_option", "tenant_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int]
    question_id: Mapped[int]
    option_id: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(String(1000))
    yes: Mapped[bool | None]
    number: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(lazy="raise", primaryjoin=tenant_join("Question", "Answer", "question_id"))
    option: Mapped[QuestionOption | None] = relationship(
        lazy="raise", primaryjoin=tenant_join("QuestionOption", "Answer", "option_id"))
    answered_by: Mapped[User | None] = relationship(lazy="raise")


# --- settings: scoring threshold, the bonus rule, the web form ---------------------------------------


class BonusRule(str, enum.Enum):
    none = "none"
    fixed = "fixed"
    percent = "percent"


class LeadSettings(TenantScoped, db.Model):
    __tablename__ = "lead_settings"
    __table_args__ = tenant_args(
        UniqueConstraint("tenant_id"),
        CheckConstraint(_in("bonus_rule", tuple(r.value for r in BonusRule)), name="bonus_rule"),
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


# --- hand-offs and bonuses ------------------------------------------------------------------------


class HandoffStatus(str, enum.Enum):
    pending = "pending"
    accepted = "accepted"
    returned = "returned"


class Handoff(TenantScoped, db.Model):
    """A coordinator hands a qualified lead to a rep with a note; the rep accepts or returns it with a reason."""

    __tablename__ = "lead_handoffs"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        CheckConstraint(_in("status", tuple(s.value for s in HandoffStatus)), name="status"),
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


class BonusEntry(TenantScoped, db.Model):
    """A coordinator's bonus for a teed-up lead whose first contract was signed: one per lead, ever."""

    __tablename__ = "lead_bonuses"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads"),
        tenant_fk("contract_id", "contracts"),
        UniqueConstraint("tenant_id", "lead_id"),
        UniqueConstraint("tenant_id", "contract_id"),
        CheckConstraint(_in("rule", ("fixed", "percent")), name="rule"),
        Index("ix_lead_bonuses_coordinator", "tenant_id", "coordinator_id", "earned_on"),
        Index("ix_lead_bonuses_earned", "tenant_id", "earned_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int]
    contract_id: Mapped[int]
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The bonus in the tenant's base currency at the time it was earned.
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    rule: Mapped[str] = mapped_column(String(10))
    percent: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    # What it was computed from: the contract's value and the rate that took it into the base currency.
    contract_amount: Mapped[Decimal] = mapped_column(Amount())
    contract_currency: Mapped[str] = mapped_column(String(3))
    fx_rate: Mapped[Decimal | None] = mapped_column(DecimalText())
    fx_rate_date: Mapped[date | None] = mapped_column(Date)
    fx_source: Mapped[str | None] = mapped_column(String(40))
    earned_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Lead] = relationship(lazy="raise", primaryjoin=tenant_join("Lead", "BonusEntry", "lead_id"))
    contract: Mapped[Contract] = relationship(lazy="raise", primaryjoin=tenant_join("Contract", "BonusEntry", "contract_id"))
    coordinator: Mapped[User | None] = relationship(lazy="raise")

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def contract_value(self) -> Money:
        return Money(self.contract_amount, self.contract_currency)


# --- activities (on leads and on accounts) ------------------------------------------------------------


class ActivityKind(str, enum.Enum):
    call = "call"
    email = "email"
    meeting = "meeting"
    note = "note"


class Activity(TenantScoped, db.Model):
    """A call, email, meeting or note on a lead or an account; with a due date it is a follow-up to do."""

    __tablename__ = "activities"
    __table_args__ = tenant_args(
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        tenant_fk("account_id", "accounts", ondelete="CASCADE"),
        CheckConstraint("lead_id IS NOT NULL OR account_id IS NOT NULL", name="subject"),
        CheckConstraint(_in("kind", tuple(k.value for k in ActivityKind)), name="kind"),
        Index("ix_activities_lead", "tenant_id", "lead_id", "id"),
        Index("ix_activities_account", "tenant_id", "account_id", "id"),
        Index("ix_activities_due", "tenant_id", "assignee_id", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int | None]
    account_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Lead | None] = relationship(lazy="raise", primaryjoin=tenant_join("Lead", "Activity", "lead_id"))
    account: Mapped[Account | None] = relationship(lazy="raise", primaryjoin=tenant_join("Account", "Activity", "account_id"))
    assignee: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[created_by_id])

    @property
    def is_open(self) -> bool:
        return self.due_on is not None and self.done_at is None


# --- CSV imports ------------------------------------------------------------------------------------


class ImportStatus(str, enum.Enum):
    mapping = "mapping"  # the columns need a person's eye
    ready = "ready"  # mapped; the preview waits for a start
    running = "running"
    done = "done"


class ImportJob(TenantScoped, db.Model):
    """An uploaded CSV of leads, worked through a chunk per request so no background worker is needed.

    `processed` is the claim: a request takes rows [processed, processed + chunk) by moving it
    forward with a conditional UPDATE, so two browsers or two servers never import the same rows.
    """

    __tablename__ = "lead_imports"
    __table_args__ = tenant_args(
        CheckConstraint(_in("status", tuple(s.value for s in ImportStatus)), name="status"),
        Index("ix_lead_imports_created", "tenant_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    raw: Mapped[str] = mapped_column(Text)  # the decoded file: every server can read it
    encoding: Mapped[str] = mapped_column(String(20))
    delimiter: Mapped[str] = mapped_column(String(2))
    header_line: Mapped[int] = mapped_column(default=0)  # index of the header among the parsed rows
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    format: Mapped[str | None] = mapped_column(String(30))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> [column index, ...]
    date_order: Mapped[str] = mapped_column(String(3), default="dmy")
    status: Mapped[str] = mapped_column(String(10), default=ImportStatus.mapping.value)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[created_by_id])


class ImportIssue(TenantScoped, db.Model):
    """A row an import did not create: refused (with its problems) or flagged as a possible duplicate."""

    __tablename__ = "lead_import_issues"
    __table_args__ = tenant_args(
        tenant_fk("job_id", "lead_imports", ondelete="CASCADE"),
        tenant_fk("match_lead_id", "leads"),
        tenant_fk("match_account_id", "accounts"),
        CheckConstraint(_in("kind", ("error", "duplicate")), name="kind"),
        Index("ix_lead_import_issues_job", "tenant_id", "job_id", "kind", "line"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int]
    line: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    # [[code, {params}], ...]: rendered in the reader's language when shown.
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # a duplicate's cleaned values, to create or merge later
    match_lead_id: Mapped[int | None]
    match_account_id: Mapped[int | None]
    match_reason: Mapped[str | None] = mapped_column(String(20))
    resolution: Mapped[str | None] = mapped_column(String(10))  # created, merged, skipped

    match_lead: Mapped[Lead | None] = relationship(lazy="raise", primaryjoin=tenant_join("Lead", "ImportIssue", "match_lead_id"))
    match_account: Mapped[Account | None] = relationship(
        lazy="raise", primaryjoin=tenant_join("Account", "ImportIssue", "match_account_id"))
