"""Customer companies and their people: creating, editing without overwriting, finding and matching."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from sqlalchemy import bindparam, func, select

from i18n.text import fold
from tenants import audit
from tenants import search as search_index  # this module has its own search()
from tenants.db import check_version, commit, db
from tenants.pager import Keyset, Page
from tenants.scoping import built_once

from .models import Account, Contact

# Legal forms that say nothing about which company it is ("Acme S.r.l." is "Acme").
LEGAL_FORMS = {
    "srl", "srls", "spa", "sas", "snc", "sapa", "gmbh", "ag", "kg", "ohg", "ug", "ltd", "limited", "llc", "llp",
    "inc", "incorporated", "corp", "corporation", "co", "company", "plc", "sa", "sarl", "sl", "slu", "bv", "nv",
    "ab", "as", "asa", "oy", "oyj", "kk", "pte", "pty", "jsc", "tnhh", "cong", "ty", "cp", "phan", "mtv",
    "group", "holding", "holdings",
}
# Addresses at these say nothing about the company behind them.
FREE_MAIL = {
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.it", "yahoo.co.uk", "hotmail.com", "hotmail.it", "outlook.com",
    "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "libero.it", "virgilio.it",
    "tiscali.it", "alice.it", "proton.me", "protonmail.com", "mail.ru", "yandex.ru", "qq.com", "163.com",
}


def normalise_company(name: str | None) -> str:
    """'ACME Media S.r.l.' -> 'acme media'; 'Công ty TNHH Sao Mai' -> 'sao mai'."""
    text = re.sub(r"(?<=\b\w)\.(?=\w\b)", "", name or "")  # s.r.l. -> srl
    words = fold(text).split()
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    while words and words[0] in LEGAL_FORMS:
        words.pop(0)
    return " ".join(words) or fold(text)


def domain_of(value: str | None) -> str | None:
    """The company domain of a website or an email address; None for free-mail providers."""
    if not value:
        return None
    value = value.strip().lower()
    if "@" in value:
        host = value.rsplit("@", 1)[1]
    else:
        host = urlsplit(value if "://" in value else f"http://{value}").hostname or ""
    host = host.removeprefix("www.").strip(".")
    if not host or "." not in host or host in FREE_MAIL:
        return None
    return host


def normalise_phone(phone: str | None) -> str | None:
    """The last nine digits: the same number written '+39 02 1234 5678' or "'0212345678" matches."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-9:] if len(digits) >= 6 else None


def clean_phone(phone: str | None) -> str | None:
    """Strip what spreadsheets add: a leading apostrophe, stray spaces."""
    if phone is None:
        return None
    phone = phone.strip().lstrip("'").strip()
    return phone or None


class BadPhone(ValueError):
    """A phone number that cannot be read: not a number, or none of the country given and without a + code."""


