"""The README's production recipe, followed literally: PostgreSQL, `confman db upgrade`, gunicorn with workers."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from support import postgres_server_url, scratch_postgres_database

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.slow
def test_gunicorn_on_postgresql_serves_health_and_pages(tmp_path):
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers at CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432")
    port = _free_port()
    with scratch_postgres_database(server) as url:
        env = {**os.environ, "CONFMAN_DATABASE_URL": url, "CONFMAN_SECRET_KEY": "deploy-test-secret",
               "CONFMAN_ENV": "production", "CONFMAN_BIND": f"127.0.0.1:{port}", "CONFMAN_WORKERS": "2",
               "CONFMAN_BASE_URL": f"http://127.0.0.1:{port}",
               "CONFMAN_RATELIMIT_STORAGE_URI": "memory://"}  # accepted per-worker counts: no Redis needed here
        env.pop("CONFMAN_TEST_DATABASE", None)
        subprocess.run([BIN / "confman", "db", "upgrade"], env=env, check=True, capture_output=True, cwd=tmp_path)
        subprocess.run([BIN / "confman", "demo"], env=env, check=True, capture_output=True, cwd=tmp_path)
        gunicorn = subprocess.Popen([BIN / "gunicorn", "-c", "python:confman.gunicorn_conf", "confman:create_app()"],
                                    env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            health = _get_when_up(f"http://127.0.0.1:{port}/healthz")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/events/prepcon-2021/agenda", timeout=10) as page:
                body = page.read().decode()
        finally:
            gunicorn.terminate()
            out, _ = gunicorn.communicate(timeout=30)

    assert health == {"status": "ok", "database": "ok"}
    assert "Opening of the Preparatory Conference" in body
    log_lines = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    assert any(line.get("path") == "/events/prepcon-2021/agenda" and line.get("status") == 200 for line in log_lines)


def _get_when_up(url: str) -> dict:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
