"""The rendering cache: files on one server, Redis shared by all."""

import secrets

import pytest
import redis

from confman.cache import DiskCache, RedisCache, cache_from_config

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_or_skip():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis server answers at 127.0.0.1:6379")


def test_disk_cache_round_trip_and_expiry(tmp_path):
    cache = DiskCache(tmp_path)

    cache.set("ics:prepcon:v3", b"BEGIN:VCALENDAR", ttl=60)
    cache.set("gone", b"x", ttl=-1)

    assert cache.get("ics:prepcon:v3") == b"BEGIN:VCALENDAR"
    assert cache.get("gone") is None
    assert cache.get("never-set") is None


def test_redis_cache_is_shared_between_servers():
    _redis_or_skip()
    prefix = f"confman-test-{secrets.token_hex(4)}:"
    server_a, server_b = RedisCache(REDIS_URL, prefix=prefix), RedisCache(REDIS_URL, prefix=prefix)

    server_a.set("pdf:prepcon:v7", b"%PDF-1.7", ttl=30)

    assert server_b.get("pdf:prepcon:v7") == b"%PDF-1.7"
    assert server_b.get("pdf:prepcon:v8") is None


def test_unreachable_redis_degrades_to_no_cache():
    cache = RedisCache("redis://127.0.0.1:1/0")

    cache.set("k", b"v", ttl=5)

    assert cache.get("k") is None


def test_configuration_chooses_the_backend(tmp_path):
    assert isinstance(cache_from_config({}, str(tmp_path)), DiskCache)
    assert isinstance(cache_from_config({"REDIS_URL": REDIS_URL}, str(tmp_path)), RedisCache)


def _render_once_among_many(cache):
    import threading
    import time

    renders = []

    def produce():
        renders.append(1)
        time.sleep(0.3)  # a slow PDF
        return b"%PDF-rendered"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_render("pdf:v1", produce, ttl=60)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return renders, results


def test_disk_cache_renders_once_however_many_ask_at_once(tmp_path):
    renders, results = _render_once_among_many(DiskCache(tmp_path))

    assert len(renders) == 1
    assert results == [b"%PDF-rendered"] * 6


def test_redis_cache_renders_once_across_servers():
    _redis_or_skip()
    prefix = f"confman-test-{secrets.token_hex(4)}:"

    renders, results = _render_once_among_many(RedisCache(REDIS_URL, prefix=prefix))

    assert len(renders) == 1
    assert results == [b"%PDF-rendered"] * 6
