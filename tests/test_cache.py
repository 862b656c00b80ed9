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
