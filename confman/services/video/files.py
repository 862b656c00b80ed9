"""Private upload storage for video messages: checking files by content, measuring them, storing them atomically.

An upload is first staged to a private temp file on this machine's disk (its container is sniffed from the bytes
and ffmpeg measures its duration there), then `keep` hands it to the app's file storage (`confman.storage`: the
upload folder or an S3-compatible bucket), so any app server can serve it afterwards.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from confman.services import ConfmanError
from confman.storage import FileStorage

CHUNK = 1024 * 1024
DEFAULT_VIDEO_MAX_BYTES = 500 * 1024 * 1024
DEFAULT_TRANSCRIPT_MAX_BYTES = 10 * 1024 * 1024
FFMPEG_TIMEOUT_SECONDS = 120


class UploadRefused(ConfmanError):
    """A file was refused; nothing of it was kept."""


class UnsafeFilename(UploadRefused):
    pass


class EmptyFile(UploadRefused):
    pass


class FileTooLarge(UploadRefused):
    pass


class NotAVideo(UploadRefused):
    pass


class TypeMismatch(UploadRefused):
    pass


class NotATranscript(UploadRefused):
    pass


@dataclass(frozen=True)
class Container:
    name: str  # what people call it
    family: str  # containers that share a byte format: a declared type from the same family is no mismatch
    content_type: str
    extension: str


CONTAINERS = {
    "mp4": Container("MP4", "isobmff", "video/mp4", ".mp4"),
    "mov": Container("QuickTime (MOV)", "isobmff", "video/quicktime", ".mov"),
    "webm": Container("WebM", "matroska", "video/webm", ".webm"),
    "mkv": Container("Matroska (MKV)", "matroska", "video/x-matroska", ".mkv"),
}
_EXTENSION_FAMILY = {".mp4": "isobmff", ".m4v": "isobmff", ".mov": "isobmff", ".webm": "matroska", ".mkv": "matroska"}
_MIME_FAMILY = {
    "video/mp4": "isobmff", "video/x-m4v": "isobmff", "video/quicktime": "isobmff",
    "video/webm": "matroska", "audio/webm": "matroska", "video/x-matroska": "matroska", "video/matroska": "matroska",
}
# Declared types that say nothing (what browsers send for a file they do not know).
_UNINFORMATIVE_MIME = {"", "application/octet-stream", "binary/octet-stream"}
TRANSCRIPT_TYPES = {".txt": "text/plain", ".srt": "application/x-subrip", ".vtt": "text/vtt",
                    ".pdf": "application/pdf", ".docx": ("application/vnd.openxmlformats-officedocument"
                                                         ".wordprocessingml.document")}
ACCEPTED_VIDEO_EXTENSIONS = ", ".join(sorted(_EXTENSION_FAMILY))
ACCEPTED_TRANSCRIPT_EXTENSIONS = ", ".join(sorted(TRANSCRIPT_TYPES))


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file as the web layer hands it over: the client's name and type are claims, not facts."""

    filename: str
    stream: BinaryIO
    declared_type: str = ""


@dataclass
class StagedFile:
    """A checked file in the local staging folder: `keep` stores it, `discard` drops it."""

    temp_path: Path
    original_name: str
    size: int
    checksum: str
    content_type: str
    extension: str
    duration: timedelta | None = None


