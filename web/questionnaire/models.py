"""The qualifying questionnaire: questions worded in every shipped language, their options, and the
answers recorded on leads."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from i18n.money import ScaledDecimal
from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join


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
        CheckConstraint(one_of("kind", KINDS), name="kind"),
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


KIND_LABELS = {
    "text": _l("Text"),
    "yes_no": _l("Yes or no"),
    "choice": _l("Choice"),
    "number": _l("Number"),
}
