"""File storage: atomic local files, and a real S3 endpoint (moto's server on loopback) for object storage."""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from confman.storage import BadKey, LocalStorage, S3Storage, StorageError, check_key, migrate


def test_local_storage_round_trip_and_listing(tmp_path):
    storage = LocalStorage(tmp_path)

    stored = storage.save("videos/1/a.mp4", io.BytesIO(b"x" * 3000))

    assert stored.size == 3000
    assert storage.read("videos/1/a.mp4") == b"x" * 3000
    assert list(storage.keys()) == ["videos/1/a.mp4"]
    assert storage.sha256("videos/1/a.mp4") == stored.sha256


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../../b", "", "a//b", ".hidden", "a/.."])
def test_keys_cannot_escape_the_storage_root(key):
    with pytest.raises(BadKey):
        check_key(key)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders; the failing-write test covers this")
def test_unwritable_folder_is_a_clear_error_and_stores_nothing(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="cannot"):
            LocalStorage(tmp_path / "uploads").save("a/b.bin", b"data")
    finally:
        tmp_path.chmod(0o700)


def test_a_failing_write_leaves_no_partial_file(tmp_path):
    class Broken(io.RawIOBase):
        calls = 0

        def read(self, n=-1):
            self.calls += 1
            if self.calls > 2:
                raise OSError(28, "No space left on device")
            return b"y" * 1024

    storage = LocalStorage(tmp_path)

    with pytest.raises(StorageError, match="No space left on device"):
        storage.save("videos/big.mp4", Broken())

    assert list(tmp_path.rglob("*.mp4")) == []
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server as a separate process on a free loopback port: the app talks real S3 HTTP to it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


def _s3(endpoint, bucket):
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    client.create_bucket(Bucket=bucket)
    return S3Storage(bucket, client=client)


def test_s3_storage_round_trip_and_signed_url(s3_endpoint):
    storage = _s3(s3_endpoint, "confman-roundtrip")

    storage.save("transcripts/1/statement.txt", b"Mr. President, ...")
    url = storage.signed_url("transcripts/1/statement.txt", expires_in=60, filename="statement.txt",
                             content_type="text/plain")
    with urllib.request.urlopen(url) as response:
        fetched = response.read()

    assert storage.exists("transcripts/1/statement.txt")
    assert fetched == b"Mr. President, ..."
    assert list(storage.keys()) == ["transcripts/1/statement.txt"]
    storage.delete("transcripts/1/statement.txt")
    assert not storage.exists("transcripts/1/statement.txt")


def test_storage_migrate_command_copies_and_verifies_every_file(s3_endpoint, app, tmp_path):
    _s3(s3_endpoint, "confman-migrate")
    LocalStorage(app.config["UPLOAD_FOLDER"]).save("logos/1.png", b"\x89PNG...")
    LocalStorage(app.config["UPLOAD_FOLDER"]).save("videos/2/v.mp4", b"\x00" * 4096)
    app.config.update(S3_BUCKET="confman-migrate", S3_ENDPOINT_URL=s3_endpoint, S3_ACCESS_KEY_ID="test",
                      S3_SECRET_ACCESS_KEY="test")
    from confman.storage import storage_from_config

    app.extensions["confman.storage"] = storage_from_config(app.config)

    result = app.test_cli_runner().invoke(args=["storage", "migrate"])

    assert result.exit_code == 0, result.output
    assert "Copied 2 files (4103 bytes)" in result.output
    assert app.extensions["confman.storage"].read("videos/2/v.mp4") == b"\x00" * 4096


def test_storage_migrate_without_object_storage_is_refused(app):
    result = app.test_cli_runner().invoke(args=["storage", "migrate"])

    assert result.exit_code != 0
    assert "No object storage is configured" in result.output


def test_migrate_refuses_a_corrupted_copy(tmp_path):
    class Corrupting(LocalStorage):
        def sha256(self, key):
            return "0" * 64

    source = LocalStorage(tmp_path / "a")
    source.save("x.bin", b"abc")

    with pytest.raises(StorageError, match="checksum mismatch"):
        migrate(source, Corrupting(tmp_path / "b"))
