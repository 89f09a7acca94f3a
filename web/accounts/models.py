"""Customer companies and the people at them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import UTCDateTime, db, utcnow
from tenants.scoping import TenantScoped, tenant_args, tenant_fk, tenant_join


class Account(TenantScoped, db.Model):
    __tablename__ = "accounts"
    __table_args__ = tenant_args(
        Index("ix_accounts_name_key", "tenant_id", "name_key", "id"),
        Index("ix_accounts_domain", "tenant_id", "domain"),
        # The country filter of the contract list, the renewals calendar and the accounts list.
        Index("ix_accounts_country", "tenant_id", "country", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lowercase, accents and legal forms stripped: what search and duplicate checks compare.
    name_key: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(10))
    currency: Mapped[str | None] = mapped_column(String(3))
    website: Mapped[str | None] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_key: Mapped[str | None] = mapped_column(String(40))
    billing_address: Mapped[str | None] = mapped_column(Text)
    shipping_address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="account", lazy="raise", order_by="Contact.name",
        primaryjoin=tenant_join("Account", "Contact", "account_id"),
    )


class Contact(TenantScoped, db.Model):
    __tablename__ = "contacts"
    __table_args__ = tenant_args(
        tenant_fk("account_id", "accounts", ondelete="CASCADE"),
        Index("ix_contacts_account", "tenant_id", "account_id"),
        Index("ix_contacts_email", "tenant_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(160))
    job_title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    account: Mapped[Account] = relationship(
        back_populates="contacts", lazy="raise",
        primaryjoin=tenant_join("Account", "Contact", "account_id"),
    )
