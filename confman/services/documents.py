"""Nomination documents (notes verbales, nomination letters): PDF checked by content, kept in private storage.

Files go to the app's file storage (`confman.storage`: the instance's upload folder, or a private S3 bucket),
under a random key chosen here, never the name the delegate gave. Only views that check who is asking serve them.
"""

from __future__ import annotations

import secrets

from confman.services import N_, ConfmanError
from confman.storage import BadKey, FileStorage, StorageError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
_FOLDER = "nominations"


class InvalidDocument(ConfmanError):
    pass


def check_pdf(data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
    """Raise InvalidDocument unless `data` is a PDF (by its bytes, not its name) of at most `max_bytes`."""
    if not data:
        raise InvalidDocument(N_("The file is empty."))
    if len(data) > max_bytes:
        raise InvalidDocument(N_("The file is larger than %(size)s MB."), size=max_bytes // (1024 * 1024) or 1)
    # A PDF starts with its header within the first KiB and ends with an end-of-file marker.
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise InvalidDocument(N_("The file is not a PDF. Please upload the document as a PDF."))


def store(data: bytes, *, storage: FileStorage, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Check and store a document; return its storage key. Raises InvalidDocument, storage.StorageError."""
    check_pdf(data, max_bytes=max_bytes)
    key = f"{_FOLDER}/{secrets.token_hex(20)}.pdf"
    storage.save(key, data)
    return key


def read(key: str | None, *, storage: FileStorage) -> bytes | None:
    """The document's bytes; None when there is none (or the key is not a nomination document's)."""
    if not key or not key.startswith(f"{_FOLDER}/"):
        return None
    try:
        return storage.read(key)
    except (StorageError, BadKey, OSError):
        return None


def discard(key: str | None, *, storage: FileStorage) -> None:
    """Remove a stored document whose registration was not saved after all."""
    if key and key.startswith(f"{_FOLDER}/"):
        storage.delete(key)
