"""The tenant's audit trail, for admins; each feature names its own actions."""
from ..features import Feature
from .routes import audit_label, bp

feature = Feature("audit", blueprint=bp, filters={"audit_label": audit_label})
