"""Plain functions that make rows for tests. Call them inside an app context."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import inspect

from tenants.db import db
from tenants.models import Membership, Role, Tenant, User
from tenants.passwords import hash_password
from tenants.scoping import tenant_context

PASSWORD = "correct horse battery"
_hash_cache: dict[str, str] = {}


def detach(obj):
    """Load every column and let the object outlive the session, so tests can read it later."""
    state = inspect(obj)
    if state.expired_attributes or state.expired:
        db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def tenant(slug: str = "acme", *, name: str | None = None, base_currency: str = "EUR", locale: str = "en",
           timezone: str = "Europe/Rome") -> Tenant:
    row = Tenant(slug=slug, name=name or slug.title(), base_currency=base_currency, default_locale=locale,
                 timezone=timezone)
    db.session.add(row)
    db.session.commit()
    return detach(row)


def user(email: str, *, name: str | None = None, locale: str | None = "en", timezone: str | None = None,
         password: str = PASSWORD, display_currency: str | None = None) -> User:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    row = User(email=email, name=name or email.split("@")[0].title(), password_hash=_hash_cache[password],
               locale=locale, timezone=timezone, display_currency=display_currency)
    db.session.add(row)
    db.session.commit()
    return detach(row)


def member(tenant_row: Tenant, user_row: User, role: str | Role = Role.coordinator) -> Membership:
    row = Membership(tenant_id=tenant_row.id, user_id=user_row.id, role=Role(role).value)
    with tenant_context(tenant_row.id):  # memberships are the tenant's rows (row-level security on PostgreSQL)
        db.session.add(row)
        db.session.commit()
        return detach(row)


def person(tenant_row: Tenant, email: str, role: str | Role = Role.coordinator, **kwargs) -> User:
    row = user(email, **kwargs)
    member(tenant_row, row, role)
    return row


def world() -> SimpleNamespace:
    """Two tenants: `acme` (owner, admin, manager, coordinator, two reps) and `rival` (its owner)."""
    acme = tenant("acme", name="Acme Media")
    rival = tenant("rival", name="Rival Publishing", base_currency="USD", timezone="America/New_York")
    ns = SimpleNamespace(acme=acme, rival=rival)
    ns.owner = person(acme, "owner@acme.example", Role.owner, name="Olivia Owner")
    ns.admin = person(acme, "admin@acme.example", Role.admin, name="Adam Admin")
    ns.manager = person(acme, "manager@acme.example", Role.manager, name="Mia Manager")
    ns.coordinator = person(acme, "coord@acme.example", Role.coordinator, name="Giulia Coordinator", locale="it",
                            timezone="Europe/Rome")
    ns.rep = person(acme, "rep@acme.example", Role.rep, name="Marco Rep")
    ns.rep2 = person(acme, "rep2@acme.example", Role.rep, name="Rosa Rep")
    ns.rival_owner = person(rival, "owner@rival.example", Role.owner, name="Rita Rival")
    return ns


def in_tenant(tenant_row: Tenant):
    return tenant_context(tenant_row.id)


def translated(message: str, locale: str, **params) -> str:
    """The catalog's translation of `message` (must differ from English: a missing one fails here)."""
    from babel.support import Translations

    from i18n.catalogs import TRANSLATIONS

    text = Translations.load(str(TRANSLATIONS), [locale]).ugettext(message)
    assert text != message, f"no {locale} translation for {message!r}"
    return text % params if params else text


def reps_take_turns(make_client, path: str, marcos: tuple[int, str], rosas: tuple[int, str]) -> None:
    """The two reps of the world (Marco: rep@, Rosa: rep2@) each open their own record (`path` with its id), twice in
    turn: each sees it (its text shown) and gets a 404 for the other's. Pages read by statements built once run
    them with each request's reader: a statement kept with the first reader's id fails here."""
    marco, rosa = make_client(), make_client()
    marco.sign_in("rep@acme.example")
    rosa.sign_in("rep2@acme.example")
    for _ in range(2):
        for client, (own, text), (other, _text) in ((marco, marcos, rosas), (rosa, rosas, marcos)):
            page = client.get(path.format(own))
            assert page.status_code == 200 and shows(page, text), (path, own)
            assert client.get(path.format(other)).status_code == 404, (path, other)


def shows(page, text: str) -> bool:
    """Whether the page shows `text` to a reader (HTML entities decoded, as a browser would)."""
    import html

    if not isinstance(page, str):
        page = page.get_data(as_text=True)
    return text in html.unescape(page)
