"""Small real video files made with the ffmpeg binary of imageio-ffmpeg: no downloads, a few KB each."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg

_CODEC = {"mp4": [], "mov": [], "mkv": [], "webm": ["-c:v", "libvpx-vp9", "-b:v", "50k"]}


def make_video(directory: Path, container: str = "mp4", seconds: float = 3) -> Path:
    """A `seconds`-long test-pattern video in `container` (mp4, mov, webm, mkv), made once per directory."""
    path = directory / f"pattern-{seconds:g}s.{container}"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi",
             "-i", f"testsrc=duration={seconds:g}:size=64x48:rate=10", "-pix_fmt", "yuv420p", *_CODEC[container],
             str(path)],
            check=True, capture_output=True, timeout=60,
        )
    return path


def make_slot(event, *, now, speaker_name="Pervez Khattak", **overrides):
    """A video-message session with its slot (5:00 allowed, deadline 20 Oct 2021 17:00 New York), flushed."""
    from datetime import UTC, datetime, timedelta

    from confman.extensions import db
    from confman.models import SessionKind, VideoMessage

    from factories import make_session, make_speaker

    speaker = overrides.pop("speaker", None) or make_speaker(
        event, honorific="H.E. Mr.", name=speaker_name, title="Minister of Defence", email="office@mod.example")
    item = make_session(event, kind=SessionKind.VIDEO_MESSAGE, title=f"Video message: {speaker.name}",
                        starts_at=datetime(2021, 10, 25, 12, 30, tzinfo=UTC), duration=timedelta(minutes=6))
    values = dict(session=item, speaker=speaker, allowed_length=timedelta(minutes=5),
                  deadline_at=datetime(2021, 10, 20, 21, 0, tzinfo=UTC), language="English", created_at=now)
    values.update(overrides)
    vm = VideoMessage(**values)
    db.session.add(vm)
    db.session.flush()
    return vm
