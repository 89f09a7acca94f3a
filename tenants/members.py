"""Who belongs to which tenant. Membership is shared, so its tenant filters live here, in the kernel."""
from __future__ import annotations

from functools import cache
from typing import NamedTuple

from flask import g, has_request_context
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from . import reference
from .db import db
from .models import Membership, Role, Tenant, User
from .pager import Keyset, Page
from .scoping import acting_as, current_tenant_id, prebuilt, read_entering, read_shared


def find_membership(slug: str, user_id: int) -> Membership | None:
    """The person's membership in the tenant with this slug (tenant loaded with it), from their memberships: the
    layout's workspace switcher lists the same rows, so a page reads them once (entering the tenant as it reads them,
    tenants.scoping.read_entering)."""
    return next((m for m in memberships_of(user_id, entering=slug) if m.tenant.slug == slug), None)


@cache
def _memberships_statement():
    """memberships_of's statement, read on every request: built once (tenants.scoping.prebuilt), on first use,
    when every model is mapped."""
    # The workspace is joined once, for the order and the object (its joined load would join it again).
    return prebuilt(select(Membership).join(Membership.tenant).options(contains_eager(Membership.tenant))
                    .where(Membership.user_id == bindparam("user_id")).order_by(Tenant.name))


# The three tables' columns as memberships_of's rows carry them: (model, prefix of its labels).
_PARTS = ((Membership, "m_"), (Tenant, "t_"), (User, "u_"))


@cache
def _rows_statement():
    """The same read as plain rows (every column of the membership, its workspace and its person): compared with
    the rows of the person's last request, they say whether the objects built then still hold."""
    m, t, u = (model.__table__ for model, _prefix in _PARTS)
    return prebuilt(select(*(c.label(prefix + c.key) for (model, prefix) in _PARTS for c in model.__table__.c))
                    .join_from(m, t, t.c.id == m.c.tenant_id).join(u, u.c.id == m.c.user_id)
                    .where(m.c.user_id == bindparam("user_id")).order_by(t.c.name, m.c.id))


# Per person: their memberships' rows as last read, and objects built from them, in no session (detached). A request
# whose rows are the same copies these into its session (Session.merge without a load), instead of the ORM loading
# three objects a workspace from the rows again: a fifth of the instructions of a small page went there.
_built: dict[int, tuple[tuple, list[Membership]]] = {}
KEPT_PEOPLE = 10_000


def _detached(rows) -> list[Membership]:
    """Membership objects (workspace and person set) holding these rows, as if just loaded and then detached."""
    made: dict[tuple, object] = {}

    def build(model, prefix, row):
        mapping = row._mapping
        key = (model, mapping[prefix + "id"])
        if key not in made:
            obj = model(**{prop.key: mapping[prefix + prop.columns[0].key]
                           for prop in model.__mapper__.column_attrs})
            make_transient_to_detached(obj)
            made[key] = obj
        return made[key]

    found = []
    for row in rows:
        membership, tenant, user = (build(model, prefix, row) for model, prefix in _PARTS)
        # Set as loaded, not as changes: no back-reference fills the person's (lazy="raise") list of memberships.
        set_committed_value(membership, "tenant", tenant)
        set_committed_value(membership, "user", user)
        found.append(membership)
    return found


def memberships_of(user_id: int, *, entering: str | None = None) -> list[Membership]:
    """Every workspace the person belongs to, by name (on PostgreSQL, read as that person), read once a request."""
    kept = g.get("_memberships_of") if has_request_context() else None
    if kept is not None and kept[0] == user_id:
        return kept[1]
    session = db.session
    with acting_as(user_id):
        if len(session.identity_map):
            # Objects already in the session (a sign-in's person) are the ORM's to refresh: a copy would overwrite them.
            found = list(session.scalars(_memberships_statement(), {"user_id": user_id}))
        else:
            statement, params = _rows_statement(), {"user_id": user_id}
            if entering is None:
                read = list(read_shared(statement, params))
            else:
                tenants = Tenant.__table__.c
                read = read_entering(statement, params, tenants.id, tenants.slug, entering)
            width = len(statement.selected_columns)  # read_entering's rows may carry one more
            rows = tuple(tuple(row)[:width] for row in read)
            known = _built.get(user_id)
            if known is None or known[0] != rows:
                if len(_built) >= KEPT_PEOPLE:
                    _built.clear()
                known = _built[user_id] = (rows, _detached(read))
            found = [session.merge(m, load=False) for m in known[1]]
    if has_request_context():
        g._memberships_of = (user_id, found)
    return found


