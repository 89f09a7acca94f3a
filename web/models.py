"""Every model module, imported in one place so Alembic and the tests see the whole schema."""
from tenants import audit, counters, models  # noqa: F401

from .accounts import models as accounts_models  # noqa: F401
from .contracts import models as contracts_models  # noqa: F401
from .files import models as files_models  # noqa: F401
from .leads import models as leads_models  # noqa: F401
from .mail import models as mail_models  # noqa: F401
from .rates import models as rates_models  # noqa: F401
from .team import models as team_models  # noqa: F401
