"""How a feature plugs in: each package's __init__.py declares one Feature, create_app() installs it.

A feature never edits another module's tables at import time. What it adds to the whole app (its
blueprint, template filters, tick jobs, panels on other features' pages, audit and field labels, demo
data, signal listeners) is declared here and registered per app, in the order of FEATURES.

Features are layered: a package imports only features before it in FEATURES. Where a lower page
shows something of a higher feature (an account's contracts, a contract's deliverables, a lead's
answers), the higher feature contributes a panel to a slot the lower page renders.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, current_app

# Lower layers first: each package may import the ones before it, never those after it.
FEATURES = (
    "mail", "files", "home", "auth", "signup", "profile", "team", "audit", "settings", "rates",
    "accounts", "contracts", "deliverables", "billing", "renewals",
    "leads", "questionnaire", "activities", "bonuses", "imports", "webform",
    "events", "collateral",
    "distributors", "portal",
    "reports", "hygiene", "cover",
    "cases", "traffic", "nudges",
)

# A panel: called with the slot's subject (and a page's overrides); returns (template, context) or None.
Panel = Callable[..., "tuple[str, dict] | None"]


@dataclass
class Feature:
    name: str
    blueprint: Blueprint | None = None
    filters: dict[str, Callable] = field(default_factory=dict)
    globals: dict[str, Any] = field(default_factory=dict)
    # (name, job(app) -> summary dict[, order]) run by `coordina tick`, each on its own, by order (default 50)
    jobs: list[tuple] = field(default_factory=list)
    # slot -> [(order, panel)]: "home", "account" (an Account), "contract", "contract_settings", "lead"
    panels: dict[str, list[tuple[int, Panel]]] = field(default_factory=dict)
    # name -> callables other features ask for by name (e.g. "lead_summary": what a rep is told at hand-off)
    hooks: dict[str, Callable] = field(default_factory=dict)
    # area -> [(order, endpoint, label, roles or None for every member)]: the feature's tab in another's area
    tabs: dict[str, list[tuple]] = field(default_factory=dict)
    audit_labels: dict[str, Any] = field(default_factory=dict)
    # field name in audit details -> its label, and -> how its values read (web.history: a formatter, Names of
    # records, or HIDDEN); "kind:field" (kind = the action's first part, "deliverable:status") wins over "field"
    field_labels: dict[str, Any] = field(default_factory=dict)
    field_values: dict[str, Any] = field(default_factory=dict)
    demo: Callable | None = None
    # (blinker signal, receiver): connected for this app only
    listeners: list[tuple[Any, Callable]] = field(default_factory=list)
    # anything else the feature must set up on the app (rarely needed)
    setup: Callable[[Flask], None] | None = None

    def init_app(self, app: Flask) -> None:
        registry = app.extensions["coordina"]
        if self.blueprint is not None:
            app.register_blueprint(self.blueprint)
        app.jinja_env.filters.update(self.filters)
        app.jinja_env.globals.update(self.globals)
        for job in self.jobs:
            registry.jobs.append((job[2] if len(job) > 2 else 50, job[0], job[1]))
        registry.jobs.sort(key=lambda item: item[0])
        for slot, panels in self.panels.items():
            registry.panels.setdefault(slot, []).extend(panels)
            registry.panels[slot].sort(key=lambda item: item[0])
        for name, hook in self.hooks.items():
            registry.hooks.setdefault(name, []).append(hook)
        for area, entries in self.tabs.items():
            registry.tabs.setdefault(area, []).extend(entries)
            registry.tabs[area].sort(key=lambda item: item[0])
        registry.audit_labels.update(self.audit_labels)
        registry.field_labels.update(self.field_labels)
        registry.field_values.update(self.field_values)
        if self.demo is not None:
            registry.demos.append(self.demo)
        for signal, receiver in self.listeners:
            signal.connect(receiver, sender=app, weak=False)
        if self.setup is not None:
            self.setup(app)
        registry.features.append(self)


@dataclass
class Registry:
    """What the installed features added, per app."""

    features: list[Feature] = field(default_factory=list)
    jobs: list[tuple[int, str, Callable]] = field(default_factory=list)  # (order, name, job)
    panels: dict[str, list[tuple[int, Panel]]] = field(default_factory=dict)
    hooks: dict[str, list[Callable]] = field(default_factory=dict)
    tabs: dict[str, list[tuple]] = field(default_factory=dict)
    audit_labels: dict[str, Any] = field(default_factory=dict)
    field_labels: dict[str, Any] = field(default_factory=dict)
    field_values: dict[str, Any] = field(default_factory=dict)
    demos: list[Callable] = field(default_factory=list)


def install(app: Flask) -> Registry:
    """Import every feature package and install its Feature, lowest layer first."""
    registry = app.extensions["coordina"] = Registry()
    for name in FEATURES:
        importlib.import_module(f"{__package__}.{name}").feature.init_app(app)
    return registry


def registry() -> Registry:
    return current_app.extensions["coordina"]


def panels(slot: str, *args, **overrides) -> list[tuple[str, dict]]:
    """The panels features contribute to a slot, for this reader and subject, in order."""
    shown = []
    for _order, panel in registry().panels.get(slot, []):
        result = panel(*args, **overrides)
        if result is not None:
            shown.append(result)
    return shown


def hooks(name: str) -> list[Callable]:
    return registry().hooks.get(name, [])


def tabs(area: str, role) -> list[tuple[str, Any]]:
    """(endpoint, label) of an area's tabs this role may open, in order."""
    return [(endpoint, label) for _order, endpoint, label, roles in registry().tabs.get(area, [])
            if roles is None or role in roles]
