"""Partners' orders: placed from their price list at the prices and the rate of the day (kept on the order),
then confirmed, shipped, delivered and invoiced by staff; the partner's users and their coordinator are told by
email at each step, each in their own language. Never reads `request`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from i18n.money import rounded
from tenants import audit, members
from tenants.db import check_version, commit, db, utcnow
from tenants.models import Tenant, User
from tenants.pager import Keyset, Page

from ..links import public_url_for
from ..mail import send_email
from . import catalogue
from .models import Distributor, Order, OrderLine, OrderStatus

MAX_QUANTITY = 1_000_000


class OrderError(ValueError):
    """An order the rules refuse; `reason` says which rule (the view words it for the reader)."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason, self.details = reason, details


def place(distributor: Distributor, tenant: Tenant, quantities: dict[int, int], *, notes: str | None,
          actor_id: int | None, on: date | None = None, country: str | None = None) -> Order:
    """A partner's order of these quantities to ship to `country` (else their first territory country), priced
    from their price list now; commits.

    OrderError: "empty" (nothing ordered), "quantity" (not a whole number from 1), "unknown" (a product that is
    not on their list), "rate" (no exchange rate to their currency: never priced at 1), "country" (nowhere to
    ship: none given and no territory)."""
    country = country or first_country(distributor)
    if not country:
        raise OrderError("country")
    wanted = {pid: qty for pid, qty in quantities.items() if qty}
    if not wanted:
        raise OrderError("empty")
    if any(qty < 0 or qty > MAX_QUANTITY for qty in wanted.values()):
        raise OrderError("quantity")
    prices = catalogue.price_list(distributor, tenant, on=on, only=set(wanted))
    rows = {row.product.id: row for row in prices.rows}
    unknown = sorted(set(wanted) - set(rows))
    if unknown:
        raise OrderError("unknown", ids=unknown)
    if not prices.rated:
        raise OrderError("rate", currency=prices.missing_rate or distributor.currency)
    order = Order(distributor_id=distributor.id, country=country, currency=distributor.currency, base_currency=prices.base_currency,
                  fx_rate=prices.rate, fx_rate_date=prices.rate_date, fx_source=prices.source, notes=notes,
                  created_by_id=actor_id, total_amount=0, base_total=0)
    db.session.add(order)
    db.session.flush()
    total = base_total = 0
    for pid, qty in wanted.items():
        row = rows[pid]
        line_total = rounded(row.price.amount * qty, order.currency)
        db.session.add(OrderLine(order_id=order.id, distributor_id=distributor.id, product_id=pid,
                                 product_code=row.product.code, product_name=row.product.name_in(distributor.language),
                                 unit=row.product.unit, quantity=qty, base_unit_price=row.base.amount,
                                 unit_price=row.price.amount, line_total=line_total))
        total += line_total
        base_total += rounded(row.base.amount * qty, order.base_currency)
    order.total_amount, order.base_total = total, base_total
    audit.record("order.placed", actor_id=actor_id, subject_type="order", subject_id=order.id,
                 details={"distributor_id": distributor.id, "country": country,
                          "total": f"{order.total_amount} {order.currency}"})
    _tell(order, tenant, distributor, staff_only=True)
    commit()
    return order


def first_country(distributor: Distributor) -> str | None:
    """Where a partner's orders ship unless they say otherwise: the first country of their territory."""
    return next(iter(distributor.countries or ()), None)


NEWEST = Keyset(Order.id.desc())


def page(*, after: str | None = None, status: str | None = None, distributor_id: int | None = None,
         limit: int = 25) -> Page:
    """Orders newest first with their partner (one query a page)."""
    stmt = select(Order).options(joinedload(Order.distributor))
    if status:
        stmt = stmt.where(Order.status == status)
    if distributor_id:
        stmt = stmt.where(Order.distributor_id == distributor_id)
    return NEWEST.page(stmt, after, limit=limit)


def counts_by_status() -> dict[str, int]:
    return dict(db.session.execute(select(Order.status, func.count()).group_by(Order.status)).all())


def get(order_id: int) -> Order | None:
    """An order with its partner and lines (two queries)."""
    return db.session.scalar(select(Order).options(joinedload(Order.distributor), selectinload(Order.lines))
                             .where(Order.id == order_id))


def order_names(ids: set[int]) -> dict[int, str]:
    return {i: f"PO-{i:05d}" for i in ids}


def _tell(order: Order, tenant: Tenant, distributor: Distributor, *, staff_only: bool = False) -> None:
    """Mail the partner's portal users and their coordinator, each in their own language."""
    if not staff_only:
        link = public_url_for("portal.order", order_id=order.id, tenant=tenant.slug)
        for membership in members.partner_users(tenant.id, distributor.id):
            user = membership.user
            send_email(user.email, "order_status", user.locale or distributor.language, order=order, user=user,
                       distributor=distributor, tenant=tenant, link=link, partner=True)
    coordinator = db.session.get(User, distributor.coordinator_id) if distributor.coordinator_id else None
    if coordinator is not None:
        send_email(coordinator.email, "order_status", coordinator.locale or tenant.default_locale, order=order,
                   user=coordinator, distributor=distributor, tenant=tenant, partner=False,
                   link=public_url_for("distributors.order", order_id=order.id, tenant=tenant.slug))


# The steps in order: each one from the status before it.
STEPS = {
    "confirm": (OrderStatus.submitted, OrderStatus.confirmed, "confirmed_at"),
    "ship": (OrderStatus.confirmed, OrderStatus.shipped, "shipped_at"),
    "deliver": (OrderStatus.shipped, OrderStatus.delivered, "delivered_at"),
    "invoice": (OrderStatus.delivered, OrderStatus.invoiced, "invoiced_at"),
}


@dataclass
class Shipment:
    carrier: str
    tracking: str | None
    incoterm: str
    export_papers: str | None


def advance(order: Order, tenant: Tenant, step: str, *, version: int | None, actor: User,
            shipment: Shipment | None = None, invoice_number: str | None = None) -> Order:
    """Move the order one step on (confirm, ship, deliver, invoice) and tell both sides; commits.

    EditConflict when it changed meanwhile; OrderError("step") when it is not at the step before."""
    check_version(order, version)
    before, after, stamp = STEPS[step]
    if order.status != before.value:
        raise OrderError("step")
    order.status = after.value
    setattr(order, stamp, utcnow())
    details = {"status": [before.value, after.value]}
    if shipment is not None:
        order.carrier, order.tracking = shipment.carrier, shipment.tracking
        order.incoterm, order.export_papers = shipment.incoterm, shipment.export_papers
        details.update(carrier=shipment.carrier, tracking=shipment.tracking, incoterm=shipment.incoterm)
    if invoice_number is not None:
        order.invoice_number = invoice_number
        details["invoice_number"] = invoice_number
    audit.record(f"order.{after.value}", actor_id=actor.id, subject_type="order", subject_id=order.id,
                 details=details)
    _tell(order, tenant, order.distributor)
    commit()
    return order
