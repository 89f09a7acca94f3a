"""CSV imports of leads: the file, its mapping and progress, and the rows it did not create."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..accounts.models import Account
from ..leads.models import Lead


class ImportStatus(str, enum.Enum):
    mapping = "mapping"  # the columns need a person's eye
    ready = "ready"  # mapped; the preview waits for a start
    running = "running"
    done = "done"


class ImportJob(TenantScoped, db.Model):
    """An uploaded CSV of leads, worked through a chunk per request so no background worker is needed.

    `processed` is the claim: a request takes rows [processed, processed + chunk) by moving it
    forward with a conditional UPDATE, so two browsers or two servers never import the same rows.
    The same UPDATE moves `read_offset` and `read_line` past the rows taken, so each chunk reads the file
    from where the last one stopped instead of from the top.
    """

    __tablename__ = "lead_imports"
    __table_args__ = tenant_args(
        CheckConstraint(one_of("status", tuple(s.value for s in ImportStatus)), name="status"),
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
    # Where the next unread data row begins in `raw` (a character offset) and the line it starts on.
    # NULL on jobs uploaded before positions were kept: the first chunk finds its place by reading.
    read_offset: Mapped[int | None]
    read_line: Mapped[int | None]
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
        CheckConstraint(one_of("kind", ("error", "duplicate")), name="kind"),
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
