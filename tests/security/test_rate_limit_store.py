"""Finding 6 of issue 19: the login throttle must not be multiplied by the number of gunicorn workers.

The attack: with the default memory:// store and 4 workers, 38 of 60 wrong passwords in a minute were processed
under a limit of 10 a minute.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

from confman import gunicorn_conf

from support import postgres_server_url, scratch_postgres_database

BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/14"


def test_finding_6_several_workers_without_a_shared_store_refuse_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFMAN_RATELIMIT")}
    env.update(CONFMAN_WORKERS="4", CONFMAN_ENV="development", CONFMAN_BIND="127.0.0.1:0",
               CONFMAN_DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")

    result = subprocess.run([BIN / "gunicorn", "-c", "python:confman.gunicorn_conf", "confman:create_app()"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    assert result.returncode != 0
    assert "Set CONFMAN_RATELIMIT_STORAGE_URI=redis://" in result.stdout + result.stderr


@pytest.mark.parametrize(("environ", "outcome"), [
    ({}, "refused"), ({"CONFMAN_RATELIMIT_STORAGE_URI": "memory://"}, "warning"),
    ({"CONFMAN_RATELIMIT_STORAGE_URI": REDIS_URL}, None), ({"CONFMAN_RATELIMIT_ENABLED": "false"}, None),
])
def test_finding_6_the_start_check_names_each_store(environ, outcome):
    try:
        warning = gunicorn_conf._check_rate_limit_store(4, environ)
    except SystemExit:
        warning = "refused"

    assert ("refused" if warning == "refused" else "warning" if warning else None) == outcome
    assert gunicorn_conf._check_rate_limit_store(1, {}) is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post_login(base: str) -> int:
    data = urllib.parse.urlencode({"email": "nobody@example.org", "password": "a wrong password"}).encode()
    try:
        with urllib.request.urlopen(f"{base}/login", data=data, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.postgres
@pytest.mark.slow
def test_finding_6_four_gunicorn_workers_on_postgresql_share_one_redis_throttle(tmp_path):
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers at CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432")
    store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        store.flushdb()
    except redis.RedisError:
        pytest.skip("no Redis server answers at 127.0.0.1:6379")
    port = _free_port()
    with scratch_postgres_database(server) as url:
        env = {**os.environ, "CONFMAN_DATABASE_URL": url, "CONFMAN_SECRET_KEY": "throttle-test",
               "CONFMAN_ENV": "production", "CONFMAN_BASE_URL": f"http://127.0.0.1:{port}",
               "CONFMAN_SESSION_COOKIE_SECURE": "false", "CONFMAN_BIND": f"127.0.0.1:{port}", "CONFMAN_WORKERS": "4",
               "CONFMAN_THREADS": "1", "CONFMAN_RATELIMIT_STORAGE_URI": REDIS_URL, "CONFMAN_WTF_CSRF_ENABLED": "false",
               "CONFMAN_LOGIN_RATE_LIMIT": "10 per minute", "CONFMAN_JOBS_INLINE": "false"}
        env.pop("CONFMAN_TEST_DATABASE", None)
        subprocess.run([BIN / "confman", "db", "upgrade"], env=env, check=True, capture_output=True, cwd=tmp_path)
        gunicorn = subprocess.Popen([BIN / "gunicorn", "-c", "python:confman.gunicorn_conf", "confman:create_app()"],
                                    env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.2)
            statuses = [_post_login(f"http://127.0.0.1:{port}") for _ in range(30)]
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
            store.flushdb()

    assert statuses.count(200) == 10
    assert statuses.count(429) == 20
