"""Public images (organization logos, speaker photos) in the file storage: checked by content, named at random.

Keys start with `public/`, which the media route serves as-is; everything else in the storage stays private.
"""

from __future__ import annotations

import io
import secrets
import warnings

from PIL import Image, UnidentifiedImageError

from confman.services import ConfmanError
from confman.storage import FileStorage

PUBLIC_PREFIX = "public/"

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4096  # pixels: a logo or a portrait needs far less; a small file can claim a huge canvas
_PIL_FORMATS = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}
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


def clean_image(data: bytes) -> tuple[bytes, str]:
    """The image decoded and encoded again, and its extension: whatever rode along in the file (a script or an
    archive appended to a polyglot, metadata such as a photo's location) is gone. Raises UnsupportedImage for a
    file that does not decode as what its first bytes claim, or whose canvas is larger than MAX_IMAGE_SIDE."""
    extension = image_extension(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _PIL_FORMATS[extension]:
                    raise UnsupportedImage("This file is not the image its first bytes announce.")
                width, height = image.size
                if max(width, height) > MAX_IMAGE_SIDE:
                    raise UnsupportedImage(f"The image is {width} × {height} pixels; it may be at most "
                                           f"{MAX_IMAGE_SIDE} pixels on each side.")
                image.load()
                if extension == "jpg" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                cleaned = io.BytesIO()
                image.save(cleaned, format=_PIL_FORMATS[extension])
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as exc:
        raise UnsupportedImage("This image could not be read: it may be damaged.") from exc
    return cleaned.getvalue(), extension


def save_public_image(storage: FileStorage, category: str, data: bytes) -> str:
    """Store `data`, cleaned, as public/<category>/<random>.<ext>; returns the key. Raises UnsupportedImage
    before anything is written, StorageError when the store refuses."""
    data, extension = clean_image(data)
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
