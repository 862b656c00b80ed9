"""Public images (organization logos, speaker photos) from the upload folder's `public/` part."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("media", __name__)


@bp.route("/media/<path:key>")
def public_file(key: str):
    response = send_from_directory(Path(current_app.config["UPLOAD_FOLDER"]) / "public", key, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
