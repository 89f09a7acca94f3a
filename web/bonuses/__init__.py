"""Coordinator bonuses: the tenant's rule, one entry when a teed-up lead's first contract is signed, and the
ledger per coordinator and period in the base currency."""
from flask_babel import lazy_gettext as _l

from tenants.models import SEES_ALL

from ..contracts.signals import contract_signed
from ..features import Feature
from ..history import PEOPLE, as_currency, as_money, as_number, labelled
from . import demo, service
from .models import BONUS_RULE_LABELS
from .routes import bp


def _catch_up(app) -> dict:
    return {"credited": service.catch_up_all()}


feature = Feature(
    "bonuses", blueprint=bp, demo=demo.seed,
    jobs=[("bonuses", _catch_up)],
    listeners=[(contract_signed, service.credit_on_signing)],
    tabs={"leads": [(50, "bonuses.index", _l("Bonuses"), SEES_ALL)]},
    audit_labels={"lead.bonus_earned": _l("Coordinator bonus earned")},
    field_labels={"coordinator": _l("coordinator"), "bonus": _l("bonus"), "contract_value": _l("contract value"),
                  "bonus_rule": _l("bonus rule"), "bonus_amount": _l("bonus amount"),
                  "bonus_currency": _l("bonus currency"), "bonus_percent": _l("bonus percentage")},
    field_values={"coordinator": PEOPLE, "bonus": as_money, "contract_value": as_money,
                  "bonus_rule": labelled(BONUS_RULE_LABELS), "bonus_amount": as_number, "bonus_currency": as_currency,
                  "bonus_percent": as_number},
)
