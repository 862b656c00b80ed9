"""Public images (organization logos, speaker photos): the `public/` keys of the file storage, nothing else."""

from __future__ import annotations

from flask import Blueprint, abort, send_file

from confman.services import uploads
from confman.storage import BadKey, StorageError, check_key
from confman.web.helpers import storage

bp = Blueprint("media", __name__)


@bp.route("/media/<path:key>")
def public_file(key: str):
    try:
        check_key(key)
    except BadKey:
        abort(404)
    files = storage()
    if not key.startswith(uploads.PUBLIC_PREFIX) or not files.exists(key):
        abort(404)
    try:
        handle = files.open(key)
    except StorageError:
        abort(404)
    response = send_file(handle, mimetype=uploads.content_type(key), max_age=3600, conditional=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
