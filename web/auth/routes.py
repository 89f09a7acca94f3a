"""Sign in, sign out, forgotten password."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tenants.auth import end_session, start_session
from tenants.db import db

from ..guards import existence_check, password_check, posted_email
from . import service
from .forms import ForgotForm, LoginForm, ResetForm

bp = Blueprint("auth", __name__)



def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect to somewhere else."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
@password_check(posted_email)
def login():
    """Sign in with email and password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        service.record_sign_in(user or service.find_user(form.email.data), ok=user is not None, ip=request.remote_addr)
        if user is not None:
            start_session(user, ip=request.remote_addr, user_agent=request.user_agent.string)
            db.session.commit()
            return redirect(safe_next(form.next.data) or url_for("home.front"), 303)
        form.fail(_("That email and password do not match an account."))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign this browser out."""
    end_session()
    db.session.commit()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/password/forgot", methods=["GET", "POST"])
@existence_check(methods=("POST",))
def forgot():
    """Ask for a reset link by email."""
    form = ForgotForm()
    if form.validate_on_submit():
        service.request_reset(form.email.data)
        flash(_("If an account uses that address, a link to choose a new password is on its way. It works for one hour."), "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/forgot.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@existence_check()
def reset(token: str):
    """Choose a new password from an emailed link."""
    user = service.user_for_reset(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        service.set_password(user, form.password.data)
        start_session(user, ip=request.remote_addr, user_agent=request.user_agent.string)
        db.session.commit()
        flash(_("Your password is changed, and every other session is signed out."), "success")
        return redirect(url_for("home.front"), 303)
    return render_template("auth/reset.html", form=form, user=user), 422 if request.method == "POST" else 200


