"""A cache for renderings (calendars, schedules, programme PDFs), shared by every app server when Redis is set.

Keys carry the agenda version, so publishing a new version invalidates every server's copy at once without any
message between servers: the next request simply asks for a key that does not exist yet. No Flask here.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path


class RenderCache(ABC):
    @abstractmethod
    def get(self, key: str) -> bytes | None: ...

    @abstractmethod
    def set(self, key: str, value: bytes, *, ttl: int) -> None: ...

    @abstractmethod
    def _lock(self, key: str, *, timeout: float) -> AbstractContextManager[bool]:
        """Hold the right to render `key` (True), or learn within `timeout` that someone else holds it (False)."""

    def get_or_render(self, key: str, produce: Callable[[], bytes], *, ttl: int, wait: float = 60.0) -> bytes:
        """The cached bytes, or `produce()` stored under `key`, rendered once however many ask at the same time.

        A cold programme PDF of a large event takes seconds: without this, every request arriving meanwhile
        would render it too, on every server.
        """
        if (body := self.get(key)) is not None:
            return body
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with self._lock(key, timeout=min(1.0, max(0.0, deadline - time.monotonic()))) as mine:
                if (body := self.get(key)) is not None:
                    return body
                if mine:
                    body = produce()
                    self.set(key, body, ttl=ttl)
                    return body
        return produce()  # the renderer elsewhere is stuck: answer anyway rather than fail


class DiskCache(RenderCache):
    """One file per key in the instance folder: right for one server (or several sharing that folder)."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.root / digest[:2] / digest

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            if path.stat().st_mtime < time.time():  # mtime holds the expiry time
                return None
            return path.read_bytes()
        except OSError:
            return None

    @contextmanager
    def _lock(self, key: str, *, timeout: float) -> Iterator[bool]:
        path = self._path(key).with_suffix(".lock")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+b")  # noqa: SIM115 - closed below, after the lock is released
        except OSError:
            yield True  # cannot lock: render without coordination
            return
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.05)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()

    def set(self, key: str, value: bytes, *, ttl: int) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
            with os.fdopen(fd, "wb") as out:
                out.write(value)
            expires = time.time() + ttl
            os.utime(tmp, (expires, expires))
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot write is only slower, never wrong


class RedisCache(RenderCache):
    def __init__(self, url: str, *, prefix: str = "confman:render:"):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def get(self, key: str) -> bytes | None:
        import redis

        try:
            return self.client.get(self.prefix + key)
        except redis.RedisError:
            return None  # Redis down: render afresh rather than fail the request

    def set(self, key: str, value: bytes, *, ttl: int) -> None:
        import redis

        try:
            self.client.set(self.prefix + key, value, ex=ttl)
        except redis.RedisError:
            pass

    @contextmanager
    def _lock(self, key: str, *, timeout: float) -> Iterator[bool]:
        import redis

        name, token = f"{self.prefix}lock:{key}", secrets.token_hex(8)
        deadline = time.monotonic() + timeout
        try:
            while not self.client.set(name, token, nx=True, ex=120):  # expires if its holder dies
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        except redis.RedisError:
            yield True  # Redis is down: render without coordination
            return
        try:
            yield True
        finally:
            try:
                if self.client.get(name) == token.encode():
                    self.client.delete(name)
            except redis.RedisError:
                pass


def cache_from_config(config: Mapping[str, object], instance_path: str) -> RenderCache:
    """Redis when CONFMAN_REDIS_URL is set, else files under CONFMAN_CACHE_FOLDER (default <instance>/cache)."""
    if url := config.get("REDIS_URL"):
        return RedisCache(str(url), prefix=str(config.get("CACHE_PREFIX") or "confman:render:"))
    return DiskCache(str(config.get("CACHE_FOLDER") or Path(instance_path) / "cache"))
