"""Registrations: the organizers' table at 20,000 registrations, and a burst of registrations on PostgreSQL.

The table must cost a constant number of queries per page, whatever the page, filter or sort. The burst posts
real registration forms concurrently, first through the WSGI app from threads (each request with its own
connection), then over HTTP to gunicorn worker processes with CSRF on; after each burst the invariants are
checked: no seat oversold, the waiting list in arrival order, no duplicate, no error.
"""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bench.harness import HEADER, Timing, count_queries
from confman import create_app
from confman.extensions import db
from confman.models import Event, EventStatus, Registration, RegistrationStatus
from confman.services import users

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PASSWORD = "bench-password-123"


def run(app, events: dict[str, str]) -> list[str]:
    lines = _table(app, events["large"])
    with app.app_context():
        url = str(db.engine.url.render_as_string(hide_password=False))
        dialect = db.engine.dialect.name
    if dialect != "postgresql":
        return lines + ["", "burst: skipped (needs PostgreSQL: python -m bench --database postgresql+psycopg://...)"]
    lines += ["", _burst_header()]
    lines.append(_wsgi_burst(url, registrations=400, seats=100, threads=16))
    lines.append(_gunicorn_burst(url, registrations=400, seats=100, threads=32, workers=4))
    return lines


# --- The organizers' table ----------------------------------------------------------------------------------------

def _table(app, slug: str) -> list[str]:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # Fresh bulk-loaded tables have no statistics yet; autovacuum would gather them in production.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        email = f"bench-organizer-{secrets.token_hex(3)}@example.org"
        users.create_user(email, password=PASSWORD, now=datetime.now(UTC), is_admin=True)
        db.session.commit()
        total = db.session.scalar(select(db.func.count()).select_from(Registration).join(Event)
                                  .where(Event.slug == slug))
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    base = f"/manage/events/{slug}/registrations"
    pages = [
        ("table, page 1", base),
        ("table, page 200 (offset 9,950)", f"{base}?page=200"),
        ("table, search", f"{base}?q=delegate1234"),
        ("table, filter status+category", f"{base}?status=pending&category=media"),
        ("table, sort by organization desc", f"{base}?sort=organization&order=desc&page=50"),
        ("counts page", f"/manage/events/{slug}/registrations/counts"),
    ]
    lines = [f"organizers' table over {total:,} registrations", HEADER]
    for label, path in pages:
        lines.append(_measure(app, client, label, path, repeat=20).row())
    lines.append(_measure(app, client, "CSV export (all rows)", f"/manage/events/{slug}/registrations.csv",
                          repeat=3).row())
    return lines


def _measure(app, client, label: str, path: str, *, repeat: int) -> Timing:
    with count_queries(app) as counter:
        response = client.get(path)
        response.get_data()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path).get_data()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return Timing(label, counter["n"], statistics.median(samples),
                  samples[min(len(samples) - 1, int(len(samples) * 0.99))], response.status_code)


# --- Bursts ------------------------------------------------------------------------------------------------------

def _burst_header() -> str:
    return (f"{'burst':<44} {'regs':>5} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}  invariants")


def _make_event(app, seats: int) -> str:
    with app.app_context():
        slug = f"burst-{secrets.token_hex(3)}"
        now = datetime.now(UTC)
        db.session.add(Event(slug=slug, title="Burst", starts_on=now.date(), ends_on=now.date(), timezone="UTC",
                             status=EventStatus.PUBLISHED, capacity=seats, needs_approval=False,
                             registration_opens_at=now - timedelta(days=1),
                             registration_closes_at=now + timedelta(days=1)))
        db.session.commit()
        return slug


def _check(app, slug: str, registrations: int, seats: int) -> str:
    """Exactly min(seats, n) seats taken, the rest waitlisted after them in id order, every address once."""
    with app.app_context():
        rows = db.session.execute(select(Registration.id, Registration.email, Registration.status).join(Event)
                                  .where(Event.slug == slug).order_by(Registration.id)).all()
    statuses = [status for _, _, status in rows]
    expected = [RegistrationStatus.APPROVED] * min(seats, registrations) + [RegistrationStatus.WAITLISTED] * max(
        0, registrations - seats)
    distinct = len({email for _, email, _ in rows}) == len(rows) == registrations
    ok = statuses == expected and distinct
    return ("OK" if ok else "VIOLATED") + f" ({statuses.count(RegistrationStatus.APPROVED)} approved, " \
        f"{statuses.count(RegistrationStatus.WAITLISTED)} waitlisted, {len(rows)} rows)"


