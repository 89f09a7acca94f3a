"""Every model module, imported in one place so Alembic and the tests see the whole schema."""
from tenants import audit, models  # noqa: F401

from .mail import models as mail_models  # noqa: F401
from .rates import models as rates_models  # noqa: F401
from .team import models as team_models  # noqa: F401
