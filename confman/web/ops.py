"""Operations: the health endpoint, fingerprinted long-lived static files, and structured request logs."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, g, request
from sqlalchemy import text

from confman.extensions import db

bp = Blueprint("ops", __name__)
ONE_YEAR = 365 * 24 * 3600


@bp.route("/healthz")
def healthz():
    """For load balancers and uptime checks: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means "unhealthy"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable", "error": type(exc).__name__}, 503
    return {"status": "ok", "database": "ok"}


def setup(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(security_headers)
    _fingerprint_static_files(app)
    if not app.testing:
        _log_json_to_stdout(app)


def _fingerprint_static_files(app: Flask) -> None:
    """`url_for('static', ...)` gets `?v=<content hash>`; such URLs never change content, so cache them a year."""

    @cache
    def fingerprint(filename: str) -> str | None:
        path = Path(app.static_folder or "") / filename
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            return None

    @app.url_defaults
    def add_fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            if version := fingerprint(values["filename"]):
                values["v"] = version

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint == "static" and response.direct_passthrough and response.mimetype.startswith("text/"):
            # Read small text files into memory before compression, so the file is closed with the response
            # (Flask-Compress would otherwise stream it and drop the file's close()).
            response.direct_passthrough = False
            response.make_sequence()
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == fingerprint(filename):
                response.cache_control.public = True
                response.cache_control.max_age = ONE_YEAR
                response.cache_control.immutable = True
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log collectors (journald, Loki, CloudWatch) parse without rules."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def _log_json_to_stdout(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    for logger in (app.logger, logging.getLogger("confman")):
        logger.handlers[:] = [handler]
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        logger.propagate = False
    if app.config["ENV_NAME"] == "development":
        # Console mail (confman.web.mailer) as a person reads it, links clickable, rather than one JSON line.
        mail = logging.getLogger("confman.mail")
        plain = logging.StreamHandler(sys.stdout)
        plain.setFormatter(logging.Formatter("%(message)s"))
        mail.handlers[:] = [plain]
        mail.setLevel(logging.INFO)
        mail.propagate = False
    access = logging.getLogger("confman.access")

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        if request.endpoint == "static":
            return response
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        access.info("request", extra={"fields": {
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round(elapsed, 1), "remote": request.remote_addr,
        }})
        return response


# Inline scripts are never allowed; inline style attributes carry theme colours only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response
