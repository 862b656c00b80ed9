"""Several app servers and workers sharing PostgreSQL and Redis: throttling across servers, and a worker killed
mid-job (a real `confman worker` process, SIGKILLed while a real SMTP server stalls) loses no message."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from registration_helpers import OPEN, form
from sqlalchemy import select

from confman.extensions import db
from confman.models import OutboxMessage, OutboxStatus

from conftest import make_app
from factories import PASSWORD, make_event, make_user

REDIS_URL = "redis://127.0.0.1:6379/13"
CONFMAN = str(Path(sys.executable).parent / "confman")


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis server answers at 127.0.0.1:6379")
    return client


def test_login_throttle_is_shared_by_two_app_servers_through_redis(tmp_path):
    store = _redis_or_skip()
    prefix = f"confman-test-{secrets.token_hex(4)}"
    config = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute", "RATELIMIT_STORAGE_URI": REDIS_URL,
              "RATELIMIT_KEY_PREFIX": prefix}
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    server_a = make_app(tmp_path / "a", database, **config)
    with server_a.app_context():
        db.create_all()
        make_user("delegate@example.org")
        db.session.commit()
    server_b = make_app(tmp_path / "b", database, **config)
    wrong = {"email": "delegate@example.org", "password": "wrong one!"}

    try:
        statuses = [server_a.test_client().post("/login", data=wrong).status_code,
                    server_b.test_client().post("/login", data=wrong).status_code,
                    server_a.test_client().post("/login", data=wrong).status_code,
                    server_b.test_client().post("/login", data={**wrong, "password": PASSWORD}).status_code]
        counters = store.keys(f"*{prefix}*")
    finally:
        for key in store.keys(f"*{prefix}*"):
            store.delete(key)
        store.close()
        for server in (server_a, server_b):
            with server.app_context():
                db.engine.dispose()

    assert statuses == [200, 200, 200, 429]
    assert counters  # the counts live in Redis, where every server (process, machine) reads them


class StallingSmtp:
    """A mail server that hangs in its first DATA (as an overloaded relay would), then accepts normally."""

    def __init__(self):
        self.accepted = []
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(3600)  # never answers; the client is killed meanwhile
        self.accepted.append(envelope)
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)
    return result


@pytest.mark.postgres
@pytest.mark.slow
def test_a_worker_killed_mid_send_loses_no_message_and_the_next_sends_it_once(tmp_path, postgres_url):
    smtp_port = _free_port()
    smtp_url = f"smtp://127.0.0.1:{smtp_port}?from=prepcon@confman.example"
    app = make_app(tmp_path, postgres_url, SMTP_URL=smtp_url, JOBS_EAGER=False)
    with app.app_context():
        db.create_all()
        make_event(slug="prepcon", **OPEN)
        db.session.commit()
    smtp = StallingSmtp()
    controller = Controller(smtp, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {**os.environ, "CONFMAN_DATABASE_URL": postgres_url, "CONFMAN_SECRET_KEY": "test-secret",
           "CONFMAN_SMTP_URL": smtp_url, "CONFMAN_BASE_URL": "http://confman.test",
           "CONFMAN_UPLOAD_FOLDER": str(tmp_path / "uploads"), "CONFMAN_CACHE_FOLDER": str(tmp_path / "cache")}
    worker = ["worker", "--lease", "2", "--idle-sleep", "0.2"]
    first = second = None

    def message() -> OutboxMessage:
        with app.app_context():
            return db.session.scalar(select(OutboxMessage).filter_by(to_email="ada@example.org"))

    try:
        registered = app.test_client().post("/events/prepcon/register", data=form(),
                                            content_type="multipart/form-data")
        queued_before = message().status
        first = subprocess.Popen([CONFMAN, *worker, "--name", "first"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(lambda: smtp.stalled.wait(0.1), seconds=60, what="the first worker to reach the mail server")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        after_kill = message()
        second = subprocess.Popen([CONFMAN, *worker, "--name", "second"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sent = _wait_for(lambda: (m := message()).status == OutboxStatus.SENT and m, seconds=60,
                         what="the second worker to send the message")
        time.sleep(1)  # give a wrongly repeated job the chance to send a second copy
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        controller.stop()
        with app.app_context():
            db.engine.dispose()

    assert registered.status_code == 302
    assert queued_before == OutboxStatus.QUEUED  # enqueued with the registration, not sent by the request
    assert after_kill.status == OutboxStatus.QUEUED  # the killed worker's transaction died with it
    assert [e.rcpt_tos for e in smtp.accepted] == [["ada@example.org"]]
    assert "http://confman.test/" in smtp.accepted[0].content.decode()  # the worker wrote the sign-in link
    assert sent.sent_at is not None
