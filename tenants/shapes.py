"""A list's filters as named parameters, so that its statement can be kept per shape (tenants.scoping.built_once).

A statement built for "a rep, filtered by status" runs with any rep and any status when each value is a named
bind parameter: what it depends on besides them is its shape (the kind of reader and which filters are set), and
every request passes all the values (a kept statement must never run with those it was built with). A search's
words (tenants.search.Words) add their own shape (the way they are asked) and values.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import bindparam

from .models import SEES_ALL, Role
from .scoping import built_once


def rule_of(role: Role | None) -> str:
    """Which reading rule a role's statements take: a rep's own, everything, or nothing (a shape's first part)."""
    return "rep" if role == Role.rep else "all" if role in SEES_ALL else "none"


class BoundFilters:
    """The filters `names` of a list, as parameters `<prefix>_<name>`, and its reader as `<prefix>_reader`.
    `fold` turns a value into what the statement compares (a tag in lower case)."""

    def __init__(self, prefix: str, names: tuple[str, ...], fold: dict[str, Callable] | None = None,
                 words: Callable | None = None):
        """`words(filters)`: for a list with a search box, what was typed as its search condition takes it
        (tenants.search.Words, or a tuple of them; None without a search)."""
        self.prefix, self.names, self.fold, self.words = prefix, names, fold or {}, words

    def _words(self, filters) -> tuple:
        found = self.words(filters) if self.words is not None else None
        if found is None and (getattr(filters, "q", None) or "").strip():
            raise ValueError("a search's statement depends on its words: this list has none (BoundFilters.words)")
        return () if found is None else found if isinstance(found, tuple) else (found,)

    def shape(self, role: Role | None, filters) -> tuple:
        """What a statement depends on besides its parameters: the kind of reader, which filters are set and, for
        a search, how its words are asked."""
        return self._shape(role, filters, self._words(filters))

    def values(self, user, filters) -> dict:
        """Every parameter from this request: the reader's id, each filter's value (None when not set) and the
        search's words."""
        return self._values(user, filters, self._words(filters))

    def kept(self, build, user, role: Role | None, filters, *shape) -> tuple:
        """`build()`'s statement, built once for `shape` and these filters' (tenants.scoping.built_once), and the
        parameters this request runs it with."""
        words = self._words(filters)
        return built_once(build, *shape, *self._shape(role, filters, words)), self._values(user, filters, words)

    def _shape(self, role, filters, words) -> tuple:
        return (rule_of(role), *(bool(getattr(filters, name)) for name in self.names), *(w.shape for w in words))

    def _values(self, user, filters, words) -> dict:
        out = {f"{self.prefix}_reader": user.id}
        for name in self.names:
            value = getattr(filters, name)
            fold = self.fold.get(name)
            out[f"{self.prefix}_{name}"] = fold(value) if fold is not None and value else value
        for w in words:
            out.update(w.params())
        return out

    def reader(self, user):
        """The reader's id, as the parameter a rule compares with."""
        return bindparam(f"{self.prefix}_reader", user.id)

    def params(self, user, filters) -> dict:
        """Each filter as its named parameter, holding this request's value: name -> bind parameter."""
        values = self._values(user, filters, ())
        return {name: bindparam(f"{self.prefix}_{name}", values[f"{self.prefix}_{name}"]) for name in self.names}
