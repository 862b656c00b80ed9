"""Organizers' video-message pages: slots, links, review, private files, interpreters; and what the public sees."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from video_samples import make_slot, make_video

from confman.extensions import db
from confman.models import AuditEntry, Event, Role, SessionKind, VideoMessage, VideoStatus
from confman.services import permissions, publication, video
from confman.timeutil import utcnow

from conftest import page_text
from factories import make_event, make_moderator, make_organizer, make_speaker, make_user


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    return tmp_path_factory.mktemp("videos")


def _vm(vm_id) -> VideoMessage:
    db.session.expire_all()
    return db.session.get(VideoMessage, vm_id)


def _received(client, event, videos, *, transcript=True, **slot_values):
    """A slot whose office sent a 3-second MP4 (and a transcript) through the real page; returns the slot's id."""
    vm = make_slot(event, now=utcnow(), **slot_values)
    token = video.make_submission_link(vm, actor=make_organizer(event), now=utcnow())
    db.session.commit()
    data = {"video": (io.BytesIO(make_video(videos).read_bytes()), "statement.mp4", "video/mp4")}
    if transcript:
        data["transcript"] = (io.BytesIO(b"Excellencies, distinguished delegates"), "transcript.txt", "text/plain")
    response = client.post(f"/submit/{token}", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, page_text(response)
    return vm.id


def test_slot_form_creates_the_slot_with_the_deadline_in_the_event_zone(app, client, login):
    event = make_event(slug="prepcon", timezone="America/New_York")
    organizer = make_organizer(event)
    speaker = make_speaker(event, honorific="H.E. Mr.", name="Ben Knapen", title="Minister for Foreign Affairs")
    from factories import make_session
    item = make_session(event, kind=SessionKind.VIDEO_MESSAGE, title="Video message: Netherlands")
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/video-messages/{item.id}", data={
        "speaker_id": speaker.id, "introducer_id": 0, "allowed_length": "4:30", "deadline": "2021-10-20T17:00",
        "embargo": "2021-10-25T08:36", "language": "English", "office_email": "Office@MinBuZa.example",
        "fallback": "Read-out by the Permanent Representative",
    })

    vm = _vm(db.session.scalar(select(VideoMessage.id)))
    assert response.status_code == 302
    assert vm.speaker_id == speaker.id
    assert vm.allowed_length == timedelta(minutes=4, seconds=30)
    assert vm.deadline_at == datetime(2021, 10, 20, 21, 0, tzinfo=UTC)
    assert vm.embargo_at == datetime(2021, 10, 25, 12, 36, tzinfo=UTC)
    assert vm.office_email == "office@minbuza.example"
    assert db.session.scalar(select(AuditEntry.action)) == "video.slot_created"


def test_slot_form_refuses_a_bad_or_too_long_length_and_changes_nothing(app, client, login):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    vm = make_slot(event, now=utcnow())
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}", data={
        "speaker_id": vm.speaker_id, "introducer_id": 0, "allowed_length": "five minutes", "language": "English"})
    longer = client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}", data={
        "speaker_id": vm.speaker_id, "introducer_id": 0, "allowed_length": "7:00", "language": "English"})

    assert response.status_code == 400
    assert "Give the length as minutes:seconds, for example 5:00 or 4:30." in page_text(response)
    assert longer.status_code == 400
    assert "The allowed length (7:00) is longer than the session (6:00)." in page_text(longer)
    assert _vm(vm.id).allowed_length == timedelta(minutes=5)


def test_a_new_link_is_shown_once_and_only_its_hash_is_stored(app, client, login):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    vm = make_slot(event, now=utcnow())
    db.session.commit()
    login(organizer)

    made = client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}/link", data={"valid_days": 14})
    later = client.get(f"/manage/events/prepcon/video-messages/{vm.session_id}")

    link = re.search(r'id="new-link">([^<]+)<', made.get_data(as_text=True)).group(1)
    token = link.rsplit("/", 1)[1]
    stored = _vm(vm.id)
    assert link.startswith("http://confman.test/submit/")
    assert stored.submission_token_hash == video.hash_token(token)
    assert token not in later.get_data(as_text=True)
    assert "A link is active until" in page_text(later)
    assert client.get(f"/submit/{token}").status_code == 200


