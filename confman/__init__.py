"""confman: conference management for multi-day virtual ministerial events."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from confman import site

PACKAGE_ROOT = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only"  # noqa: S105 - refused outside development, see _refuse_unsafe_config


def resource_dir(name: str) -> Path:
    """templates/, static/, migrations/: top level in a checkout; the wheel maps them into the package."""
    installed = PACKAGE_ROOT / name
    return installed if installed.is_dir() else PACKAGE_ROOT.parent / name


def create_app(overrides: Mapping[str, object] | None = None) -> Flask:
    """Defaults, then CONFMAN_* environment variables, then `overrides` (tests)."""
    from confman import api
    from confman.cache import cache_from_config
    from confman.cli import register_commands
    from confman.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
    from confman.services import webhook_targets
    from confman.storage import storage_from_config
    from confman.web import register_blueprints
    from confman.web.i18n import select_locale

    app = site.Confman(__name__, instance_relative_config=True,
                       template_folder=resource_dir("templates"), static_folder=resource_dir("static"))
    app.config.from_mapping(
        SECRET_KEY=DEV_SECRET_KEY,
        SQLALCHEMY_DATABASE_URI="sqlite:///confman.sqlite3",  # relative: Flask-SQLAlchemy puts it in instance/
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,  # upload views raise it to what they take (confman.site.accepts_upload)
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # tokens live as long as the login session: long forms must not expire
        ENV_NAME=os.environ.get("CONFMAN_ENV", "production"),
        UPLOAD_FOLDER=None,  # default: <instance>/uploads
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_MIMETYPES=["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                            "text/calendar", "application/xml", "text/xml", "application/atom+xml", "text/csv"],
        COMPRESS_MIN_SIZE=1024,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        LOGIN_RATE_LIMIT="10 per minute;50 per hour",
        LANGUAGES=("en", "fr", "ar"),  # interface languages with a catalogue: CONFMAN_LANGUAGES=en,fr
        TIMETABLE_STEP_MINUTES=5,  # the timetable editor snaps starts and lengths to this step
        PROGRAMME_RENDER_DELAY_SECONDS=5,  # a burst of live amendments within this renders the programme PDF once
    )
    app.config.from_prefixed_env("CONFMAN")
    if url := os.environ.get("CONFMAN_DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.from_mapping(overrides or {})
    if app.config["UPLOAD_FOLDER"] is None:
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if app.config["ENV_NAME"] == "production" and not app.testing:
        # Cookies over HTTPS only, unless the operator says otherwise (CONFMAN_SESSION_COOKIE_SECURE=false).
        secure = app.config.get("SESSION_COOKIE_SECURE") if "CONFMAN_SESSION_COOKIE_SECURE" in os.environ else True
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    _refuse_unsafe_config(app)
    webhook_targets.configure(app.config.get("WEBHOOK_ALLOW"))
    base_url_warning = site.configure(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    login_manager.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    app.extensions["confman.storage"] = storage_from_config(app.config)
    app.extensions["confman.cache"] = cache_from_config(app.config, app.instance_path)
    register_blueprints(app)
    api.init_app(app)
    register_commands(app)
    if base_url_warning:
        app.logger.warning(base_url_warning)
    return app


def _refuse_unsafe_config(app: Flask) -> None:
    if app.testing or app.config["ENV_NAME"] == "development":
        return
    if app.config["SECRET_KEY"] in (DEV_SECRET_KEY, "", None):
        raise RuntimeError(
            "CONFMAN_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or set CONFMAN_ENV=development on a developer's machine."
        )
