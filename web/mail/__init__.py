"""Email: written to an outbox in the same transaction as the change, delivered over SMTP by `coordina tick`."""
from ..features import Feature
from .service import deliver_due, send_email


def _deliver_outbox(app) -> dict:
    return deliver_due()


# Last in every tick, so what the other jobs queued goes out in the same run.
feature = Feature("mail", jobs=[("outbox", _deliver_outbox, 90)])

__all__ = ["feature", "send_email", "deliver_due"]
