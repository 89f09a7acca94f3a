"""Panels on a tenant's home page: each feature adds what a person should see first thing.

A panel is a function returning (template, context) or None when it has nothing to show this person.
Each must run a constant number of queries, whatever the amount of data.
"""
from __future__ import annotations

from collections.abc import Callable

PANELS: list[tuple[int, Callable[[], tuple[str, dict] | None]]] = []


def panel(order: int = 50):
    """Register a home panel; lower `order` shows first."""

    def register(fn):
        PANELS.append((order, fn))
        PANELS.sort(key=lambda item: item[0])
        return fn

    return register


def render_panels() -> list[tuple[str, dict]]:
    shown = []
    for _order, fn in PANELS:
        result = fn()
        if result is not None:
            shown.append(result)
    return shown
