"""Public images (organization logos, speaker photos) in the upload folder: checked by content, named at random.

The folder is passed in (the app's UPLOAD_FOLDER), so this module needs no Flask. Files go under `public/`, which a
route serves as-is; everything else in the upload folder stays private.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from confman.services import ConfmanError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
# Recognised by their first bytes, not their names: a renamed script is not an image. No SVG: it can carry script.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)


class UnsupportedImage(ConfmanError):
    pass


def image_extension(data: bytes) -> str:
    """'png', 'jpg' or 'webp' for the image `data` holds. Raises UnsupportedImage."""
    if len(data) > MAX_IMAGE_BYTES:
        raise UnsupportedImage(f"The image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB.")
    if not data:
        raise UnsupportedImage("The file is empty.")
    for signature, extension in _SIGNATURES:
        if data.startswith(signature):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise UnsupportedImage("This is not a PNG, JPEG or WebP image.")


def save_public_image(folder: str | Path, category: str, data: bytes) -> str:
    """Store `data` under <folder>/public/<category>/ with a random name; returns the key (a relative path).
    Raises UnsupportedImage before anything is written."""
    extension = image_extension(data)
    key = f"{category}/{secrets.token_urlsafe(16)}.{extension}"
    path = Path(folder) / "public" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key


def delete_public_file(folder: str | Path, key: str | None) -> None:
    """Remove a stored file (missing files are fine: the record is what matters)."""
    if not key or ".." in key:
        return
    (Path(folder) / "public" / key).unlink(missing_ok=True)