def sniff_container(head: bytes) -> str | None:
    """The video container of a file from its first bytes: 'mp4', 'mov', 'webm', 'mkv' or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return "mov" if brand == b"qt  " else "mp4"
    if len(head) >= 8 and head[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return "mov"  # old QuickTime files start with an atom other than ftyp
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # The EBML header names its DocType near the start: "webm" or "matroska".
        window = head[:64]
        if b"webm" in window:
            return "webm"
        if b"matroska" in window:
            return "mkv"
    return None


def check_filename(filename: str | None) -> str:
    """The name as given, when it is a plain file name. Raises UnsafeFilename for path parts or control characters."""
    name = (filename or "").strip()
    if not name:
        raise UnsafeFilename("The file has no name. Choose the file again.")
    if "/" in name or "\\" in name or name in (".", "..") or PurePosixPath(name).name != name:
        raise UnsafeFilename(f"The file name “{name}” contains folder parts; send the file itself.")
    if any(ord(ch) < 32 for ch in name) or len(name) > 200:
        raise UnsafeFilename("The file name is too long or contains control characters; rename the file.")
    return name


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _stage_bytes(incoming: IncomingFile, staging: Path, max_bytes: int, what: str) -> tuple[Path, int, str, bytes]:
    """Copy the stream to a private temp file in chunks, so a file of hundreds of MB never sits in memory."""
    staging.mkdir(parents=True, exist_ok=True)
    temp = staging / f"{secrets.token_hex(16)}.part"
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with temp.open("xb") as out:
            while chunk := incoming.stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(
                        f"The {what} is larger than the limit of {human_size(max_bytes)}. "
                        "Send a smaller file, or a link to it."
                    )
                if len(head) < 64:
                    head += chunk[: 64 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise EmptyFile(f"The {what} “{incoming.filename}” is empty.")
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, size, digest.hexdigest(), head


def stage_video(incoming: IncomingFile, *, upload_root: Path, max_bytes: int) -> StagedFile:
    """Check an uploaded video and stage it. Raises UnsafeFilename, EmptyFile, FileTooLarge, NotAVideo, TypeMismatch.

    The container is read from the content; the extension and the declared type must agree with it (as a family:
    an MP4 named .mov is fine, a WebM named .mp4 is not). The duration is measured by ffmpeg.
    """
    name = check_filename(incoming.filename)
    extension = _extension(name)
    if extension not in _EXTENSION_FAMILY:
        raise NotAVideo(f"“{name}” is not a video file we accept. Accepted: {ACCEPTED_VIDEO_EXTENSIONS}.")
    temp, size, checksum, head = _stage_bytes(incoming, upload_root / "staging", max_bytes, "video")
    try:
        kind = sniff_container(head)
        if kind is None:
            raise NotAVideo(f"“{name}” is not an MP4, MOV, WebM or MKV video (judging by its content).")
        container = CONTAINERS[kind]
        declared = (incoming.declared_type or "").split(";")[0].strip().lower()
        declared_family = _MIME_FAMILY.get(declared)
        if _EXTENSION_FAMILY[extension] != container.family or (
            declared not in _UNINFORMATIVE_MIME and declared_family != container.family
        ):
            raise TypeMismatch(
                f"“{name}” claims to be {extension} ({declared or 'no type given'}) but its content is "
                f"{container.name}. Export the video again, or rename it to {container.extension}."
            )
        duration = measure_duration(temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return StagedFile(temp, name, size, checksum, container.content_type, container.extension, duration)


def stage_transcript(incoming: IncomingFile, *, upload_root: Path, max_bytes: int) -> StagedFile:
    """Check a transcript or subtitle file and stage it.

    Raises UnsafeFilename, EmptyFile, FileTooLarge, NotATranscript.
    """
    name = check_filename(incoming.filename)
    extension = _extension(name)
    if extension not in TRANSCRIPT_TYPES:
        raise NotATranscript(
            f"“{name}” is not a transcript type we accept. Accepted: {ACCEPTED_TRANSCRIPT_EXTENSIONS}."
        )
    temp, size, checksum, head = _stage_bytes(incoming, upload_root / "staging", max_bytes, "transcript")
    try:
        if not _transcript_content_matches(temp, extension, head):
            raise NotATranscript(f"The content of “{name}” is not a {extension} file.")
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return StagedFile(temp, name, size, checksum, TRANSCRIPT_TYPES[extension], extension)


def _transcript_content_matches(path: Path, extension: str, head: bytes) -> bool:
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".docx":
        return head.startswith(b"PK\x03\x04")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return False
    if "\x00" in text:
        return False
    return text.lstrip().startswith("WEBVTT") if extension == ".vtt" else True


def keep(staged: StagedFile, *, storage: FileStorage, folder: str) -> str:
    """Store a staged file under a server-chosen name in `folder`; return its storage key. All or nothing: the
    storage writes atomically, and the local staged copy goes once it is stored."""
    key = f"{folder}/{secrets.token_hex(16)}{staged.extension}"
    with staged.temp_path.open("rb") as handle:
        storage.save(key, handle)
    staged.temp_path.unlink(missing_ok=True)
    return key


def discard(*staged: StagedFile | None) -> None:
    for item in staged:
        if item is not None:
            item.temp_path.unlink(missing_ok=True)


def remove_kept(storage: FileStorage, *keys: str | None) -> None:
    """Undo `keep` when the database refused the change that referenced the files."""
    for key in keys:
        if key:
            storage.delete(key)


def resolve(upload_root: Path, key: str) -> Path:
    """The file for a storage key; refuses keys that would leave the upload folder."""
    root = upload_root.resolve()
    path = (root / key).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"storage key {key!r} leaves the upload folder")
    return path


_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")


def measure_duration(path: Path) -> timedelta | None:
    """The video's duration as ffmpeg reads it (None when the container does not say). Raises NotAVideo.

    Uses the ffmpeg binary of the imageio-ffmpeg package, so no system ffmpeg is needed. `ffmpeg -i` only reads the
    headers, which is quick even for large files.
    """
    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", f"file:{path}"]
    try:
        result = subprocess.run(command, capture_output=True, timeout=FFMPEG_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise NotAVideo("The video could not be read in time; it may be damaged.") from exc
    output = result.stderr.decode("utf-8", "replace")
    if not re.search(r"Stream #\S+.*: Video:", output):
        raise NotAVideo("The file could not be read as a video; it may be damaged or incomplete.")
    match = _DURATION.search(output)
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return timedelta(hours=int(hours), minutes=int(minutes), seconds=round(float(seconds), 2))


def human_size(size: int) -> str:
    """'500 MB', '1.5 KB', '12 bytes'."""
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024:
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}".replace(".0 ", " ")
        value /= 1024
    return f"{value:.1f} GB".replace(".0 ", " ")
