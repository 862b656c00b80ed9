"""Public images (organization logos, speaker photos) in the file storage: checked by content, named at random.

Keys start with `public/`, which the media route serves as-is; everything else in the storage stays private.
"""

from __future__ import annotations

import secrets

from confman.services import ConfmanError
from confman.storage import FileStorage

PUBLIC_PREFIX = "public/"

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


def save_public_image(storage: FileStorage, category: str, data: bytes) -> str:
    """Store `data` as public/<category>/<random>.<ext>; returns the key. Raises UnsupportedImage before anything
    is written, StorageError when the store refuses."""
    extension = image_extension(data)
    key = f"{PUBLIC_PREFIX}{category}/{secrets.token_hex(16)}.{extension}"
    storage.save(key, data)
    return key


def delete_public_file(storage: FileStorage, key: str | None) -> None:
    """Remove a stored image (missing files are fine: the record is what matters)."""
    if key and key.startswith(PUBLIC_PREFIX):
        storage.delete(key)


def content_type(key: str) -> str:
    return {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(key.rpartition(".")[2],
                                                                             "application/octet-stream")
