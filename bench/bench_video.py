"""Video messages: the overview's query count does not grow with the slots; a large upload streams through a
small, fixed amount of memory."""

from __future__ import annotations

import subprocess
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import imageio_ffmpeg
from sqlalchemy import select

from bench.harness import HEADER, count_queries, measure
from confman.extensions import db
from confman.models import AgendaSession, Event, SessionKind, VideoMessage, VideoStatus, VideoSubmission
from confman.services import users, video

SLOTS = {"small": 4, "large": 40}
PASSWORD = "bench password 1"
UPLOAD_MB = 128


def run(app, events: dict[str, str]) -> list[str]:
    with app.app_context():
        for size, slug in events.items():
            _add_slots(db.session.scalar(select(Event).filter_by(slug=slug)), SLOTS[size])
        users.create_user("bench-admin@example.org", password=PASSWORD, now=datetime.now(UTC), is_admin=True)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "bench-admin@example.org", "password": PASSWORD})

    lines = [HEADER]
    results = {}
    for size, slug in events.items():
        path = f"/manage/events/{slug}/video-messages/"
        timing = measure(app, f"video overview ({SLOTS[size]} slots)", lambda _c, p=path: client.get(p), repeat=20)
        results[size] = timing
        lines.append(timing.row())
    lines.append(f"video overview: queries {results['small'].queries} -> {results['large'].queries} "
                 f"for {SLOTS['small']} -> {SLOTS['large']} slots")
    lines.append(_reminders(app))
    lines.append(_upload())
    return lines


def _add_slots(event: Event, count: int) -> None:
    start = datetime.combine(event.starts_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=6)
    for n in range(count):
        item = AgendaSession(event=event, kind=SessionKind.VIDEO_MESSAGE, title=f"Video message {n + 1}",
                             starts_at=start + timedelta(minutes=6 * n), duration=timedelta(minutes=6))
        vm = VideoMessage(session=item, allowed_length=timedelta(minutes=5), office_email=f"office{n}@example.org",
                          deadline_at=start - timedelta(days=1, hours=n),
                          status=VideoStatus.RECEIVED if n % 2 else VideoStatus.REQUESTED)
        if n % 2:
            vm.submissions.append(VideoSubmission(submitted_at=start - timedelta(days=2), file_path="video/x.mp4",
                                                  file_name="statement.mp4", measured_length=timedelta(minutes=4)))
            vm.measured_length = timedelta(minutes=4)
        db.session.add(item)
        db.session.add(vm)


def _reminders(app) -> str:
    with app.app_context(), count_queries(app) as counter:
        event = db.session.scalar(select(Event).join(AgendaSession).where(AgendaSession.title == "Video message 1")
                                  .limit(1))
        now = datetime.combine(event.starts_on, datetime.min.time(), tzinfo=UTC) - timedelta(days=3)
        started = time.perf_counter()
        report = video.queue_reminders(now=now)
        elapsed = (time.perf_counter() - started) * 1000
        db.session.rollback()
    return (f"video remind over all slots: {len(report.queued)} queued, {len(report.overdue)} overdue, "
            f"{counter['n']} queries, {elapsed:.0f} ms")


def _upload() -> str:
    """Stage a real MP4 padded to UPLOAD_MB: time, throughput and the Python memory peak while it streams."""
    with tempfile.TemporaryDirectory(prefix="confman-bench-upload-") as scratch:
        root = Path(scratch)
        source = root / "big.mp4"
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc=duration=3:size=64x48:rate=10", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                        str(source)], check=True, timeout=60)
        with source.open("ab") as out:
            out.write(b"\0" * (UPLOAD_MB * 1024 * 1024 - source.stat().st_size))
        with source.open("rb") as stream:
            tracemalloc.start()
            started = time.perf_counter()
            staged = video.files.stage_video(video.files.IncomingFile("big.mp4", stream, "video/mp4"),
                                             upload_root=root / "uploads", max_bytes=1024**3)
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        video.files.discard(staged)
    return (f"stage a {UPLOAD_MB} MB video (copy, SHA-256, sniff, ffmpeg duration {staged.duration}): "
            f"{elapsed * 1000:.0f} ms, {UPLOAD_MB / elapsed:.0f} MB/s, Python memory peak "
            f"{video.files.human_size(peak)}")
