"""Team page (members, roles, invitations) and the public page that accepts an invitation."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tenants import members
from tenants.auth import current_user, start_session
from tenants.db import db
from tenants.models import Role, User
from tenants.passwords import verify_password
from tenants.resolve import ADMINS, OUTSIDE, TenantBlueprint, current_role, requires

from ..forms import errors_of
from ..guards import password_check
from ..home.firstrun import Step
from ..htmx import confirm, render, wants_fragment
from . import service
from .forms import AcceptForm, InviteForm, JoinForm, RoleForm, role_label

bp = TenantBlueprint("team", __name__)


def first_step() -> Step:
    """The first run: invite the team (ticked by a second member or an invitation on its way)."""
    tenant_id = g.tenant.id
    return Step(10, _("Invite your team"),
                _("Coordinators, reps and managers each sign in with their own account and language, with a role "
                  "that says what they may do."),
                "team.index", ADMINS, done=lambda: service.team_started(tenant_id))


def _index_context(invite_form=None):
    page = members.members_page(g.tenant.id, after=request.args.get("after"))
    is_admin = current_role() in ADMINS
    return {
        "members": page.rows,
        "page": page,
        "invitations": service.pending_invitations() if is_admin else [],
        "invite_form": invite_form or InviteForm(formdata=None, locale=g.tenant.default_locale, role="coordinator"),
        "is_admin": is_admin,
        "is_owner": current_role() == Role.owner,
    }


@bp.route("", methods=["GET"])
def index():
    """Members with their roles; admins also see and send invitations."""
    return render("team/index.html", "team/_members.html", **_index_context())


@bp.route("/invitations", methods=["POST"])
@requires(*ADMINS)
def create():
    """Invite someone by email with a role."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = service.invite(g.tenant, current_user(), email=form.email.data, role=Role(form.role.data),
                                        locale=form.locale.data)
        except service.TeamError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("team.index"), 303)
    return render("team/index.html", "team/_invite.html", status=422, **_index_context(form))


def _invitation_or_404(invitation_id: int):
    invitation = service.get_invitation(invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@requires(*ADMINS)
def revoke(invitation_id: int):
    """Withdraw an invitation; its link stops working."""
    invitation = _invitation_or_404(invitation_id)
    service.revoke(invitation, current_user())
    flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("team.index"), 303)


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@requires(*ADMINS)
def resend(invitation_id: int):
    """Send the invitation again, valid for another week."""
    invitation = _invitation_or_404(invitation_id)
    if not invitation.pending:
        abort(404)
    service.resend(invitation, g.tenant, current_user())
    flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("team.index"), 303)


def _member_or_404(member_id: int):
    target = members.member(g.tenant.id, member_id)
    if target is None:
        abort(404)
    return target


@bp.route("/members/<int:member_id>/role", methods=["POST"])
@requires(*ADMINS)
def update(member_id: int):
    """Change a member's role (inline on the team page)."""
    target = _member_or_404(member_id)
    form = RoleForm(include_owner=current_role() == Role.owner)
    error = None
    if form.validate_on_submit():
        try:
            service.change_role(g.tenant, g.membership, target, Role(form.role.data))
        except service.TeamError as exc:
            error = str(exc)
            db.session.rollback()
    else:
        error = errors_of(form.role, separator="; ") or _("Choose one of the roles in the list.")
    if error is None:
        confirm(_("%(name)s is now %(role)s.", name=target.user.name, role=role_label(target.role)))
    if error is None and not wants_fragment():
        return redirect(url_for("team.index"), 303)
    context = {} if wants_fragment() else _index_context()
    context.update(m=target, error=error, is_admin=True, is_owner=current_role() == Role.owner)
    return render("team/index.html", "team/_member.html", status=422 if error else 200, **context)


@bp.route("/members/<int:member_id>/remove", methods=["POST"])
@requires(*ADMINS)
def delete(member_id: int):
    """Remove a member from the workspace; their sessions end at once."""
    target = _member_or_404(member_id)
    try:
        name = target.user.name
        service.remove(g.tenant, g.membership, target)
    except service.TeamError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("%(name)s is removed from the workspace and signed out.", name=name), "success")
    return redirect(url_for("team.index"), 303)


# --- accepting an invitation ------------------------------------------------------------------


def _invited_email() -> str | None:
    invitation = service.invitation_from_token(request.view_args.get("token", ""))
    return invitation.email if invitation is not None else request.view_args.get("token")


@bp.route("/invitations/<token>", methods=["GET", "POST"], access=OUTSIDE)
@password_check(_invited_email)
def accept(token: str):
    """Join a workspace from an invitation link: set a password, or confirm with your existing one."""
    invitation = service.invitation_from_token(token)
    if invitation is None:
        return render_template("team/invitation_invalid.html"), 404
    tenant = service.invited_tenant(invitation)
    existing = db.session.scalar(db.select(User).where(User.email == invitation.email))
    form = JoinForm() if existing is not None else AcceptForm()
    if form.validate_on_submit():
        if existing is not None:
            if verify_password(existing.password_hash, form.password.data):
                user = service.accept(invitation, user=existing)
            else:
                form.password.errors.append(_("That password does not match the account of %(email)s.", email=existing.email))
                user = None
        else:
            user = service.accept(invitation, user=None, name=form.name.data, password=form.password.data)
        if user is not None:
            start_session(user, ip=request.remote_addr, user_agent=request.user_agent.string)
            db.session.commit()
            flash(_("Welcome to %(name)s.", name=tenant.name), "success")
            return redirect(url_for("home.index", tenant=tenant.slug), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("team/accept.html", form=form, invitation=invitation, tenant=tenant,
                           existing=existing), status
