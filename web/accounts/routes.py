"""Accounts (customer companies) and their contacts: search as you type, keyset pages, no lost edits."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from tenants.auth import current_user
from tenants.db import EditConflict, db
from tenants.models import SEES_ALL, STAFF
from tenants.resolve import TenantBlueprint

from ..features import panels
from ..home.firstrun import Step
from ..htmx import confirm, form_part, render, wants_fragment
from . import service
from .forms import AccountForm, ContactForm

bp = TenantBlueprint("accounts", __name__, roles=STAFF)


def first_step() -> Step:
    """The first run: add an account."""
    return Step(30, _("Add your first account"),
                _("The companies you sell to, with their country, language and currency: contracts, contacts and "
                  "activities belong to them."),
                "accounts.new", SEES_ALL, done=service.any_account)


def _data(form: AccountForm) -> service.AccountData:
    return service.AccountData(**{f: (getattr(form, f).data or None) for f in service.FIELDS})


def _contact_data(form: ContactForm) -> service.ContactData:
    return service.ContactData(**{f: (getattr(form, f).data or None) for f in service.CONTACT_FIELDS})


def _account_or_404(account_id: int):
    account = service.get_account(account_id)
    if account is None:
        abort(404)
    return account


@bp.route("")
def index():
    """Accounts by name; typing in the search box narrows the list without a reload."""
    q = (request.args.get("q") or "").strip()
    country = request.args.get("country") or None
    page = service.search(q, after=request.args.get("after"), country=country)
    return render("accounts/index.html", "accounts/_table.html", accounts=page.rows, page=page, q=q,
                  country=country, total=None if wants_fragment() else service.count_accounts(),
                  count_cap=service.COUNT_CAP)


@bp.route("/new")
def new():
    """The new account form."""
    return render("accounts/new.html", "accounts/_form.html", form=AccountForm(formdata=None), account=None)


@bp.route("", methods=["POST"])
def create():
    """Create an account."""
    form = AccountForm()
    if not form.validate_on_submit():
        return render("accounts/new.html", "accounts/_form.html", status=422, form=form, account=None)
    account = service.create_account(_data(form), actor_id=current_user().id)
    db.session.commit()
    flash(_("%(name)s is added.", name=account.name), "success")
    return redirect(url_for("accounts.show", account_id=account.id), 303)


@bp.route("/<int:account_id>")
def show(account_id: int):
    """An account with its contacts, and what other features keep about it (contracts, activities)."""
    return _account_page(_account_or_404(account_id))


def _account_page(account, contact_form=None, status: int = 200):
    """The account's page (its contacts for htmx), with the form to add a contact open when one is given. The page
    leaves the form out otherwise, asked for when opened (new_contact): with its languages' select, a tenth of it."""
    return render("accounts/show.html", "accounts/_contacts.html", status=status, account=account,
                  contacts=service.contacts_of(account), contact_form=contact_form,
                  account_panels=[] if wants_fragment() else panels("account", account))


@bp.route("/<int:account_id>/contacts/new")
def new_contact(account_id: int):
    """The form to add a contact, asked for when the account page's "Add a contact" is opened."""
    account = _account_or_404(account_id)
    form = ContactForm(formdata=None)
    return form_part("accounts/_contact_add_form.html", lambda: _account_page(account, form), account=account,
                     contact_form=form)


@bp.route("/<int:account_id>/edit")
def edit(account_id: int):
    """The edit form, carrying the version it was opened on."""
    account = _account_or_404(account_id)
    form = AccountForm(formdata=None, obj=account)
    form.version.data = account.version
    return render("accounts/edit.html", "accounts/_form.html", form=form, account=account)


@bp.route("/<int:account_id>", methods=["POST"])
def update(account_id: int):
    """Save the account, unless someone else saved it first (then 409 with the input kept)."""
    account = _account_or_404(account_id)
    form = AccountForm()
    if not form.validate_on_submit():
        return render("accounts/edit.html", "accounts/_form.html", status=422, form=form, account=account)
    try:
        service.update_account(account, _data(form), version=form.version.data, actor_id=current_user().id)
    except EditConflict:
        db.session.expire_all()
        account = _account_or_404(account_id)
        form.fail(_("%(name)s was changed by someone else while you were editing. Your changes are below and "
                    "were not saved; the current version is on the account page. Save again to overwrite it.",
                    name=account.name))
        form.version.data = account.version
        return render("accounts/edit.html", "accounts/_form.html", status=409, form=form, account=account)
    flash(_("%(name)s is saved.", name=account.name), "success")
    return redirect(url_for("accounts.show", account_id=account.id), 303)


@bp.route("/<int:account_id>/contacts", methods=["POST"])
def add_contact(account_id: int):
    """Add a person at the account."""
    account = _account_or_404(account_id)
    form = ContactForm(account_country=account.country)
    if not form.validate_on_submit():
        return _account_page(account, form, status=422)
    contact = service.add_contact(account, _contact_data(form), actor_id=current_user().id)
    db.session.commit()
    confirm(_("%(name)s is added to the contacts.", name=contact.name))
    if wants_fragment():
        return _account_page(account)
    return redirect(url_for("accounts.show", account_id=account.id), 303)


def _contact_or_404(account_id: int, contact_id: int):
    contact = service.get_contact(contact_id)
    if contact is None or contact.account_id != account_id:
        abort(404)
    return contact


@bp.route("/<int:account_id>/contacts/<int:contact_id>/edit")
def edit_contact(account_id: int, contact_id: int):
    """Edit a contact."""
    account = _account_or_404(account_id)
    contact = _contact_or_404(account_id, contact_id)
    return render("accounts/contact_edit.html", "accounts/_contact_form.html", account=account, contact=contact,
                  form=ContactForm(formdata=None, obj=contact))


@bp.route("/<int:account_id>/contacts/<int:contact_id>", methods=["POST"])
def update_contact(account_id: int, contact_id: int):
    """Save a contact."""
    account = _account_or_404(account_id)
    contact = _contact_or_404(account_id, contact_id)
    form = ContactForm(account_country=account.country)
    if not form.validate_on_submit():
        return render("accounts/contact_edit.html", "accounts/_contact_form.html", status=422, account=account,
                      contact=contact, form=form)
    service.update_contact(contact, _contact_data(form), actor_id=current_user().id)
    db.session.commit()
    flash(_("%(name)s is saved.", name=contact.name), "success")
    return redirect(url_for("accounts.show", account_id=account.id), 303)


@bp.route("/<int:account_id>/contacts/<int:contact_id>/delete", methods=["POST"])
def delete_contact(account_id: int, contact_id: int):
    """Remove a contact."""
    contact = _contact_or_404(account_id, contact_id)
    service.delete_contact(contact, actor_id=current_user().id)
    db.session.commit()
    flash(_("%(name)s is removed.", name=contact.name), "success")
    return redirect(url_for("accounts.show", account_id=account_id), 303)
