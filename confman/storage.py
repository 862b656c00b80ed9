"""Where uploaded files live: the instance folder (default) or S3-compatible object storage. No Flask here.

Keys are relative, slash-separated names chosen by confman (never by uploaders), e.g. `videos/12/3f9c.mp4`.
Writes are atomic on both backends: a reader sees the whole file or nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


class StorageError(Exception):
    """The file could not be stored or read (disk full, folder not writable, object store unreachable)."""


class BadKey(ValueError):
    pass


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key.split("/"):
        raise BadKey(f"not a storage key: {key!r}")
    return key


class FileStorage(ABC):
    @abstractmethod
    def save(self, key: str, source: BinaryIO | bytes) -> StoredFile: ...

    @abstractmethod
    def open(self, key: str) -> BinaryIO: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def keys(self, prefix: str = "") -> Iterator[str]: ...

    def read(self, key: str) -> bytes:
        with self.open(key) as handle:
            return handle.read()

    def local_path(self, key: str) -> Path | None:
        """A path on this machine's disk, when the backend has one (tools such as ffprobe need a file)."""
        return None

    def signed_url(self, key: str, *, expires_in: int, filename: str, content_type: str) -> str | None:
        """A short-lived URL the browser can fetch directly, when the backend offers one."""
        return None

    def sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        with self.open(key) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


class LocalStorage(FileStorage):
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def save(self, key: str, source: BinaryIO | bytes) -> StoredFile:
        path = self._path(key)
        digest, size = hashlib.sha256(), 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        except OSError as exc:
            raise StorageError(f"cannot write to the upload folder: {exc.strerror or exc}") from exc
        try:
            with os.fdopen(fd, "wb") as out:
                chunks = [source] if isinstance(source, bytes) else iter(lambda: source.read(1 << 20), b"")
                for chunk in chunks:
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)  # nothing half-stored
            raise StorageError(f"cannot store the file: {exc.strerror or exc}") from exc
        return StoredFile(key, size, digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except OSError as exc:
            raise StorageError(f"cannot read {key}: {exc.strerror or exc}") from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str = "") -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and not path.name.startswith(".partial-") and key.startswith(prefix):
                yield key

    def local_path(self, key: str) -> Path | None:
        return self._path(key)


class S3Storage(FileStorage):
    """Any S3-compatible store (AWS, MinIO, Ceph, Garage). The bucket stays private; browsers get signed URLs."""

    def __init__(self, bucket: str, *, prefix: str = "", client=None, **client_options):
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or boto3.client("s3", **client_options)

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def save(self, key: str, source: BinaryIO | bytes) -> StoredFile:
        from botocore.exceptions import BotoCoreError, ClientError

        data = source if isinstance(source, bytes) else source.read()
        digest = hashlib.sha256(data).hexdigest()
        try:  # a PUT is atomic: the object appears whole or not at all
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data, Metadata={"sha256": digest})
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"cannot store the file in object storage: {exc}") from exc
        return StoredFile(key, len(data), digest)

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"cannot read {key} from object storage: {exc}") from exc

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError:
            return False
        return True

    def keys(self, prefix: str = "") -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):]

    def signed_url(self, key: str, *, expires_in: int, filename: str, content_type: str) -> str | None:
        safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "download"
        return self.client.generate_presigned_url("get_object", ExpiresIn=expires_in, Params={
            "Bucket": self.bucket, "Key": self._name(key), "ResponseContentType": content_type,
            "ResponseContentDisposition": f'attachment; filename="{safe_name}"',
        })


def storage_from_config(config: Mapping[str, object]) -> FileStorage:
    """S3 when CONFMAN_S3_BUCKET is set (endpoint, region and keys from CONFMAN_S3_*), else the upload folder."""
    bucket = config.get("S3_BUCKET")
    if not bucket:
        return LocalStorage(str(config["UPLOAD_FOLDER"]))
    options = {"endpoint_url": config.get("S3_ENDPOINT_URL"), "region_name": config.get("S3_REGION") or "us-east-1",
               "aws_access_key_id": config.get("S3_ACCESS_KEY_ID"),
               "aws_secret_access_key": config.get("S3_SECRET_ACCESS_KEY")}
    return S3Storage(str(bucket), prefix=str(config.get("S3_PREFIX") or ""),
                     **{k: v for k, v in options.items() if v})


def migrate(source: FileStorage, target: FileStorage, *, prefix: str = "") -> list[StoredFile]:
    """Copy every file from `source` to `target` and check each copy's SHA-256. Raises StorageError on a mismatch."""
    copied = []
    for key in source.keys(prefix):
        expected = source.sha256(key)
        with source.open(key) as handle:
            stored = target.save(key, handle)
        if stored.sha256 != expected or target.sha256(key) != expected:
            raise StorageError(f"checksum mismatch after copying {key}")
        copied.append(stored)
    return copied