def test_revoking_the_link_makes_it_stop_working(app, client, login):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    vm = make_slot(event, now=utcnow())
    token = video.make_submission_link(vm, actor=organizer, now=utcnow())
    db.session.commit()
    login(organizer)

    client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}/revoke")

    assert client.get(f"/submit/{token}").status_code == 410
    assert "The link was withdrawn." in page_text(client.get(f"/manage/events/prepcon/video-messages/{vm.session_id}"))


def test_overview_lists_every_slot_with_status_and_highlights_overdue_ones(app, client, login, videos):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    late = make_slot(event, now=utcnow(), speaker_name="Late Minister", deadline_at=utcnow() - timedelta(hours=1))
    received_id = _received(client, event, videos, speaker_name="Prompt Minister", allowed_length=timedelta(seconds=2))
    db.session.commit()
    login(organizer)

    response = client.get("/manage/events/prepcon/video-messages/")

    rows = {m.group(1): page_text_of(m.group(0)) for m in re.finditer(
        r'<tr[^>]*id="slot-(\d+)".*?</tr>', response.get_data(as_text=True), re.S)}
    late_row, received_row = rows[str(late.session_id)], rows[str(_vm(received_id).session_id)]
    assert "Requested" in late_row and "Overdue" in late_row
    assert "Received, awaiting review" in received_row and "Overdue" not in received_row
    assert "0:03 of 0:02 Longer than allowed" in received_row


