"""Faults: a full or unwritable upload disk, and a database that goes away and comes back."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from video_samples import make_slot, make_video

from confman.extensions import db
from confman.models import AuditEntry, VideoMessage, VideoStatus, VideoSubmission
from confman.services import video
from confman.timeutil import utcnow

from conftest import make_app, page_text
from factories import make_event, make_organizer


@pytest.fixture
def slot(app):
    event = make_event(slug="prepcon", title="PrepCon 2021", timezone="America/New_York")
    vm = make_slot(event, now=utcnow())
    token = video.make_submission_link(vm, actor=make_organizer(event), now=utcnow())
    db.session.commit()
    return token, vm.id


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("videos"))


def _stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


class _FullDisk:
    """A file whose writes fail as on a full disk."""

    def __init__(self, real):
        self.real = real

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()

    def write(self, _chunk):
        raise OSError(errno.ENOSPC, "No space left on device")


def _assert_nothing_stored(app, vm_id):
    db.session.expire_all()
    assert _stored_files(app) == []
    assert db.session.scalar(select(func.count(VideoSubmission.id))) == 0
    assert db.session.get(VideoMessage, vm_id).status == VideoStatus.REQUESTED
    assert db.session.scalar(select(func.count(AuditEntry.id)).filter_by(action="video.received")) == 0


def test_video_upload_on_a_full_disk_says_so_and_stores_nothing(app, client, slot, clip, monkeypatch):
    token, vm_id = slot
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, mode="r", *a, **k: _FullDisk(real_open(self, mode, *a, **k))
                        if self.suffix == ".part" else real_open(self, mode, *a, **k))

    response = client.post(f"/submit/{token}", data={"video": (io.BytesIO(clip.read_bytes()), "statement.mp4")},
                           content_type="multipart/form-data")

    assert response.status_code == 507
    assert "could not store the file" in page_text(response) and "Nothing was saved" in page_text(response)
    _assert_nothing_stored(app, vm_id)


def test_video_kept_before_the_disk_filled_is_removed_again(app, client, slot, clip, monkeypatch):
    token, vm_id = slot
    real_keep, calls = video.files.keep, []

    def keep_then_fail(staged, **kwargs):
        calls.append(staged)
        if len(calls) == 2:  # the video is in place; moving the transcript fails
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_keep(staged, **kwargs)

    monkeypatch.setattr(video.files, "keep", keep_then_fail)

    response = client.post(f"/submit/{token}", data={
        "video": (io.BytesIO(clip.read_bytes()), "statement.mp4"),
        "transcript": (io.BytesIO(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"), "statement.vtt"),
    }, content_type="multipart/form-data")

    assert response.status_code == 507
    assert len(calls) == 2
    _assert_nothing_stored(app, vm_id)


@pytest.mark.postgres
def test_app_recovers_by_itself_when_the_database_connections_are_killed(tmp_path, postgres_url):
    app = make_app(tmp_path, postgres_url)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # the pool now holds a live connection
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    database = admin.url.database

    with admin.connect() as conn:
        killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": database}).scalar()
    health, page = client.get("/healthz"), client.get("/")

    admin.dispose()
    with app.app_context():
        db.engine.dispose()
    assert killed >= 1
    assert health.status_code == 200 and health.json["database"] == "ok"
    assert page.status_code == 200
