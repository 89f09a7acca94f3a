"""The person's own account page, and the language picker everyone can use."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, refresh

from tenants.auth import current_auth_session, current_user
from tenants.db import db

from ..auth.routes import safe_next
from ..guards import password_check
from . import service
from .forms import LanguageForm, PasswordForm, ProfileForm

bp = Blueprint("profile", __name__)


def signed_in(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def _page(profile=None, password=None, status=200):
    user = current_user()
    profile = profile or ProfileForm(
        formdata=None, name=user.name, locale=user.locale or "en", timezone=user.timezone or "UTC",
        display_currency=user.display_currency or "",
    )
    return render_template(
        "profile/edit.html", profile=profile, password=password or PasswordForm(formdata=None),
        sessions=service.sessions_of(user), this_session=current_auth_session(),
    ), status


@bp.route("/account", methods=["GET"])
def moved():
    """The profile's address before it was called a profile (bookmarks keep working)."""
    return redirect(url_for("profile.edit"), 301)


@bp.route("/profile", methods=["GET"])
@signed_in
def edit():
    """Profile, password and sessions."""
    return _page()


@bp.route("/profile", methods=["POST"])
@signed_in
def update():
    """Save the profile."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(profile=form, status=422)
    service.update_profile(current_user(), name=form.name.data, locale=form.locale.data,
                           timezone=form.timezone.data, display_currency=form.display_currency.data)
    session["locale"] = form.locale.data
    refresh()
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("profile.edit"), 303)


def _own_email() -> str | None:
    user = current_user()
    return user.email if user is not None else None


@bp.route("/profile/password", methods=["POST"])
@signed_in
@password_check(_own_email)
def password():
    """Change the password; other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        if service.change_password(current_user(), form.current_password.data, form.new_password.data):
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("profile.edit"), 303)
        form.current_password.errors.append(_("The current password is not right."))
    return _page(password=form, status=422)


@bp.route("/profile/sessions/end-others", methods=["POST"])
@signed_in
def end_others():
    """Sign out every other browser."""
    count = service.end_other_sessions(current_user())
    flash(ngettext("Signed out of %(num)d other session.", "Signed out of %(num)d other sessions.", count), "success")
    return redirect(url_for("profile.edit"), 303)


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language; signed-in people keep it in their profile."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        user = current_user()
        if user is not None:
            user.locale = form.locale.data
            db.session.commit()
        refresh()
    return redirect(safe_next(form.next.data) or url_for("home.front"), 303)
