"""The Flask extensions, created once here and bound to an app in create_app()."""
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
