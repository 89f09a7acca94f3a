"""A list's filters as named parameters, so that its statement can be kept per shape (tenants.scoping.built_once).

A statement built for "a rep, filtered by status" runs with any rep and any status when each value is a named
bind parameter: what it depends on besides them is its shape (the kind of reader and which filters are set), and
every request passes all the values (a kept statement must never run with those it was built with). A search has
no shape: its conditions are built for its words.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import bindparam

from .models import SEES_ALL, Role


def rule_of(role: Role | None) -> str:
    """Which reading rule a role's statements take: a rep's own, everything, or nothing (a shape's first part)."""
    return "rep" if role == Role.rep else "all" if role in SEES_ALL else "none"


class BoundFilters:
    """The filters `names` of a list, as parameters `<prefix>_<name>`, and its reader as `<prefix>_reader`.
    `fold` turns a value into what the statement compares (a tag in lower case)."""

    def __init__(self, prefix: str, names: tuple[str, ...], fold: dict[str, Callable] | None = None):
        self.prefix, self.names, self.fold = prefix, names, fold or {}

    def shape(self, role: Role | None, filters) -> tuple:
        """What a statement depends on besides its parameters: the kind of reader and which filters are set."""
        if (getattr(filters, "q", None) or "").strip():
            raise ValueError("a search's statement is built for its words: it has no shape to keep")
        return (rule_of(role), *(bool(getattr(filters, name)) for name in self.names))

    def values(self, user, filters) -> dict:
        """Every parameter from this request: the reader's id and each filter's value (None when not set)."""
        out = {f"{self.prefix}_reader": user.id}
        for name in self.names:
            value = getattr(filters, name)
            fold = self.fold.get(name)
            out[f"{self.prefix}_{name}"] = fold(value) if fold is not None and value else value
        return out

    def reader(self, user):
        """The reader's id, as the parameter a rule compares with."""
        return bindparam(f"{self.prefix}_reader", user.id)

    def params(self, user, filters) -> dict:
        """Each filter as its named parameter, holding this request's value: name -> bind parameter."""
        values = self.values(user, filters)
        return {name: bindparam(f"{self.prefix}_{name}", values[f"{self.prefix}_{name}"]) for name in self.names}
