"""Distributors (partners abroad) for staff: tiers, partners and the people there, portal users bound to one
partner. The partner's own side is the portal (web/portal)."""
from flask_babel import lazy_gettext as _l

from tenants.scoping import allow_partner_inserts, allow_partner_reads

from ..features import Feature
from ..history import Names, as_country, as_currency, as_language
from ..leads.signals import lead_converted
from . import (
    models,  # noqa: F401  (the tables, before anything reads them)
    registrations,
)
from .demo import seed
from .routes import bp, contract_panel, lead_panel
from .service import distributor_names

DISTRIBUTORS = Names("distributors", distributor_names)


def percent(value) -> str:
    """12.5 (percent) as the reader writes it: 12.5%, 12,5%."""
    from babel.numbers import format_percent
    from flask_babel import get_locale

    return "" if value is None else format_percent(value / 100, format="#,##0.##%", locale=get_locale())


def _setup(app):
    # The portal reads the tiers (its own terms) whole; what partners do leaves an audit trail.
    allow_partner_reads("distributor_tiers", "distributor_products", "distributor_tier_prices", "corporate_rates")
    allow_partner_inserts("audit_events")


feature = Feature(
    "distributors", blueprint=bp, demo=seed, setup=_setup, filters={"percent": percent},
    jobs=[("distributors", registrations.run)], panels={"lead": [(40, lead_panel)], "contract": [(30, contract_panel)]},
    listeners=[(lead_converted, registrations.credit_contract)],
    audit_labels={
        "distributor.created": _l("Distributor added"),
        "distributor.updated": _l("Distributor changed"),
        "distributor.contact_added": _l("Contact added"),
        "distributor.contact_removed": _l("Contact removed"),
        "distributor.portal_invited": _l("Invited to the portal"),
        "distributor.tier_created": _l("Tier added"),
        "distributor.tier_updated": _l("Tier changed"),
        "distributor.product_created": _l("Product added"),
        "distributor.product_updated": _l("Product changed"),
        "distributor.tier_price_set": _l("Tier price set"),
        "distributor.tier_price_removed": _l("Tier price removed"),
        "lead.offered": _l("Passed to a partner"),
        "lead.offer_accepted": _l("Accepted by the partner"),
        "lead.offer_declined": _l("Declined by the partner"),
        "lead.offer_returned": _l("Back from the partner unanswered"),
        "lead.offer_outcome": _l("Outcome from the partner"),
        "order.placed": _l("Order placed"),
        "order.confirmed": _l("Order confirmed"),
        "order.shipped": _l("Order shipped"),
        "order.delivered": _l("Order delivered"),
        "order.invoiced": _l("Order invoiced"),
        "registration.submitted": _l("Deal registered"),
        "registration.approved": _l("Registration approved"),
        "registration.rejected": _l("Registration rejected"),
        "registration.expired": _l("Exclusivity ended"),
    },
    field_labels={f"distributor:{name}": label for name, label in {
        "countries": _l("territory"), "tier_id": _l("tier"), "coordinator_id": _l("coordinator"),
        "agreement_starts_on": _l("agreement starts"), "agreement_ends_on": _l("agreement ends"),
        "discount_percent": _l("discount"), "exclusivity_days": _l("exclusivity (days)"),
        "lead_sla_hours": _l("time to answer a lead (hours)"), "benefits": _l("benefits"), "rank": _l("rank"),
        "name": _l("name"), "language": _l("language"), "currency": _l("currency"), "website": _l("website"),
        "notes": _l("notes"), "contact": _l("contact"), "email": _l("email")}.items()},
    field_values={"distributor:language": as_language, "distributor:currency": as_currency,
                  "distributor:countries": lambda codes: ", ".join(as_country(c) for c in codes or ()),
                  "distributor_id": DISTRIBUTORS},
)