BY_NAME = Keyset(User.name, Membership.id, values=lambda m: (m.user.name, m.id))


def members_page(tenant_id: int, *, after: str | None = None, limit: int = 50) -> Page:
    """A keyset page of a tenant's members ordered by name."""
    return BY_NAME.page(select(Membership).join(Membership.user).where(Membership.tenant_id == tenant_id), after,
                        limit=limit)


def member(tenant_id: int, membership_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.tenant_id == tenant_id, Membership.id == membership_id)
    )


def member_by_user(tenant_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
    )


def members_with_roles(tenant_id: int, roles: tuple[Role, ...]) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(Membership.tenant_id == tenant_id, Membership.role.in_([r.value for r in roles]))
            .order_by(User.name)
        )
    )


def member_users(tenant_id: int, roles: tuple[Role, ...]) -> list[User]:
    """The tenant's people in these roles, by name: the people alone (members_with_roles loads each membership
    with its workspace too)."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant_id, Membership.role.in_([r.value for r in roles]))
        .order_by(User.name)))


class Person(NamedTuple):
    id: int
    name: str


def person(person_id: int | None, name: str | None) -> Person | None:
    """The person a plain row names by id and name, or None where it names nobody (an outer join found none)."""
    return Person(person_id, name) if person_id is not None else None


def member_names(tenant_id: int, roles: tuple[Role, ...]) -> list[Person]:
    """The (id, name) of the tenant's people in these roles, by name: what a select of people shows (most lists'
    filters), read as two columns (members_with_roles loads each membership with its person and workspace). For the
    current workspace, kept per process until its people change (tenants.reference)."""
    values = [r.value for r in roles]

    def read(_session=None) -> tuple[Person, ...]:
        # Two shared tables: read as plain Core (the ORM's per-statement work was most of this read's cost).
        return tuple(Person._make(row) for row in read_shared(_PEOPLE, {"tenant_id": tenant_id, "roles": values}))

    if tenant_id != current_tenant_id():
        return list(read())
    return list(reference.kept("people:" + ",".join(values), read))


# A change of who belongs, in which role, or of a person's name: the workspace's lists of people are read again.
reference.watch(Membership)
reference.watch_people()


# A list's people filter reads it on most pages: built once (tenants.scoping.prebuilt).
_PEOPLE = prebuilt(select(User.id, User.name).join(Membership, Membership.user_id == User.id)
                   .where(Membership.tenant_id == bindparam("tenant_id"),
                          Membership.role.in_(bindparam("roles", expanding=True)))
                   .order_by(User.name))


def owner_count(tenant_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.tenant_id == tenant_id, Membership.role == Role.owner.value
        )
    ) or 0


def has_company(tenant_id: int):
    """A SQL condition, true when the tenant has more than one member (for a query that asks several things)."""
    return select(func.count()).select_from(Membership).where(Membership.tenant_id == tenant_id) \
        .scalar_subquery() > 1


def add_member(tenant: Tenant, user: User, role: Role, *, distributor_id: int | None = None) -> Membership:
    membership = Membership(tenant_id=tenant.id, user_id=user.id, role=role.value, distributor_id=distributor_id)
    if has_request_context():
        g.pop("_memberships_of", None)  # the request's list no longer holds every workspace
    db.session.add(membership)
    return membership


def partner_users(tenant_id: int, distributor_id: int) -> list[Membership]:
    """The portal users of one distributor, by name."""
    return list(
        db.session.scalars(
            select(Membership).join(Membership.user)
            .where(Membership.tenant_id == tenant_id, Membership.distributor_id == distributor_id,
                   Membership.role == Role.distributor.value)
            .order_by(User.name)
        )
    )
