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
