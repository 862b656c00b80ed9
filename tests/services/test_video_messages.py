"""What the moderator's console and the public see of a video message, from the services they call."""

from __future__ import annotations

from datetime import timedelta

from video_samples import make_slot

from confman.extensions import db
from confman.models import SessionKind, VideoStatus, VideoSubmission
from confman.services import video

from factories import NOW, make_event, make_organization, make_session, make_speaker


def test_video_summary_gives_the_moderator_a_cue_with_the_measured_length(app):
    event = make_event()
    pakistan = make_organization(name="Islamic Republic of Pakistan", short_name="Pakistan")
    speaker = make_speaker(event, honorific="H.E. Mr.", name="Pervez Khattak", title="Minister of Defence",
                           organization=pakistan)
    vm = make_slot(event, now=NOW, speaker=speaker, status=VideoStatus.APPROVED,
                   measured_length=timedelta(minutes=4, seconds=52, milliseconds=400), file_path="video/1/1/x.mp4",
                   fallback="Read-out by the Permanent Mission")
    vm.submissions.append(VideoSubmission(submitted_at=NOW, file_path="video/1/1/x.mp4"))
    db.session.flush()

    summary = video.video_summary(vm.session)

    assert summary.cue == "play video: H.E. Mr. Pervez Khattak, Minister of Defence, Pakistan, 4:52"
    assert summary.is_ready and not summary.is_over_length
    assert summary.fallback == "Read-out by the Permanent Mission"
    assert summary.submission_id is not None


def test_video_summary_says_when_nothing_can_be_played_yet(app):
    event = make_event()
    requested = make_slot(event, now=NOW, speaker_name="A")
    plain = make_session(event, kind=SessionKind.VIDEO_MESSAGE)

    summary = video.video_summary(requested.session)

    assert summary.cue == "play video: H.E. Mr. A, Minister of Defence, length unknown"
    assert summary.status_label == "Requested"
    assert not summary.is_ready
    assert video.video_summary(plain) is None
    assert video.public_label(plain) is None


def test_is_overdue_only_while_the_organizers_still_wait(app):
    event = make_event()
    vm = make_slot(event, now=NOW, deadline_at=NOW)

    waiting = [video.is_overdue(vm, NOW - timedelta(seconds=1)), video.is_overdue(vm, NOW)]
    vm.status = VideoStatus.RECEIVED
    received = video.is_overdue(vm, NOW + timedelta(days=1))
    vm.status = VideoStatus.REJECTED
    rejected = video.is_overdue(vm, NOW + timedelta(days=1))

    assert waiting == [False, True]
    assert (received, rejected) == (False, True)
