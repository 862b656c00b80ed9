"""A gunicorn worker SIGKILLed in the middle of a registration burst on PostgreSQL.

Every registration the server confirmed (302 to "check your mail") must exist, complete (its nomination document
stored, its confirmation message queued); no row may be half-written; the seats and the waiting list must still
add up. Requests the killed worker was serving may be lost, but only unconfirmed ones.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from confman import create_app
from confman.extensions import db
from confman.models import Event, EventStatus, OutboxMessage, Registration, RegistrationStatus

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SEATS, REGISTRATIONS, CLIENTS = 40, 120, 12

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="nv.pdf"\r\n'
                 "Content-Type: application/pdf\r\n\r\n".encode() + PDF + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 30 s")


@pytest.fixture
def burst_app(tmp_path, postgres_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "kill-test", "SQLALCHEMY_DATABASE_URI": postgres_url,
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    with app.app_context():
        db.create_all()
        now = datetime.now(UTC)
        slug = f"kill-{secrets.token_hex(3)}"
        db.session.add(Event(slug=slug, title="Burst", starts_on=now.date(), ends_on=now.date(), timezone="UTC",
                             status=EventStatus.PUBLISHED, capacity=SEATS, needs_approval=False, created_at=now,
                             registration_opens_at=now - timedelta(days=1),
                             registration_closes_at=now + timedelta(days=1)))
        db.session.commit()
    yield app, slug
    with app.app_context():
        db.engine.dispose()


def test_worker_killed_mid_burst_loses_no_confirmed_registration(tmp_path, postgres_url, burst_app):
    app, slug = burst_app
    port = _free_port()
    env = dict(os.environ, CONFMAN_DATABASE_URL=postgres_url, CONFMAN_SECRET_KEY=secrets.token_hex(16),
               CONFMAN_ENV="development", CONFMAN_UPLOAD_FOLDER=str(tmp_path / "uploads"), CONFMAN_WORKERS="2",
               CONFMAN_BIND=f"127.0.0.1:{port}", CONFMAN_RATELIMIT_ENABLED="false", CONFMAN_JOBS_INLINE="false")
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below, after the server stops
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "python:confman.gunicorn_conf",
                               "confman:create_app()"], env=env, cwd=tmp_path, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    done, killed = [], []
    lock = threading.Lock()

    def client(n: int) -> list[tuple[str, int]]:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                             _NoRedirect())
        page = opener.open(f"{base}/events/{slug}/register").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        out = []
        for i in range(n, REGISTRATIONS, CLIENTS):
            email = f"kill{i:04d}@example.org"
            body, content_type = _multipart({"csrf_token": token, "name": f"Delegate {i}", "email": email,
                                             "organization": "other", "organization_name": "Somewhere",
                                             "category": "member_state", "consent": "y"})
            request = urllib.request.Request(f"{base}/events/{slug}/register", data=body, method="POST",
                                             headers={"Content-Type": content_type})
            try:
                status = opener.open(request, timeout=30).status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:  # the connection died with its worker
                status = 0
            out.append((email, status))
            with lock:
                done.append(status)
                if len(done) == REGISTRATIONS // 4 and not killed:
                    victim = _children(server.pid)[0]
                    os.kill(victim, signal.SIGKILL)  # mid-burst: other requests are in flight
                    killed.append(victim)
        return out

    try:
        _wait_for(base)
        with ThreadPoolExecutor(CLIENTS) as pool:
            results = [r for chunk in pool.map(client, range(CLIENTS)) for r in chunk]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    confirmed = {email for email, status in results if status == 302}
    with app.app_context():
        rows = db.session.execute(select(Registration).join(Event).where(Event.slug == slug)
                                  .order_by(Registration.id)).scalars().all()
        queued = set(db.session.scalars(select(OutboxMessage.to_email).filter_by(kind="confirmation")))
        stored = {reg.email: reg for reg in rows}
        statuses = [reg.status for reg in rows]
        documents = [Path(app.config["UPLOAD_FOLDER"], reg.nomination_document_path) for reg in rows]
    assert killed, "no worker was killed"
    assert len(confirmed) >= REGISTRATIONS // 2, f"the burst mostly failed: {sorted(set(done))}"
    assert confirmed <= set(stored), f"confirmed but lost: {sorted(confirmed - set(stored))}"
    assert len(stored) == len(rows)  # nobody twice
    assert all(reg.name and reg.status and reg.calendar_token for reg in rows)
    assert all(path.is_file() and path.read_bytes() == PDF for path in documents)
    assert set(stored) <= queued  # every stored registration has its confirmation message
    approved = statuses.count(RegistrationStatus.APPROVED)
    assert approved == min(SEATS, len(rows))
    waitlisted = len(rows) - approved
    assert statuses == [RegistrationStatus.APPROVED] * approved + [RegistrationStatus.WAITLISTED] * waitlisted
