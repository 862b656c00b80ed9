"""live.json: queries and latency (computed, cached, 304), and throughput under 200 polling clients with gunicorn
as a ratio to a trivial endpoint of the same app (the goal is at least 0.8). Then the same with a list of speakers
of 150 entries on the large event's plenary (issue 14: the same query count, throughput within 20%)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bench.harness import HEADER, measure
from confman.extensions import db
from confman.models import (
    AgendaSession,
    Delegation,
    Event,
    Inscription,
    InscriptionStatus,
    Organization,
    OrganizationKind,
    ProtocolRank,
    SpeakersList,
)
from confman.web import live as live_views

NOW = datetime(2021, 10, 25, 9, 0, tzinfo=UTC)
CLIENTS = 200
SECONDS = 5


def run(app, events: dict[str, str]) -> list[str]:
    app.config["TESTING_NOW"] = NOW
    lines = [HEADER]
    for size, slug in events.items():
        lines += _latency(app, slug, size)
    lines.extend(_throughput(app, events["large"]))
    _add_list_of_speakers(app, events["large"], entries=150)
    lines += _latency(app, events["large"], "large, 150 on the list")
    lines.extend(_throughput(app, events["large"], title="large event, 150 on the list"))
    return lines


def _latency(app, slug: str, label: str) -> list[str]:
    url = f"/events/{slug}/live.json"

    def computed(client):
        live_views._cache.clear()
        return client.get(url)

    etag = app.test_client().get(url).headers["ETag"]
    return [measure(app, f"live.json computed ({label})", computed, repeat=20).row(),
            measure(app, f"live.json cached 200 ({label})", lambda c: c.get(url), repeat=50).row(),
            measure(app, f"live.json 304 ({label})", lambda c: c.get(url, headers={"If-None-Match": etag}),
                    repeat=50).row()]


def _add_list_of_speakers(app, slug: str, *, entries: int) -> None:
    """A list on the session live at NOW: one delegation speaking, the rest waiting, in mixed ranks."""
    with app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=slug))
        item = next(s for s in db.session.scalars(select(AgendaSession).where(
            AgendaSession.event_id == event.id, AgendaSession.starts_at <= NOW).order_by(AgendaSession.id))
            if NOW < s.starts_at + s.duration)
        speakers_list = SpeakersList(session_id=item.id, event_id=event.id, is_open=True,
                                     categories=["member_state"], default_time_limit=timedelta(minutes=4),
                                     max_per_delegation=1)
        db.session.add(speakers_list)
        ranks = list(ProtocolRank)
        for n in range(entries):
            organization = Organization(name=f"Listed delegation {n + 1}", kind=OrganizationKind.MEMBER_STATE)
            delegation = Delegation(event_id=event.id, organization=organization)
            db.session.add(Inscription(
                session_id=item.id, event_id=event.id, delegation=delegation, turn=1,
                speaker_honorific="H.E.", speaker_name=f"Speaker {n + 1}", speaker_title="Minister",
                protocol_rank=ranks[n % len(ranks)], inscribed_at=NOW - timedelta(minutes=entries - n),
                status=InscriptionStatus.CALLED if n == 0 else InscriptionStatus.PENDING,
                called_at=NOW if n == 0 else None))
        db.session.commit()


def _throughput(app, slug: str, title: str = "large event") -> list[str]:
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    has_gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is not None
    if ":memory:" in url or not has_gunicorn:
        return ["throughput: skipped (needs gunicorn and a file or server database)"]
    port = _free_port()
    env = {**os.environ, "CONFMAN_DATABASE_URL": url, "CONFMAN_ENV": "development"}
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                "--worker-class", "gthread", "--threads", "8", "--keep-alive", "30", "--log-level", "warning",
                "bench.live_wsgi:app"]
    server = subprocess.Popen(gunicorn, env=env, cwd=str(Path(__file__).resolve().parent.parent))
    try:
        _wait_for(port)
        etag = asyncio.run(_fetch_etag(port, f"/events/{slug}/live.json"))
        results = {}
        for label, path, headers in (
            ("trivial endpoint", "/_bench/trivial", ""),
            ("live.json polling (If-None-Match: 304)", f"/events/{slug}/live.json", f"If-None-Match: {etag}\r\n"),
            ("live.json without ETag (200)", f"/events/{slug}/live.json", ""),
        ):
            results[label] = asyncio.run(_load(port, path, headers))
    finally:
        server.terminate()
        server.wait(timeout=20)
    base = results["trivial endpoint"][0]
    lines = [f"throughput, {CLIENTS} keep-alive clients for {SECONDS} s, gunicorn 2 workers x 8 threads ({title}):"]
    for label, (rate, errors) in results.items():
        lines.append(f"  {label:<42} {rate:>8.0f} req/s  ratio {rate / base:.2f}  errors {errors}")
    return lines


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


async def _fetch_etag(port: int, path: str) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    data = await reader.read()
    writer.close()
    for line in data.split(b"\r\n"):
        if line.lower().startswith(b"etag:"):
            return line.split(b":", 1)[1].strip().decode()
    raise RuntimeError(f"live.json sent no ETag: {data[:300]!r}")


async def _load(port: int, path: str, headers: str) -> tuple[float, int]:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode()
    stop = time.monotonic() + SECONDS
    counts = {"ok": 0, "errors": 0}

    async def client():
        reader = writer = None
        while time.monotonic() < stop:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                status, length, close = await _read_response(reader)
                counts["ok" if status in (200, 304) else "errors"] += 1
                if close:
                    writer.close()
                    reader = writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError):
                counts["errors"] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return counts["ok"] / (time.monotonic() - started), counts["errors"]


async def _read_response(reader) -> tuple[int, int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "connection" and value.strip().lower() == "close":
            close = True
    if length:
        await reader.readexactly(length)
    return status, length, close
