"""One table for the key pages and exports of the small and the large event, and the registration burst.

For each endpoint: SQL queries and median/p99 latency through the WSGI app (one request at a time), then
throughput with CLIENTS concurrent keep-alive clients against gunicorn (2 workers x 8 threads) on the same
database. Ratios make runs comparable on a noisy machine: large/small median latency, and each endpoint's
median and throughput against a trivial endpoint (/healthz, one SELECT 1) measured the same way.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from bench import bench_live, bench_registrations
from bench.harness import measure
from confman.extensions import db
from confman.models import AgendaSession, Event, Registration, RegistrationStatus, registration_session
from confman.services import users

PASSWORD = "bench-summary-password"
EMAIL = "bench-summary-admin@example.org"
CLIENTS = 16
SECONDS = 3.0
TRIVIAL = "trivial (/healthz)"


def _endpoints(slug: str, token: str) -> list[tuple[str, str, bool]]:
    """(label, path, needs an organizer's session)."""
    return [
        ("agenda", f"/events/{slug}/agenda", False),
        ("management timetable", f"/manage/events/{slug}/timetable", True),
        ("registrations table", f"/manage/events/{slug}/registrations", True),
        ("agenda.ics", f"/events/{slug}/agenda.ics", False),
        ("personal feed", f"/calendar/{token}.ics", False),
        ("schedule.json", f"/events/{slug}/schedule.json", False),
        ("programme.pdf (cached)", f"/events/{slug}/programme.pdf", False),
        ("live.json", f"/events/{slug}/live.json", False),
    ]


def _prepare(app, events: dict[str, str]) -> dict[str, str]:
    """An admin account, and per event a delegate's feed token with a dozen picked sessions."""
    tokens = {}
    with app.app_context():
        if users.find_by_email(EMAIL) is None:
            users.create_user(EMAIL, password=PASSWORD, now=datetime.now(UTC), is_admin=True)
        for size, slug in events.items():
            event = db.session.scalar(select(Event).filter_by(slug=slug))
            reg = db.session.scalar(select(Registration).order_by(Registration.id).filter_by(
                event_id=event.id, status=RegistrationStatus.APPROVED))
            picked = db.session.scalars(select(AgendaSession.id).filter_by(event_id=event.id)
                                        .order_by(AgendaSession.starts_at).limit(12)).all()
            already = set(db.session.scalars(select(registration_session.c.session_id)
                                             .where(registration_session.c.registration_id == reg.id)))
            rows = [{"registration_id": reg.id, "session_id": i} for i in picked if i not in already]
            if rows:
                db.session.execute(insert(registration_session), rows)
            tokens[size] = reg.calendar_token
        db.session.commit()
    return tokens


def run(app, events: dict[str, str]) -> list[str]:
    tokens = _prepare(app, events)
    organizer = app.test_client()
    organizer.post("/login", data={"email": EMAIL, "password": PASSWORD})
    anonymous = app.test_client()
    latency = {}
    latency[(TRIVIAL, "-")] = measure(app, TRIVIAL, lambda c: anonymous.get("/healthz"), repeat=50)
    for size, slug in events.items():
        for label, path, private in _endpoints(slug, tokens[size]):
            client = organizer if private else anonymous
            client.get(path)  # warm the render caches, as a running server has them
            repeat = 5 if "pdf" in label and size == "large" else 20
            latency[(label, size)] = measure(app, label, lambda _c, p=path, cl=client: cl.get(p), repeat=repeat)
    throughput = _throughput(app, events, tokens)
    lines = _table(latency, throughput)
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        dialect = db.engine.dialect.name
    lines.append("")
    if dialect == "postgresql":
        lines += [bench_registrations._burst_header(),
                  bench_registrations._gunicorn_burst(url, registrations=400, seats=100, threads=32, workers=4)]
    else:
        lines.append("registration burst: skipped (needs PostgreSQL: python -m bench --database postgresql+psycopg://...)")
    return lines


def _table(latency, throughput) -> list[str]:
    trivial, trivial_rate = latency[(TRIVIAL, "-")], throughput.get((TRIVIAL, "-"))
    header = (f"{'endpoint':<24} {'size':<5} {'http':>4} {'queries':>7} {'median ms':>9} {'p99 ms':>8} {'req/s':>7} "
              f"{'large/small':>11} {'x trivial ms':>12} {'/ trivial req/s':>15}")
    lines = [f"latency: one request at a time through the WSGI app; req/s: {CLIENTS} keep-alive clients for "
             f"{SECONDS:g} s against gunicorn 2 workers x 8 threads", header, "-" * len(header)]
    for (label, size), timing in latency.items():
        rate = throughput.get((label, size))
        small = latency.get((label, "small"))
        growth = f"{timing.median_ms / small.median_ms:.1f}" if size == "large" and small else ""
        lines.append(
            f"{label:<24} {size:<5} {timing.status:>4} {timing.queries:>7} {timing.median_ms:>9.1f} "
            f"{timing.p99_ms:>8.1f} {(f'{rate:.0f}' if rate else '-'):>7} {growth:>11} "
            f"{timing.median_ms / trivial.median_ms:>12.1f} "
            f"{(f'{rate / trivial_rate:.2f}' if rate and trivial_rate else '-'):>15}")
    return lines


def _throughput(app, events: dict[str, str], tokens: dict[str, str]) -> dict[tuple[str, str], float]:
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if ":memory:" in url or shutil.which(str(gunicorn)) is None:
        return {}
    port = bench_live._free_port()
    env = {**os.environ, "CONFMAN_DATABASE_URL": url, "CONFMAN_ENV": "development",
           "CONFMAN_UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "CONFMAN_RATELIMIT_ENABLED": "false",
           "CONFMAN_JOBS_INLINE": "false"}
    command = [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "gthread",
               "--threads", "8", "--keep-alive", "30", "--log-level", "warning", "bench.live_wsgi:app"]
    server = subprocess.Popen(command, env=env, cwd=str(Path(__file__).resolve().parent.parent))
    results = {}
    previous = bench_live.CLIENTS, bench_live.SECONDS
    bench_live.CLIENTS, bench_live.SECONDS = CLIENTS, SECONDS
    try:
        bench_live._wait_for(port)
        cookie = _session_cookie(port)
        results[(TRIVIAL, "-")] = asyncio.run(bench_live._load(port, "/healthz", ""))[0]
        for size, slug in events.items():
            for label, path, private in _endpoints(slug, tokens[size]):
                headers = f"Cookie: {cookie}\r\n" if private else ""
                urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                                              headers={"Cookie": cookie})).read()  # warm
                results[(label, size)] = asyncio.run(bench_live._load(port, path, headers))[0]
    finally:
        bench_live.CLIENTS, bench_live.SECONDS = previous
        server.terminate()
        server.wait(timeout=20)
    return results


def _session_cookie(port: int) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD}).encode()
    opener.open(f"http://127.0.0.1:{port}/login", data=body).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)
