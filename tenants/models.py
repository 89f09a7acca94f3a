"""The kernel's shared tables: tenants, people, who belongs where, and live sign-in sessions."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import UTCDateTime, db, utcnow


class Role(str, enum.Enum):
    owner = "owner"
    admin = "admin"
    manager = "manager"
    coordinator = "coordinator"
    rep = "rep"
    distributor = "distributor"

    @property
    def is_admin(self) -> bool:
        return self in (Role.owner, Role.admin)


# Roles an admin may hand out by invitation; ownership moves only by the owner's hand.
INVITABLE_ROLES = (Role.admin, Role.manager, Role.coordinator, Role.rep)
# Who may enter which areas, named once: feature blueprints and views declare these.
ADMINS = (Role.owner, Role.admin)
# Everyone who works in the company; distributors have a portal of their own and see nothing here.
STAFF = (Role.owner, Role.admin, Role.manager, Role.coordinator, Role.rep)
# Staff who see every record of an area; reps see their own.
SEES_ALL = (Role.owner, Role.admin, Role.manager, Role.coordinator)
# Who may own a contract (its sales rep).
SELLERS = (Role.rep, Role.manager, Role.admin, Role.owner)


def new_stamp() -> int:
    """A random positive number that fits a signed 64-bit column (Tenant.reference_stamp)."""
    return secrets.randbits(62) + 1


class Tenant(db.Model):
    __tablename__ = "tenants"
    __shared__ = "the tenant registry itself; looked up by slug before any tenant is set"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    base_currency: Mapped[str] = mapped_column(String(3))
    default_locale: Mapped[str] = mapped_column(String(10))
    timezone: Mapped[str] = mapped_column(String(64))
    # The sign-up form's one-time id: a double submit finds the tenant it already made.
    signup_nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Which rate sources convert for this tenant, after its own corporate rates (always first).
    fx_use_ecb: Mapped[bool] = mapped_column(default=True, server_default=true())
    fx_use_live: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When an admin last saved the settings: the base currency chosen at sign-up is then confirmed (first run).
    settings_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When an admin hid the home page's first steps for the whole workspace.
    first_run_dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set anew, at random, whenever the workspace's reference data changes (tenants.reference): a process's copy kept
    # under another stamp is stale. Random, not counted: a database made again (a test's, a restored backup) never
    # repeats a stamp a process still holds.
    reference_stamp: Mapped[int] = mapped_column(BigInteger, default=new_stamp, server_default="0")


class User(db.Model):
    __tablename__ = "users"
    __shared__ = "people are global: one email and password across every tenant they belong to"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str | None] = mapped_column(String(64))
    display_currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", lazy="raise")


class Membership(db.Model):
    __tablename__ = "memberships"
    __shared__ = "read across tenants at sign-in for the tenant switcher; always filtered by user or tenant in tenants/"
    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        Index("ix_memberships_user_id", "user_id"),
        CheckConstraint(
            "role IN ('owner','admin','manager','coordinator','rep','distributor')", name="role"
        ),
        # A distributor membership points at one Distributor of the same tenant (web/distributors owns the table).
        ForeignKeyConstraint(["tenant_id", "distributor_id"], ["distributors.tenant_id", "distributors.id"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    # The partner this portal user acts for (role distributor only); the portal is closed without one.
    distributor_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tenant: Mapped[Tenant] = relationship(lazy="joined")
    user: Mapped[User] = relationship(back_populates="memberships", lazy="joined")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class AuthSession(db.Model):
    """A signed-in browser. The cookie holds a random id; we keep only its hash, so logout is real."""

    __tablename__ = "auth_sessions"
    __shared__ = "a sign-in belongs to a person, who may belong to several tenants"
    __table_args__ = (Index("ix_auth_sessions_user_id", "user_id"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship(lazy="joined")
