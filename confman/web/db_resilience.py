"""Surviving a dropped database connection: teardown never raises, a safe request retries once, the rest is 503.

When PostgreSQL connections were terminated under load, some requests got gunicorn's bare 500 because the
request's teardown (rolling back and closing the session) re-raised OperationalError (issue 19, finding 11).
"""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from confman.extensions import db

RETRY_AFTER_SECONDS = 5
SAFE_METHODS = {"GET", "HEAD"}


def discard_session() -> None:
    """End the request's DB session whatever state its connection is in; never raises."""
    session = db.session
    try:
        session.close()
    except Exception as exc:  # noqa: BLE001 - a dead connection fails in many ways; none may reach the client
        current_app.logger.warning("database session not closed cleanly: %s", type(exc).__name__)
        try:
            session.invalidate()
        except Exception:  # noqa: BLE001, S110 - already broken: the pool replaces the connection
            pass
    finally:
        session.registry.clear()


def reset_session() -> None:
    """Roll back after a failure, keeping loaded objects usable for the error page; never raises."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - see discard_session
        discard_session()


def _lost_connection(error: OperationalError) -> bool:
    return isinstance(error, DBAPIError) and error.connection_invalidated


def setup(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first and leaves that one nothing to fail on.
    app.teardown_appcontext(lambda _exc: discard_session())

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        reset_session()
        if request.method in SAFE_METHODS and _lost_connection(error) and not g.get("database_retried"):
            # Nothing was sent yet and the request changes nothing: try once more on a fresh connection.
            g.database_retried = True
            app.logger.warning("database connection lost; retrying %s %s once", request.method, request.path)
            try:
                return app.ensure_sync(app.dispatch_request)()
            except HTTPException as exc:
                return app.handle_http_exception(exc)
            except OperationalError as again:
                reset_session()
                error = again
        app.logger.error("database error: %s", error)
        return render_template(
            "errors/error.html", code=503, title="confman is temporarily unavailable",
            message="The database cannot be reached. Please try again in a minute.",
        ), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
