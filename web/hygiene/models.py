"""Bad addresses: an email that bounced, mail that came back, a phone that is dead; open until fixed."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, one_of, utcnow
from tenants.models import User
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join

from ..accounts.models import Contact
from ..leads.models import Lead

KINDS = ("email_bounced", "mail_returned", "phone_dead")
KIND_LABELS = {
    "email_bounced": _l("Email bounced"),
    "mail_returned": _l("Mail returned undelivered"),
    "phone_dead": _l("Phone number dead"),
}


class Problem(TenantScoped, db.Model):
    """A contact's or a lead's address that does not work, from an SMTP refusal or a coordinator's report."""

    __tablename__ = "hygiene_problems"
    __table_args__ = tenant_args(
        tenant_fk("contact_id", "contacts", ondelete="CASCADE"),
        tenant_fk("lead_id", "leads", ondelete="CASCADE"),
        CheckConstraint(one_of("kind", KINDS), name="kind"),
        CheckConstraint("(contact_id IS NULL) <> (lead_id IS NULL)", name="one_subject"),
        Index("ix_hygiene_problems_open", "tenant_id", "fixed_at", "id"),
        Index("ix_hygiene_problems_contact", "tenant_id", "contact_id"),
        Index("ix_hygiene_problems_lead", "tenant_id", "lead_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None]
    lead_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(20))
    # The address as it was when it failed: the fix changes the contact, this keeps what was wrong.
    address: Mapped[str | None] = mapped_column(String(254))
    detail: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fixed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    contact: Mapped[Contact | None] = relationship(lazy="raise", primaryjoin=tenant_join("Contact", "Problem", "contact_id"))
    lead: Mapped[Lead | None] = relationship(lazy="raise", primaryjoin=tenant_join("Lead", "Problem", "lead_id"))
    reported_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[reported_by_id])

    @property
    def subject_name(self) -> str:
        return self.contact.name if self.contact is not None else self.lead.title
