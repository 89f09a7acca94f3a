"""Sign-up: a company gets its own workspace and its owner lands in it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user, start_session
from tenants.db import db

from ..guards import existence_check, password_check, posted_email
from . import service
from .forms import SignupForm

bp = Blueprint("signup", __name__, url_prefix="/signup")


@bp.route("", methods=["GET"])
def new():
    """The sign-up form."""
    form = SignupForm(formdata=None, base_currency="EUR", timezone="Europe/Rome")
    user = current_user()
    if user is not None:
        form.owner_name.data, form.email.data = user.name, user.email
    return render_template("signup/new.html", form=form)


@bp.route("", methods=["POST"])
@password_check(posted_email)
def create():
    """Create the tenant and its owner, then sign the owner in."""
    form = SignupForm()
    if form.validate_on_submit():
        try:
            tenant, user = service.create_tenant(service.Signup(
                company_name=form.company_name.data, slug=form.slug.data, base_currency=form.base_currency.data,
                default_locale=form.default_locale.data, timezone=form.timezone.data,
                owner_name=form.owner_name.data, email=form.email.data, password=form.password.data,
                nonce=form.nonce.data,
            ))
        except service.SignupError as exc:
            getattr(form, exc.field).errors.append(str(exc.message))
        else:
            start_session(user, ip=request.remote_addr, user_agent=request.user_agent.string)
            db.session.commit()
            flash(_("Welcome to Coordina. %(name)s is ready.", name=tenant.name), "success")
            return redirect(url_for("home.index", tenant=tenant.slug), 303)
    return render_template("signup/new.html", form=form), 422


@bp.route("/slug", methods=["GET"])
@existence_check()
def slug():
    """The address field, with a suggestion from the company name and whether it is free (htmx)."""
    form = SignupForm(request.args, meta={"csrf": False})
    typed = (form.slug.data or "").strip().lower()
    if not typed or typed == (form.slug_suggested.data or ""):
        typed = service.suggest_slug(form.company_name.data or "")
        form.slug_suggested.data = typed
    form.slug.data = typed
    problem = service.slug_problem(typed) if typed else None
    return render_template("signup/_slug.html", form=form, problem=problem, checked=bool(typed))
