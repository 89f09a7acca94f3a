"""Contracts: what was sold to whom, numbered, in any currency, locked in the base currency when signed."""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..accounts import ACCOUNTS
from ..features import Feature
from ..history import PEOPLE, as_date, as_money, as_number, as_rate, as_yes_no, labelled
from ..locale_context import label, locale_name
from ..templating import fx_source
from . import demo
from .models import STATUS_LABELS
from .routes import account_panel, bp, first_step


def status_label(status: str) -> str:
    return label(STATUS_LABELS, status)


_BADGES: dict[tuple[str, str], Markup] = {}


def status_badge(status: str) -> Markup:
    """A status as a badge, built once per status and language (a list shows one per row)."""
    key = (status, locale_name())
    badge = _BADGES.get(key)
    if badge is None:
        badge = Markup('<span class="badge status-{0}">{1}</span>').format(escape(status), status_label(status))
        if status in STATUS_LABELS:  # known statuses only: the cache stays as small as the list of statuses
            _BADGES[key] = badge
    return badge


feature = Feature(
    "contracts", blueprint=bp, demo=demo.seed,
    filters={"contract_status": status_label},
    globals={"status_badge": status_badge, "contract_statuses": lambda: list(STATUS_LABELS.items())},
    panels={"account": [(10, account_panel)]},
    hooks={"first_step": first_step},
    audit_labels={
        "contract.created": _l("Contract created"),
        "contract.updated": _l("Contract changed"),
        "contract.signed": _l("Contract signed"),
        "contract.cancelled": _l("Contract cancelled"),
        "contract.renewed": _l("Contract renewed"),
        "contract.document_added": _l("Document attached"),
        "contracts.settings_updated": _l("Contract settings changed"),
    },
    field_labels={
        "title": _l("title"), "value": _l("value"), "status": _l("status"), "signed_on": _l("signed on"),
        "starts_on": _l("starts"), "ends_on": _l("ends"), "notice_days": _l("notice period"),
        "auto_renew": _l("auto-renewal"), "owner_id": _l("sales rep"), "coordinator_id": _l("coordinator"),
        "account_id": _l("account"), "notes": _l("notes"), "number": _l("number"), "base": _l("base value"),
        "rate": _l("rate"), "rate_date": _l("rate date"), "source": _l("source"), "document": _l("document"),
        "contract:source": _l("rate source"), "number_prefix": _l("number prefix"), "number_digits": _l("digits"),
        "reminder_days": _l("reminder days"),
    },
    field_values={
        "contract:status": labelled(STATUS_LABELS), "value": as_money, "base": as_money, "rate": as_rate,
        "contract:source": fx_source, "signed_on": as_date, "starts_on": as_date, "ends_on": as_date,
        "rate_date": as_date, "auto_renew": as_yes_no, "notice_days": as_number, "owner_id": PEOPLE,
        "coordinator_id": PEOPLE, "account_id": ACCOUNTS,
    },
)
