"""Inviting people, changing roles and removing members; every step leaves an audit entry."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import or_, select

from tenants import audit, members
from tenants.auth import end_access, end_all_sessions
from tenants.db import db, utcnow
from tenants.models import INVITABLE_ROLES, STAFF, Membership, Role, Tenant, User
from tenants.passwords import hash_password
from tenants.scoping import tenant_context

from ..links import public_url_for
from ..mail import send_email
from .models import Invitation

INVITATION_DAYS = 7


class TeamError(ValueError):
    """A team change that the rules do not allow, with the reader's explanation."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invitation")


def invitation_link(invitation: Invitation) -> str:
    token = _serializer().dumps({"t": invitation.tenant_id, "i": invitation.id})
    return public_url_for("team.accept", token=token)


def _pending():
    return Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow()


def pending_invitations() -> list[Invitation]:
    return list(
        db.session.scalars(select(Invitation).where(*_pending()).order_by(Invitation.created_at.desc()).limit(200))
    )


def team_started(tenant_id: int):
    """A SQL condition: someone else is a member, or an invitation is on its way."""
    return or_(members.has_company(tenant_id), select(Invitation.id).where(*_pending()).exists())


def _mail_invitation(invitation: Invitation, tenant: Tenant, inviter: User) -> None:
    send_email(invitation.email, "invitation", invitation.locale, invitation=invitation, tenant=tenant,
               inviter=inviter, link=invitation_link(invitation), days=INVITATION_DAYS)


def invite(tenant: Tenant, inviter: User, *, email: str, role: Role, locale: str,
           distributor_id: int | None = None) -> Invitation:
    """Invite an address with a role; a pending invitation to the same address is renewed instead.

    A partner's portal user is invited with role distributor and the distributor they will act for (from
    that distributor's page); no other role is bound to a distributor."""
    if (role not in INVITABLE_ROLES and role is not Role.distributor) or \
            ((role is Role.distributor) != (distributor_id is not None)):
        raise TeamError(_l("Choose one of the roles in the list."))
    existing_user = db.session.scalar(select(User).where(User.email == email))
    if existing_user is not None and members.member_by_user(tenant.id, existing_user.id) is not None:
        raise TeamError(_l("%(email)s is already a member of this workspace.", email=email))
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    )
    if invitation is None:
        invitation = Invitation(email=email)
        db.session.add(invitation)
    invitation.role, invitation.locale, invitation.invited_by_id = role.value, locale, inviter.id
    invitation.distributor_id = distributor_id
    invitation.expires_at = utcnow() + timedelta(days=INVITATION_DAYS)
    db.session.flush()
    audit.record("team.invited", actor_id=inviter.id, subject_type="invitation", subject_id=invitation.id,
                 details={"email": email, "role": role.value})
    _mail_invitation(invitation, tenant, inviter)
    db.session.commit()
    return invitation


def get_invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def revoke(invitation: Invitation, actor: User) -> None:
    invitation.revoked_at = utcnow()
    audit.record("team.invitation_revoked", actor_id=actor.id, subject_type="invitation", subject_id=invitation.id,
                 details={"email": invitation.email})
    db.session.commit()


def resend(invitation: Invitation, tenant: Tenant, actor: User) -> None:
    invitation.expires_at = utcnow() + timedelta(days=INVITATION_DAYS)
    _mail_invitation(invitation, tenant, actor)
    audit.record("team.invitation_resent", actor_id=actor.id, subject_type="invitation", subject_id=invitation.id,
                 details={"email": invitation.email})
    db.session.commit()


def _guard(tenant: Tenant, actor: Membership, target: Membership) -> None:
    if target.role == Role.owner.value and actor.role != Role.owner.value:
        raise TeamError(_l("Only an owner can change or remove another owner."))


def change_role(tenant: Tenant, actor: Membership, target: Membership, role: Role) -> None:
    """Give a member another role; the last owner keeps ownership."""
    _guard(tenant, actor, target)
    allowed = INVITABLE_ROLES + ((Role.owner,) if actor.role == Role.owner.value else ())
    if role not in allowed:
        raise TeamError(_l("Choose one of the roles in the list."))
    if target.role == Role.owner.value and role != Role.owner and members.owner_count(tenant.id) <= 1:
        raise TeamError(_l("A workspace needs at least one owner. Make someone else owner first."))
    old = target.role
    if old == role.value:
        return
    target.role = role.value
    target.distributor_id = None  # a partner who becomes staff acts for no distributor any more
    audit.record("team.role_changed", actor_id=actor.user_id, subject_type="user", subject_id=target.user_id,
                 details={"email": target.user.email, "role": [old, role.value]})
    if role not in STAFF:
        end_access(target.user_id, tenant.id)
    db.session.commit()


def remove(tenant: Tenant, actor: Membership, target: Membership) -> None:
    """Remove a member; their sessions end at once."""
    _guard(tenant, actor, target)
    if target.role == Role.owner.value and members.owner_count(tenant.id) <= 1:
        raise TeamError(_l("A workspace needs at least one owner. Make someone else owner first."))
    if target.user_id == actor.user_id:
        raise TeamError(_l("You cannot remove yourself."))
    audit.record("team.member_removed", actor_id=actor.user_id, subject_type="user", subject_id=target.user_id,
                 details={"email": target.user.email, "role": target.role})
    end_access(target.user_id, tenant.id)
    db.session.delete(target)
    end_all_sessions(target.user_id)
    db.session.commit()


# --- accepting, outside any tenant until the signed link names one -------------------------------


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation a link points at, or None when forged, expired, used or revoked."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    with tenant_context(int(data["t"])):
        invitation = db.session.get(Invitation, int(data["i"]))
        if invitation is None or not invitation.pending:
            return None
        return invitation


def invited_tenant(invitation: Invitation) -> Tenant:
    return db.session.get(Tenant, invitation.tenant_id)


def accept(invitation: Invitation, *, user: User | None, name: str | None = None, password: str | None = None) -> User:
    """Join the tenant: an existing person as is, a new one with the name and password they chose."""
    tenant = invited_tenant(invitation)
    with tenant_context(tenant.id):
        if user is None:
            user = User(email=invitation.email, name=name, password_hash=hash_password(password),
                        locale=invitation.locale, timezone=tenant.timezone)
            db.session.add(user)
            db.session.flush()
        if members.member_by_user(tenant.id, user.id) is None:
            members.add_member(tenant, user, Role(invitation.role), distributor_id=invitation.distributor_id)
        invitation.accepted_at = utcnow()
        invitation.accepted_by_id = user.id
        audit.record("team.invitation_accepted", actor_id=user.id, subject_type="invitation",
                     subject_id=invitation.id, details={"email": invitation.email, "role": invitation.role})
        db.session.commit()
    return user
