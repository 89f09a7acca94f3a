"""Products and price lists: a base price in the tenant's currency, a tier's discount or its explicit price, and
the partner's list in their own currency at the tenant's rate (kept with its date and source). A missing rate
is said, never taken as 1. Never reads `request`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from i18n import fx
from i18n.money import Money, rounded
from tenants import audit
from tenants.db import check_version, commit, db
from tenants.models import Tenant
from tenants.pager import Keyset, Page

from .models import Distributor, Product, Tier, TierPrice


class CatalogueError(ValueError):
    """A catalogue change the rules refuse, with the reader's explanation."""


@dataclass
class ProductData:
    code: str
    names: dict
    unit: str
    base_price: Decimal
    active: bool = True


BY_CODE = Keyset(Product.code, Product.id)


def products_page(*, after: str | None = None, limit: int = 50) -> Page:
    return BY_CODE.page(select(Product), after, limit=limit)


def all_products() -> list[Product]:
    """Every product by code, for a tier's price list (a catalogue of hundreds, not millions)."""
    return list(db.session.scalars(select(Product).order_by(Product.code, Product.id)))


def get_product(product_id: int) -> Product | None:
    return db.session.get(Product, product_id)


def _code_taken(code: str, but: int | None = None) -> bool:
    stmt = select(Product.id).where(Product.code == code)
    if but is not None:
        stmt = stmt.where(Product.id != but)
    return db.session.scalar(stmt) is not None


def create_product(tenant: Tenant, data: ProductData, *, actor_id: int | None) -> Product:
    """A new product priced in the tenant's base currency; commits. CatalogueError when the code is taken."""
    if _code_taken(data.code):
        raise CatalogueError("taken")
    product = Product(code=data.code, names=data.names, unit=data.unit, active=data.active,
                      base_price=rounded(data.base_price, tenant.base_currency), base_currency=tenant.base_currency)
    db.session.add(product)
    db.session.flush()
    audit.record("distributor.product_created", actor_id=actor_id, subject_type="product", subject_id=product.id,
                 details={"code": product.code})
    commit()
    return product


def update_product(product: Product, data: ProductData, *, version: int | None, actor_id: int | None) -> None:
    """Save a product edited on `version`; commits. (Orders keep the prices they were placed at.)"""
    check_version(product, version)
    if _code_taken(data.code, but=product.id):
        raise CatalogueError("taken")
    tracked = audit.Tracked(product, ("code", "unit", "base_price", "active"))
    product.code, product.names, product.unit, product.active = data.code, data.names, data.unit, data.active
    product.base_price = rounded(data.base_price, product.base_currency)
    tracked.record("distributor.product_updated", actor_id=actor_id, subject_type="product", subject_id=product.id)
    commit()


def tier_prices(tier: Tier) -> dict[int, Decimal]:
    """The tier's explicit prices by product id (one query)."""
    return dict(db.session.execute(select(TierPrice.product_id, TierPrice.price).where(TierPrice.tier_id == tier.id)).all())


def set_tier_price(tier: Tier, product: Product, price: Decimal, *, actor_id: int | None) -> None:
    """Give the tier an explicit price for the product (replacing its discount there); commits."""
    row = db.session.scalar(select(TierPrice).where(TierPrice.tier_id == tier.id, TierPrice.product_id == product.id))
    if row is None:
        row = TierPrice(tier_id=tier.id, product_id=product.id, price=Decimal(0))
        db.session.add(row)
    row.price = rounded(price, product.base_currency)
    audit.record("distributor.tier_price_set", actor_id=actor_id, subject_type="tier", subject_id=tier.id,
                 details={"code": product.code, "price": f"{row.price} {product.base_currency}"})
    commit()


def remove_tier_price(tier: Tier, product: Product, *, actor_id: int | None) -> bool:
    row = db.session.scalar(select(TierPrice).where(TierPrice.tier_id == tier.id, TierPrice.product_id == product.id))
    if row is None:
        return False
    db.session.delete(row)
    audit.record("distributor.tier_price_removed", actor_id=actor_id, subject_type="tier", subject_id=tier.id,
                 details={"code": product.code})
    commit()
    return True


@dataclass
class PriceRow:
    product: Product
    base: Money  # the tier's price in the tenant's currency
    explicit: bool  # an explicit tier price rather than the discount
    price: Money | None  # in the partner's currency; None when there is no rate


@dataclass
class PriceList:
    currency: str
    base_currency: str
    rows: list[PriceRow]
    rate: Decimal | None
    rate_date: date | None
    source: str | None
    missing_rate: str | None  # the currency that has no rate, when one is missing

    @property
    def rated(self) -> bool:
        return self.rate is not None


def tier_price(product: Product, tier: Tier | None, explicit: dict[int, Decimal]) -> tuple[Decimal, bool]:
    """The tier's price of a product in the base currency: its explicit price, else the base less the discount."""
    if product.id in explicit:
        return explicit[product.id], True
    discount = tier.discount_percent if tier is not None else Decimal(0)
    return rounded(product.base_price * (100 - discount) / 100, product.base_currency), False


def price_list(distributor: Distributor, tenant: Tenant, *, on: date | None = None,
               only: set[int] | None = None) -> PriceList:
    """The partner's prices: every active product at their tier's price, in their currency at today's rate."""
    on = on or date.today()
    tier = db.session.get(Tier, distributor.tier_id) if distributor.tier_id else None  # from the identity map when loaded
    explicit = tier_prices(tier) if tier is not None else {}
    stmt = select(Product).where(Product.active.is_(True)).order_by(Product.code, Product.id)
    if only is not None:
        stmt = stmt.where(Product.id.in_(only))
    products = list(db.session.scalars(stmt))
    rate = rate_date = source = missing = None
    try:
        unit = fx.convert(Money(Decimal(1), tenant.base_currency), distributor.currency, on)
        rate, rate_date, source = unit.rate, unit.rate_date, unit.source
    except fx.RateUnavailable as exc:
        missing = exc.currency
    rows = []
    for product in products:
        base, is_explicit = tier_price(product, tier, explicit)
        price = Money(rounded(base * rate, distributor.currency), distributor.currency) if rate is not None else None
        rows.append(PriceRow(product, Money(base, product.base_currency), is_explicit, price))
    return PriceList(distributor.currency, tenant.base_currency, rows, rate, rate_date, source, missing)