def _row(label: str, n: int, errors: int, elapsed: float, latencies: list[float], invariants: str) -> str:
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return f"{label:<44} {n:>5} {errors:>6} {n / elapsed:>7.1f} {p50:>7.1f} {p99:>7.1f}  {invariants}"


def _wsgi_burst(url: str, *, registrations: int, seats: int, threads: int) -> str:
    scratch = tempfile.mkdtemp(prefix="confman-burst-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_FOLDER": scratch, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": threads}})
    slug = _make_event(app, seats)
    barrier = threading.Barrier(threads)

    def worker(n: int) -> list[tuple[float, bool]]:
        client = app.test_client()
        barrier.wait()
        out = []
        for i in range(n, registrations, threads):
            data = {"name": f"Burst {i}", "email": f"burst{i:05d}@example.org", "organization": "other",
                    "organization_name": "Somewhere", "category": "member_state", "consent": "y",
                    "document": (io.BytesIO(PDF), "nv.pdf")}
            start = time.perf_counter()
            response = client.post(f"/events/{slug}/register", data=data, content_type="multipart/form-data")
            out.append(((time.perf_counter() - start) * 1000, response.status_code == 302))
        return out

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = [r for chunk in pool.map(worker, range(threads)) for r in chunk]
    elapsed = time.perf_counter() - start
    with app.app_context():
        invariants = _check(app, slug, registrations, seats)
        db.engine.dispose()
    return _row(f"WSGI app, {threads} threads, {seats} seats", registrations, sum(not ok for _, ok in results),
                elapsed, [ms for ms, _ in results], invariants)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _multipart(fields: dict[str, str], file_bytes: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="nv.pdf"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _gunicorn_burst(url: str, *, registrations: int, seats: int, threads: int, workers: int) -> str:
    scratch = tempfile.mkdtemp(prefix="confman-gunicorn-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_FOLDER": scratch})
    slug = _make_event(app, seats)
    port = _free_port()
    env = dict(os.environ, CONFMAN_DATABASE_URL=url, CONFMAN_SECRET_KEY=secrets.token_hex(16),
               CONFMAN_ENV="development", CONFMAN_UPLOAD_FOLDER=scratch)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "confman:create_app()"], env=env, cwd=scratch,
        stdout=subprocess.DEVNULL, stderr=open(Path(scratch) / "gunicorn.log", "wb"))  # noqa: SIM115 - per request access logs
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        barrier = threading.Barrier(threads)

        def worker(n: int) -> list[tuple[float, bool]]:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                 _NoRedirect())
            form_page = opener.open(f"{base}/events/{slug}/register").read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page).group(1)
            barrier.wait()
            out = []
            for i in range(n, registrations, threads):
                body, content_type = _multipart({
                    "csrf_token": token, "name": f"Burst {i}", "email": f"burst{i:05d}@example.org",
                    "organization": "other", "organization_name": "Somewhere", "category": "member_state",
                    "consent": "y"}, PDF)
                request = urllib.request.Request(f"{base}/events/{slug}/register", data=body, method="POST",
                                                 headers={"Content-Type": content_type})
                start = time.perf_counter()
                try:
                    status = opener.open(request).status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                out.append(((time.perf_counter() - start) * 1000, status == 302))
            return out

        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            results = [r for chunk in pool.map(worker, range(threads)) for r in chunk]
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    with app.app_context():
        invariants = _check(app, slug, registrations, seats)
        db.engine.dispose()
    return _row(f"gunicorn, {workers} workers, {threads} clients, CSRF on", registrations,
                sum(not ok for _, ok in results), elapsed, [ms for ms, _ in results], invariants)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/", timeout=2).read()
            return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 30 s")
