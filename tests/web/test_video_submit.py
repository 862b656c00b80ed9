"""The speaker's office page: no account, only the private link; real videos made by ffmpeg."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from video_samples import make_slot, make_video

from confman.extensions import db
from confman.models import AuditEntry, SubmissionOutcome, VideoMessage, VideoStatus, VideoSubmission
from confman.services import video
from confman.timeutil import utcnow

from conftest import page_text
from factories import make_event, make_organizer


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    return tmp_path_factory.mktemp("videos")


@pytest.fixture
def slot(app):
    """A slot with an active link: (token, video message id)."""
    event = make_event(slug="prepcon", title="PrepCon 2021", timezone="America/New_York")
    organizer = make_organizer(event)
    vm = make_slot(event, now=utcnow())
    token = video.make_submission_link(vm, actor=organizer, now=utcnow())
    db.session.commit()
    return token, vm.id


def _upload(path, name=None, declared="video/mp4"):
    return (io.BytesIO(path.read_bytes()), name or path.name, declared)


def _stored_files(app):
    root = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _vm(vm_id) -> VideoMessage:
    db.session.expire_all()
    return db.session.get(VideoMessage, vm_id)


def test_submit_page_shows_the_slot_in_the_event_zone_and_the_office_zone(client, slot):
    token, _ = slot

    response = client.get(f"/submit/{token}?tz=Asia/Karachi")

    text = page_text(response)
    assert response.status_code == 200
    assert "Video message for PrepCon 2021" in text
    assert "Video message: Pervez Khattak" in text
    assert "Monday 25 October 2021, 08:30 (America/New_York, UTC-4)" in text
    assert "Your time: Monday 25 October 2021, 17:30 (Asia/Karachi, UTC+5)" in text
    assert "Wednesday 20 October 2021, 17:00 (America/New_York, UTC-4)" in text  # the deadline
    assert "5:00 (minutes:seconds) at most" in text
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_submit_stores_the_video_under_a_server_name_and_says_received(app, client, slot, videos):
    token, vm_id = slot
    path = make_video(videos, "mp4", seconds=3)

    response = client.post(f"/submit/{token}", data={"video": _upload(path, "Statement of the Minister.mp4")},
                           content_type="multipart/form-data", follow_redirects=True)

    text = page_text(response)
    vm = _vm(vm_id)
    assert response.status_code == 200
    assert "Thank you: the video was received." in text
    assert "Received" in text and "It is 0:03 long" in text
    assert vm.status == VideoStatus.RECEIVED
    assert vm.measured_length == timedelta(seconds=3)
    assert vm.file_name == "Statement of the Minister.mp4"
    assert vm.content_type == "video/mp4"
    assert vm.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert _stored_files(app) == [vm.file_path]
    assert "Statement" not in vm.file_path
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_id == vm_id).order_by(
        AuditEntry.id.desc())) == "video.received"


def test_submit_accepts_a_longer_video_but_flags_it_with_the_figures(app, client, videos):
    event = make_event(slug="prepcon")
    vm = make_slot(event, now=utcnow(), allowed_length=timedelta(seconds=2))
    token = video.make_submission_link(vm, actor=make_organizer(event), now=utcnow())
    db.session.commit()

    response = client.post(f"/submit/{token}", data={"video": _upload(make_video(videos, "webm", 3), None,
                                                                      "video/webm")},
                           content_type="multipart/form-data", follow_redirects=True)

    assert "Longer than allowed: the video is 0:03 long and the slot allows 0:02." in page_text(response)
    assert video.is_over_length(_vm(vm.id))


def test_submit_takes_a_link_and_a_transcript(app, client, slot):
    token, vm_id = slot

    response = client.post(f"/submit/{token}", data={
        "link": "https://files.mofa.example/statement.mp4",
        "transcript": (io.BytesIO(b"Excellencies, distinguished delegates"), "transcript.txt", "text/plain"),
    }, content_type="multipart/form-data")

    vm = _vm(vm_id)
    assert response.status_code == 302
    assert vm.status == VideoStatus.RECEIVED
    assert vm.link_url == "https://files.mofa.example/statement.mp4"
    assert vm.file_path is None and vm.measured_length is None
    assert vm.transcript_name == "transcript.txt"
    assert _stored_files(app) == [vm.transcript_path]


@pytest.mark.parametrize(("data", "message"), [
    ({"video": (io.BytesIO(b"plain text pretending"), "statement.mp4", "video/mp4")},
     "is not an MP4, MOV, WebM or MKV video"),
    ({"video": (io.BytesIO(b""), "statement.mp4", "video/mp4")}, "“statement.mp4” is empty"),
    ({"video": "VIDEO:../../statement.mp4"}, "contains folder parts"),
    ({"video": "WEBM:statement.mp4"}, "its content is WebM"),
    ({"video": "VIDEO:statement.mp4", "link": "https://example.org/v.mp4"}, "either a file or a link, not both"),
    ({}, "Choose a video file to upload, or give a link"),
    ({"link": "javascript:alert(1)"}, "starting with https://"),
    ({"video": "VIDEO:statement.mp4", "transcript": (io.BytesIO(b"%PDF"), "notes.vtt", "text/vtt")},
     "is not a .vtt file"),
])
def test_submit_refuses_bad_input_with_a_clear_message_and_stores_nothing(app, client, slot, videos, data,
                                                                          message):
    token, vm_id = slot
    for key, value in list(data.items()):
        if isinstance(value, str) and value.startswith(("VIDEO:", "WEBM:")):
            kind, _, name = value.partition(":")
            data[key] = _upload(make_video(videos, "webm" if kind == "WEBM" else "mp4"), name)

    response = client.post(f"/submit/{token}", data=data, content_type="multipart/form-data")

    assert response.status_code == 400
    assert message in page_text(response)
    assert _vm(vm_id).status == VideoStatus.REQUESTED
    assert db.session.scalar(select(func.count()).select_from(VideoSubmission)) == 0
    assert _stored_files(app) == []


@pytest.mark.parametrize("app_config", [{"VIDEO_MAX_BYTES": 1000}])
def test_submit_refuses_a_video_over_the_configured_limit(app, client, slot, videos):
    token, vm_id = slot

    response = client.post(f"/submit/{token}", data={"video": _upload(make_video(videos))},
                           content_type="multipart/form-data")

    assert response.status_code == 400
    assert "larger than the limit of 1000 bytes" in page_text(response)
    assert _vm(vm_id).status == VideoStatus.REQUESTED
    assert _stored_files(app) == []


@pytest.mark.parametrize("app_config", [{"VIDEO_MAX_BYTES": 1000, "TRANSCRIPT_MAX_BYTES": 1000}])
def test_submit_refuses_a_request_far_over_the_limit_before_reading_it(app, client, slot):
    token, vm_id = slot

    # Encoded up front: the test client would otherwise spool a body this large to a file it never closes.
    body = (b"--b\r\nContent-Disposition: form-data; name=\"video\"; filename=\"huge.mp4\"\r\n"
            b"Content-Type: video/mp4\r\n\r\n" + b"\0" * (2 * 1024 * 1024) + b"\r\n--b--\r\n")

    response = client.post(f"/submit/{token}", data=body, content_type="multipart/form-data; boundary=b")

    assert response.status_code == 413
    assert "larger than the limit of 1000 bytes" in page_text(response)
    assert _vm(vm_id).status == VideoStatus.REQUESTED
    assert _stored_files(app) == []


def test_resubmitting_before_review_replaces_the_video_and_keeps_the_earlier_one(app, client, slot, videos):
    token, vm_id = slot
    client.post(f"/submit/{token}", data={"video": _upload(make_video(videos, "mp4", 3))},
                content_type="multipart/form-data")

    client.post(f"/submit/{token}", data={"video": _upload(make_video(videos, "mov", 2), None, "video/quicktime")},
                content_type="multipart/form-data")

    vm = _vm(vm_id)
    assert [s.outcome for s in vm.submissions] == [SubmissionOutcome.REPLACED, SubmissionOutcome.RECEIVED]
    assert vm.measured_length == timedelta(seconds=2)
    assert vm.content_type == "video/quicktime"
    assert _stored_files(app) == sorted(s.file_path for s in vm.submissions)


def test_wrong_expired_and_revoked_links_get_a_clear_page_and_change_nothing(app, client, slot, videos):
    token, vm_id = slot
    event_slot = make_slot(_vm(vm_id).session.event, now=utcnow(), speaker_name="Ben Knapen")
    organizer = make_organizer(event_slot.session.event)
    expired = video.make_submission_link(event_slot, actor=organizer, now=utcnow() - timedelta(days=40))
    db.session.commit()
    revoke_vm = _vm(vm_id)
    video.revoke_submission_link(revoke_vm, actor=organizer, now=utcnow())
    db.session.commit()
    upload = {"video": _upload(make_video(videos))}

    wrong = client.post("/submit/not-a-real-token", data=dict(upload), content_type="multipart/form-data")
    upload = {"video": _upload(make_video(videos))}
    old = client.post(f"/submit/{expired}", data=upload, content_type="multipart/form-data")
    upload = {"video": _upload(make_video(videos))}
    withdrawn = client.post(f"/submit/{token}", data=upload, content_type="multipart/form-data")

    assert (wrong.status_code, old.status_code, withdrawn.status_code) == (404, 410, 410)
    assert "This link does not work" in page_text(wrong)
    assert "This submission link has expired." in page_text(old)
    assert "This submission link was withdrawn by the organizers." in page_text(withdrawn)
    assert db.session.scalar(select(func.count()).select_from(VideoSubmission)) == 0
    assert _stored_files(app) == []


def test_an_approved_slot_shows_thanks_and_takes_no_more_uploads(app, client, slot, videos):
    token, vm_id = slot
    client.post(f"/submit/{token}", data={"video": _upload(make_video(videos))}, content_type="multipart/form-data")
    vm = _vm(vm_id)
    video.approve(vm, submission_id=vm.submissions[-1].id, actor=make_organizer(vm.session.event),
                           now=utcnow())
    db.session.commit()

    page = client.get(f"/submit/{token}")
    late = client.post(f"/submit/{token}", data={"video": _upload(make_video(videos, "mkv"))},
                       content_type="multipart/form-data")

    assert "the video is approved and nothing more is needed" in page_text(page)
    assert "Send a new video" not in page_text(page)
    assert late.status_code == 409
    assert len(_vm(vm_id).submissions) == 1