def _fetch(client, url, **kwargs):
    """GET a file and close the streamed response, as a browser would after reading it."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_approving_records_who_and_when_and_the_management_view_shows_the_cue(app, client, login, videos):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event, email="chief@prepcon.example")
    vm_id = _received(client, event, videos)
    login(organizer)
    submission_id = _vm(vm_id).submissions[-1].id

    client.post(f"/manage/events/prepcon/video-messages/{_vm(vm_id).session_id}/review",
                data={"submission_id": submission_id, "approve": "Approve"})

    vm = _vm(vm_id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "video.approved"))
    page = page_text(client.get(f"/manage/events/prepcon/video-messages/{vm.session_id}"))
    assert vm.status == VideoStatus.APPROVED
    assert vm.reviewed_by.email == "chief@prepcon.example"
    assert entry.actor.email == "chief@prepcon.example"
    assert entry.after == {"status": "approved", "submission_id": submission_id}
    assert "play video: H.E. Mr. Pervez Khattak, Minister of Defence, 0:03" in page
    assert "Approved by" in page


def test_rejecting_needs_a_reason_then_reopens_the_link_for_the_office(app, client, login, videos):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    vm_id = _received(client, event, videos)
    vm = _vm(vm_id)
    vm.submission_expires_at = utcnow() + timedelta(hours=1)  # about to expire
    token = video.make_submission_link(vm, actor=organizer, now=utcnow() - timedelta(days=29, hours=23))
    db.session.commit()
    login(organizer)
    url = f"/manage/events/prepcon/video-messages/{vm.session_id}/review"

    no_reason = client.post(url, data={"submission_id": vm.submissions[-1].id, "reject": "Reject", "reason": " "})
    unchanged = _vm(vm_id).status
    client.post(url, data={"submission_id": vm.submissions[-1].id, "reject": "Reject",
                           "reason": "The sound is missing in the second half."})
    client.post("/logout")
    office = page_text(client.get(f"/submit/{token}"))

    assert no_reason.status_code == 409
    assert "Say why the video is rejected" in page_text(no_reason)
    assert unchanged == VideoStatus.RECEIVED
    assert _vm(vm_id).status == VideoStatus.REJECTED
    assert _vm(vm_id).submission_expires_at >= utcnow() + timedelta(days=6)
    assert "The sound is missing in the second half." in office
    assert "Send a new video" in office
    assert db.session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "video.rejected")).endswith(
        "The sound is missing in the second half.")


def test_review_of_an_older_submission_is_refused_when_a_newer_one_arrived(app, client, login, videos):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    vm_id = _received(client, event, videos)
    first_id = _vm(vm_id).submissions[-1].id
    token = video.make_submission_link(_vm(vm_id), actor=organizer, now=utcnow())
    db.session.commit()
    client.post(f"/submit/{token}", data={"link": "https://example.org/better.mp4"},
                content_type="multipart/form-data")
    login(organizer)

    response = client.post(f"/manage/events/prepcon/video-messages/{_vm(vm_id).session_id}/review",
                           data={"submission_id": first_id, "approve": "Approve"})

    assert response.status_code == 409
    assert "A newer video arrived in the meantime" in page_text(response)
    assert _vm(vm_id).status == VideoStatus.RECEIVED


def test_organizers_and_moderators_fetch_the_file_and_nobody_else_does(app, client, login, videos):
    event = make_event(slug="prepcon")
    other_event = make_event(slug="other")
    organizer, moderator = make_organizer(event), make_moderator(event)
    delegate, other_organizer = make_user(), make_organizer(other_event)
    interpreter = make_user(roles=((event, Role.INTERPRETER),))
    vm_id = _received(client, event, videos)
    submission_id = _vm(vm_id).submissions[-1].id
    url = f"/manage/events/prepcon/video-files/{submission_id}/video"
    expected = make_video(videos).read_bytes()

    anonymous = client.get(url)
    statuses = {}
    for name, user in [("organizer", organizer), ("moderator", moderator), ("delegate", delegate),
                       ("interpreter", interpreter), ("other organizer", other_organizer)]:
        login(user)
        statuses[name] = _fetch(client, url).status_code
    via_own_event = client.get(f"/manage/events/other/video-files/{submission_id}/video")
    login(moderator)
    played = _fetch(client, url)
    ranged = _fetch(client, url, headers={"Range": "bytes=0-99"})

    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    assert statuses == {"organizer": 200, "moderator": 200, "delegate": 403, "other organizer": 403,
                        "interpreter": 403}
    assert via_own_event.status_code == 404
    assert played.data == expected
    assert played.mimetype == "video/mp4"
    assert played.headers["X-Content-Type-Options"] == "nosniff"
    assert ranged.status_code == 206 and ranged.data == expected[:100]


def test_interpreters_read_approved_transcripts_from_the_embargo_on(app, client, login, videos):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    interpreter = make_user(email="interpreter@prepcon.example")
    embargoed_id = _received(client, event, videos, speaker_name="Embargoed Minister",
                             embargo_at=utcnow() + timedelta(days=1))
    open_id = _received(client, event, videos, speaker_name="Open Minister", embargo_at=utcnow() - timedelta(hours=1))
    for vm_id in (embargoed_id, open_id):
        vm = _vm(vm_id)
        video.approve(vm, submission_id=vm.submissions[-1].id, actor=organizer, now=utcnow())
    db.session.commit()
    login(organizer)
    client.post("/manage/events/prepcon/interpreters", data={"email": "Interpreter@prepcon.example"})
    login(interpreter)

    page = client.get("/manage/events/prepcon/transcripts")
    index = page_text(client.get("/manage/"))
    open_transcript = _fetch(client,
                             f"/manage/events/prepcon/video-files/{_vm(open_id).submissions[-1].id}/transcript")
    embargoed = client.get(f"/manage/events/prepcon/video-files/{_vm(embargoed_id).submissions[-1].id}/transcript")
    video_file = client.get(f"/manage/events/prepcon/video-files/{_vm(open_id).submissions[-1].id}/video")

    text = page_text(page)
    assert permissions.has_role(interpreter, event, Role.INTERPRETER)
    assert "Transcripts" in index
    assert "Download transcript.txt" in text
    assert "Under embargo until" in text
    assert open_transcript.status_code == 200 and open_transcript.data == b"Excellencies, distinguished delegates"
    assert (embargoed.status_code, video_file.status_code) == (403, 403)


def test_granting_an_interpreter_needs_an_existing_account(app, client, login):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.post("/manage/events/prepcon/interpreters", data={"email": "nobody@example.org"})

    assert response.status_code == 400
    assert "There is no account for nobody@example.org." in page_text(response)


def test_the_public_agenda_shows_the_video_message_but_never_the_file_or_the_link(app, client, videos):
    event = make_event(slug="prepcon")
    vm_id = _received(client, event, videos)
    vm = _vm(vm_id)
    publication.publish_agenda(db.session.get(Event, event.id), actor=None, now=utcnow())
    db.session.commit()

    html = client.get("/events/prepcon/agenda").get_data(as_text=True)

    assert "Pre-recorded video message from H.E. Mr. Pervez Khattak, Minister of Defence" in page_text_of(html)
    assert "/submit/" not in html and "video-files" not in html
    assert vm.file_path not in html and "statement.mp4" not in html
    assert video.public_label(vm.session) == (
        "Pre-recorded video message from H.E. Mr. Pervez Khattak, Minister of Defence")


def test_moderators_mark_an_approved_video_played(app, client, login, videos):
    event = make_event(slug="prepcon")
    organizer, moderator = make_organizer(event), make_moderator(event)
    vm_id = _received(client, event, videos)
    vm = _vm(vm_id)
    video.approve(vm, submission_id=vm.submissions[-1].id, actor=organizer, now=utcnow())
    db.session.commit()
    login(moderator)

    client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}/played")

    vm = _vm(vm_id)
    assert vm.status == VideoStatus.PLAYED
    assert video.video_summary(vm.session).status_label == "Played"


def test_video_pages_are_for_this_events_organizers_only(app, client, login):
    event = make_event(slug="prepcon")
    make_organizer(event)
    vm = make_slot(event, now=utcnow())
    other = make_organizer(make_event(slug="other"))
    moderator = make_moderator(event)
    db.session.commit()

    pages = ["/manage/events/prepcon/video-messages/", f"/manage/events/prepcon/video-messages/{vm.session_id}",
             "/manage/events/prepcon/interpreters"]
    login(other)
    as_other = [client.get(url).status_code for url in pages]
    as_other.append(client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}/link",
                                data={"valid_days": 5}).status_code)
    login(moderator)
    as_moderator = [client.get(url).status_code for url in pages]

    assert as_other == [403, 403, 403, 403]
    assert as_moderator == [403, 403, 403]
    assert _vm(vm.id).submission_token_hash is None


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_video_forms_refuse_posts_without_a_csrf_token(app, client, videos):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    vm = make_slot(event, now=utcnow())
    token = video.make_submission_link(vm, actor=organizer, now=utcnow())
    db.session.commit()
    upload = (io.BytesIO(make_video(videos).read_bytes()), "statement.mp4", "video/mp4")

    forged = client.post(f"/submit/{token}", data={"video": upload}, content_type="multipart/form-data")
    form_page = client.get(f"/submit/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page).group(1)
    upload = (io.BytesIO(make_video(videos).read_bytes()), "statement.mp4", "video/mp4")
    genuine = client.post(f"/submit/{token}", data={"video": upload, "csrf_token": csrf},
                          content_type="multipart/form-data")
    login_page = client.get("/login").get_data(as_text=True)
    login_csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": organizer.email, "password": "correct horse battery",
                                "csrf_token": login_csrf})
    forged_review = client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}/review",
                                data={"submission_id": 1, "approve": "Approve"})

    assert forged.status_code == 400
    assert "This form expired" in page_text(forged)
    assert genuine.status_code == 302
    assert forged_review.status_code == 400
    vm = _vm(vm.id)
    assert len(vm.submissions) == 1
    assert vm.status == VideoStatus.RECEIVED
