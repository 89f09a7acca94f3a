"""Email: written to an outbox in the same transaction as the change, delivered over SMTP by `coordina tick`."""
from .service import deliver_due, send_email  # noqa: F401