def international_phone(phone: str, country: str | None, *, callable_only: bool = False) -> str:
    """A phone number in international form (+39 02 1234 5678), read in the country's own way when it has no +.
    BadPhone when it cannot be read as a possible number (as a valid one with `callable_only`)."""
    try:
        number = phonenumbers.parse(phone, (country or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise BadPhone(phone) from exc
    readable = phonenumbers.is_valid_number if callable_only else phonenumbers.is_possible_number
    if not readable(number):
        raise BadPhone(phone)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def stored_phone(phone: str | None, country: str | None) -> str | None:
    """What is saved: the number in international form when it can be read, else the text as typed, because
    imports and the public web form keep legacy numbers rather than lose the row (hygiene fixes them later).
    The last nine digits (normalise_phone) are the same either way, so duplicate checks still match."""
    phone = clean_phone(phone)
    if phone is None:
        return None
    try:
        formatted = international_phone(phone, country)
    except BadPhone:
        return phone
    return formatted if len(formatted) <= 40 else phone


@dataclass
class AccountData:
    name: str
    country: str | None = None
    language: str | None = None
    currency: str | None = None
    website: str | None = None
    phone: str | None = None
    billing_address: str | None = None
    shipping_address: str | None = None
    notes: str | None = None


FIELDS = ("name", "country", "language", "currency", "website", "phone", "billing_address", "shipping_address", "notes")


def _apply(account: Account, data: AccountData) -> None:
    for field in FIELDS:
        setattr(account, field, getattr(data, field))
    account.phone = clean_phone(data.phone)
    account.name_key = normalise_company(data.name)
    account.domain = domain_of(data.website)
    account.phone_key = normalise_phone(account.phone)


def create_account(data: AccountData, *, actor_id: int | None) -> Account:
    """A new customer company; the caller commits."""
    account = Account()
    _apply(account, data)
    db.session.add(account)
    db.session.flush()
    audit.record("account.created", actor_id=actor_id, subject_type="account", subject_id=account.id,
                 details={"name": account.name})
    return account


def update_account(account: Account, data: AccountData, *, version: int | None, actor_id: int | None) -> dict:
    """Save edits made on `version`; EditConflict if someone saved in between. Commits."""
    check_version(account, version)
    tracked = audit.Tracked(account, FIELDS)
    _apply(account, data)
    changed = tracked.record("account.updated", actor_id=actor_id, subject_type="account", subject_id=account.id)
    commit()
    return changed


def account_names(ids: set[int]) -> dict[int, str]:
    """Accounts' names by id, for history lines (one query)."""
    return dict(db.session.execute(select(Account.id, Account.name).where(Account.id.in_(ids))).all())


def get_account(account_id: int) -> Account | None:
    return db.session.get(Account, account_id)


BY_NAME = Keyset(Account.name_key, Account.id)


def search(query: str | None, *, after: str | None = None, limit: int = 25, country: str | None = None) -> Page:
    """Accounts whose name contains the words typed, by name, a keyset page at a time. The first page of every
    account (or of one country's) runs a statement built once."""
    key = normalise_company(query) if query else ""
    if not key and not after:
        stmt = built_once(lambda: BY_NAME.after(
            select(Account).where(Account.country == bindparam("country")) if country else select(Account), None)
            .limit(limit + 1), limit, bool(country))
        return BY_NAME.page(stmt, None, limit=limit, prepared=True, params={"country": country})
    stmt = select(Account)
    if key:
        stmt = stmt.where(search_index.matching(
            Account.id, "accounts_fts", [search_index.Term("name_key", Account.name_key, key),
                                         search_index.Term("domain", Account.domain, query.strip().lower())],
            prefix=Account.name_key, prefix_value=key))
    if country:
        stmt = stmt.where(Account.country == country)
    return BY_NAME.page(stmt, after, limit=limit)


# The page's head counts up to this many, then says "more than": counting every account read the whole index, a
# cost that grew with the workspace.
COUNT_CAP = 1000


def count_accounts(cap: int | None = None) -> int:
    """How many accounts the workspace has, up to cap + 1 (more than the cap reads "more than")."""
    cap = COUNT_CAP if cap is None else cap
    # Labelled: the ORM and Core name the count alike, so the read runs as Core (tenants.scoping._core_form).
    stmt = built_once(lambda: select(func.count().label("accounts")).select_from(
        select(Account.id).limit(cap + 1).subquery()), cap)
    return db.session.scalar(stmt) or 0


def any_account():
    """A SQL condition: the workspace has an account."""
    return select(Account.id).exists()


@dataclass
class ContactData:
    name: str
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None
    notes: str | None = None


CONTACT_FIELDS = ("name", "job_title", "email", "phone", "language", "notes")


def add_contact(account: Account, data: ContactData, *, actor_id: int | None) -> Contact:
    """A new person at the account; the caller commits."""
    contact = Contact(account_id=account.id, **{f: getattr(data, f) for f in CONTACT_FIELDS})
    contact.phone = stored_phone(contact.phone, account.country)
    db.session.add(contact)
    db.session.flush()
    audit.record("account.contact_added", actor_id=actor_id, subject_type="account", subject_id=account.id,
                 details={"contact": contact.name})
    return contact


def update_contact(contact: Contact, data: ContactData, *, actor_id: int | None) -> None:
    """Save a contact's edits, the phone in international form read in the account's country; the caller commits."""
    tracked = audit.Tracked(contact, CONTACT_FIELDS)
    for field in CONTACT_FIELDS:
        setattr(contact, field, getattr(data, field))
    country = db.session.scalar(select(Account.country).where(Account.id == contact.account_id))
    contact.phone = stored_phone(contact.phone, country)
    tracked.record("account.contact_updated", actor_id=actor_id, subject_type="account",
                   subject_id=contact.account_id, details={"contact": contact.name})


def contacts_of(account: Account) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.account_id == account.id).order_by(Contact.name)))


def get_contact(contact_id: int) -> Contact | None:
    return db.session.get(Contact, contact_id)


def delete_contact(contact: Contact, *, actor_id: int | None) -> None:
    audit.record("account.contact_removed", actor_id=actor_id, subject_type="account", subject_id=contact.account_id,
                 details={"contact": contact.name})
    db.session.delete(contact)
