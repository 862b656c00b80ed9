"""Flask extensions, created unbound so the app factory can configure them."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from confman.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to continue."
login_manager.login_message_category = "info"
csrf = CSRFProtect()
compress = Compress()  # gzip or brotli, as the client accepts
# Storage from CONFMAN_RATELIMIT_STORAGE_URI: memory:// by default, redis://... when several workers must share counts.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()  # interface translations; the locale selector is set in create_app
