"""Nomination documents (notes verbales, nomination letters): PDF checked by content, kept in private storage.

Files live under the upload folder (never under static/), named by a random key, and are only served by views
that check who is asking. The key, not the file name the delegate chose, is what the database holds.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from confman.services import ConfmanError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
_FOLDER = "nominations"


class InvalidDocument(ConfmanError):
    pass


def check_pdf(data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
    """Raise InvalidDocument unless `data` is a PDF (by its bytes, not its name) of at most `max_bytes`."""
    if not data:
        raise InvalidDocument("The file is empty.")
    if len(data) > max_bytes:
        raise InvalidDocument(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    # A PDF starts with its header within the first KiB and ends with an end-of-file marker.
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise InvalidDocument("The file is not a PDF. Please upload the document as a PDF.")


def store(data: bytes, *, upload_folder: str | os.PathLike[str], max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Check and store a document; return its storage key. Raises InvalidDocument."""
    check_pdf(data, max_bytes=max_bytes)
    key = f"{_FOLDER}/{secrets.token_urlsafe(24)}.pdf"
    path = Path(upload_folder) / key
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(data)
    temporary.replace(path)  # readers never see half a file
    return key


def path_of(key: str, *, upload_folder: str | os.PathLike[str]) -> Path:
    """The file of a storage key; refuses keys that would leave the documents folder."""
    root = (Path(upload_folder) / _FOLDER).resolve()
    path = (Path(upload_folder) / key).resolve()
    if path.parent != root:
        raise InvalidDocument("Unknown document.")
    return path


def discard(key: str | None, *, upload_folder: str | os.PathLike[str]) -> None:
    """Remove a stored document whose registration was not saved after all."""
    if key:
        path_of(key, upload_folder=upload_folder).unlink(missing_ok=True)
