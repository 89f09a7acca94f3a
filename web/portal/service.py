"""What a partner reads and does in the portal. Every query here is bare: the partner scope (set by the kernel
for a distributor membership) narrows it to the partner's own distributor, so no view filters by hand."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tenants.db import db

from ..distributors.models import Distributor


def my_distributor() -> Distributor | None:
    """The partner's own distributor, with its tier and coordinator; None when the membership is bound to none."""
    return db.session.scalar(
        select(Distributor).options(joinedload(Distributor.tier), joinedload(Distributor.coordinator)))
