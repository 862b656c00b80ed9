"""Checking uploaded video and transcript files by their content, with real files made by ffmpeg."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from video_samples import make_video

from confman.services import video
from confman.services.video.files import IncomingFile
from confman.storage import LocalStorage


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    return tmp_path_factory.mktemp("videos")


def _incoming(path, name=None, declared=""):
    return IncomingFile(name or path.name, io.BytesIO(path.read_bytes()), declared)


def _left_in(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("container", "content_type"), [
    ("mp4", "video/mp4"), ("mov", "video/quicktime"), ("webm", "video/webm"), ("mkv", "video/x-matroska"),
])
def test_stage_video_detects_the_container_and_measures_the_duration(videos, tmp_path, container, content_type):
    path = make_video(videos, container, seconds=3)

    staged = video.files.stage_video(_incoming(path), upload_root=tmp_path, max_bytes=10_000_000)

    assert staged.content_type == content_type
    assert staged.duration == timedelta(seconds=3)
    assert staged.size == path.stat().st_size
    assert staged.temp_path.read_bytes() == path.read_bytes()


def test_keep_moves_the_file_to_a_server_chosen_name(videos, tmp_path):
    staged = video.files.stage_video(_incoming(videos / make_video(videos).name, "My statement.mp4"),
                                     upload_root=tmp_path, max_bytes=10_000_000)

    key = video.files.keep(staged, storage=LocalStorage(tmp_path / "uploads"), folder="video/1/2")

    assert key.startswith("video/1/2/") and key.endswith(".mp4")
    assert "statement" not in key
    assert (tmp_path / "uploads" / key).is_file()
    assert _left_in(tmp_path / "staging") == []


@pytest.mark.parametrize(("name", "content", "declared", "refusal", "message"), [
    ("statement.mp4", b"just some text, not a video at all", "video/mp4", video.files.NotAVideo,
     "is not an MP4, MOV, WebM or MKV video"),
    ("statement.exe", b"MZ\x90\x00", "application/octet-stream", video.files.NotAVideo, "not a video file we accept"),
    ("statement.mp4", b"", "video/mp4", video.files.EmptyFile, "is empty"),
    ("../../etc/statement.mp4", None, "video/mp4", video.files.UnsafeFilename, "contains folder parts"),
    ("C:\\Users\\office\\statement.mp4", None, "video/mp4", video.files.UnsafeFilename, "contains folder parts"),
    ("statement.mp4", "webm", "video/mp4", video.files.TypeMismatch, "its content is WebM"),
    ("statement.webm", "webm", "video/mp4", video.files.TypeMismatch, "claims to be .webm (video/mp4)"),
    ("statement.mp4", b"\x00\x00\x00\x20ftypisom" + b"\x00" * 200, "video/mp4", video.files.NotAVideo,
     "could not be read as a video"),
])
def test_stage_video_refuses_bad_files_and_keeps_nothing(videos, tmp_path, name, content, declared, refusal, message):
    if content is None:
        content = make_video(videos).read_bytes()
    elif content == "webm":
        content = make_video(videos, "webm").read_bytes()

    with pytest.raises(refusal) as caught:
        video.files.stage_video(IncomingFile(name, io.BytesIO(content), declared), upload_root=tmp_path,
                                max_bytes=10_000_000)

    assert message in str(caught.value)
    assert _left_in(tmp_path) == []


def test_stage_video_refuses_a_file_over_the_limit_and_keeps_nothing(videos, tmp_path):
    path = make_video(videos)

    with pytest.raises(video.files.FileTooLarge) as caught:
        video.files.stage_video(_incoming(path), upload_root=tmp_path, max_bytes=1000)

    assert "larger than the limit of 1000 bytes" in str(caught.value)
    assert _left_in(tmp_path) == []


def test_stage_video_accepts_an_uninformative_declared_type(videos, tmp_path):
    staged = video.files.stage_video(_incoming(make_video(videos, "mkv"), declared="application/octet-stream"),
                                     upload_root=tmp_path, max_bytes=10_000_000)

    assert staged.content_type == "video/x-matroska"


@pytest.mark.parametrize(("name", "content", "ok"), [
    ("transcript.txt", "Excellencies, distinguished delegates…".encode(), True),
    ("subtitles.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nExcellencies", True),
    ("subtitles.srt", b"1\n00:00:00,000 --> 00:00:02,000\nExcellencies\n", True),
    ("transcript.pdf", b"%PDF-1.7\n...", True),
    ("transcript.docx", b"PK\x03\x04rest", True),
    ("subtitles.vtt", b"1\n00:00:00,000 --> 00:00:02,000\n", False),
    ("transcript.pdf", b"not a pdf", False),
    ("transcript.txt", b"\xff\xfe\x00binary\x00", False),
    ("transcript.mp4", b"whatever", False),
])
def test_stage_transcript_checks_the_content_against_the_extension(tmp_path, name, content, ok):
    incoming = IncomingFile(name, io.BytesIO(content), "")

    if ok:
        staged = video.files.stage_transcript(incoming, upload_root=tmp_path, max_bytes=100_000)
        assert staged.size == len(content)
    else:
        with pytest.raises(video.files.NotATranscript):
            video.files.stage_transcript(incoming, upload_root=tmp_path, max_bytes=100_000)
        assert _left_in(tmp_path) == []


def test_resolve_refuses_keys_that_leave_the_upload_folder(tmp_path):
    with pytest.raises(ValueError):
        video.files.resolve(tmp_path, "../outside.mp4")


def test_human_size_reads_like_people_write_sizes():
    assert [video.files.human_size(n) for n in (12, 1536, 500 * 1024 * 1024, 3 * 1024**3)] == [
        "12 bytes", "1.5 KB", "500 MB", "3 GB"]
