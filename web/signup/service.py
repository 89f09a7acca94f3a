"""Creating a tenant with its owner, exactly once per submitted form."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tenants import audit
from tenants.db import db
from tenants.members import add_member, member_by_user
from tenants.models import Role, Tenant, User
from tenants.passwords import hash_password, verify_password
from tenants.scoping import tenant_context

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
# Words that would read as part of Coordina itself rather than a customer's workspace.
RESERVED = frozenset(
    "admin administrator api app assets auth billing coordina help login logout mail new root "
    "settings signup static status support system t www".split()
)


class SignupError(ValueError):
    """A sign-up that cannot go ahead, with the field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass
class Signup:
    company_name: str
    slug: str
    base_currency: str
    default_locale: str
    timezone: str
    owner_name: str
    email: str
    password: str
    nonce: str


def slugify(name: str) -> str:
    """'Nhà Xuất Bản Trẻ' -> 'nha-xuat-ban-tre': ASCII, lowercase, hyphens."""
    name = (name or "").replace("đ", "d").replace("Đ", "D").replace("ß", "ss")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    slug = slug[:40].rstrip("-")
    if slug and not slug[0].isalpha():
        slug = f"co-{slug}"[:40].rstrip("-")
    return slug


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(Tenant).where(Tenant.slug == slug)) > 0


def slug_problem(slug: str):
    """Why a slug cannot be used, in the reader's language, or None."""
    if not SLUG_RE.match(slug or ""):
        return _l("Use 3 to 40 lowercase letters, digits and hyphens, starting with a letter.")
    if slug in RESERVED:
        return _l("This address is reserved. Choose another.")
    if slug_taken(slug):
        return _l("This address is already taken. Choose another.")
    return None


def suggest_slug(name: str) -> str:
    """A free slug made from the company name."""
    base = slugify(name)
    if len(base) < 3:
        base = (base + "-team").lstrip("-") if base else ""
    if not base:
        return ""
    candidate, n = base, 2
    while slug_problem(candidate) is not None and n < 100:
        suffix = f"-{n}"
        candidate = base[: 40 - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


def tenant_for_nonce(nonce: str) -> Tenant | None:
    """The tenant an earlier submit of the same form created, if any."""
    return db.session.scalar(select(Tenant).where(Tenant.signup_nonce == nonce))


def _owner_of_replay(tenant: Tenant, data: Signup) -> User:
    """A second submit of the same form: the same person gets the tenant the first one made."""
    user = db.session.scalar(select(User).where(User.email == data.email))
    with tenant_context(tenant.id):
        member = member_by_user(tenant.id, user.id) if user is not None else None
    if member is None or not verify_password(user.password_hash, data.password):
        raise SignupError("slug", _l("This address is already taken. Choose another."))
    return user


def create_tenant(data: Signup) -> tuple[Tenant, User]:
    """Create the tenant, its owner (or add an existing person as owner) and the first audit entry."""
    existing = tenant_for_nonce(data.nonce)
    if existing is not None:
        return existing, _owner_of_replay(existing, data)
    problem = slug_problem(data.slug)
    if problem is not None:
        raise SignupError("slug", problem)
    user = db.session.scalar(select(User).where(User.email == data.email))
    if user is not None and not verify_password(user.password_hash, data.password):
        raise SignupError(
            "email",
            _l("This email already has a Coordina account. Enter that account's password to add this company to it."),
        )
    tenant = Tenant(
        slug=data.slug,
        name=data.company_name,
        base_currency=data.base_currency,
        default_locale=data.default_locale,
        timezone=data.timezone,
        signup_nonce=data.nonce,
    )
    db.session.add(tenant)
    if user is None:
        user = User(
            email=data.email,
            name=data.owner_name,
            password_hash=hash_password(data.password),
            locale=data.default_locale,
            timezone=data.timezone,
        )
        db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent double submit won the race: hand back what it made.
        db.session.rollback()
        existing = tenant_for_nonce(data.nonce)
        if existing is not None:
            return existing, _owner_of_replay(existing, data)
        raise SignupError("slug", _l("This address is already taken. Choose another.")) from None
    add_member(tenant, user, Role.owner)
    with tenant_context(tenant.id):
        audit.record("tenant.created", actor_id=user.id, subject_type="tenant", subject_id=tenant.id,
                     details={"name": tenant.name, "slug": tenant.slug})
        db.session.commit()
    return tenant, user
