"""The public sees the last published agenda; releases carry a changelog; live amendments touch only their sessions."""

from datetime import timedelta

import pytest

from confman.extensions import db
from confman.models import AgendaVersionKind, SessionStatus
from confman.services import publication

from factories import NOW, make_event, make_participation, make_session, make_speaker


def test_unpublished_edits_stay_invisible_until_published(app):
    event = make_event()
    item = make_session(event, title="Opening")
    publication.publish_agenda(event, actor=None, now=NOW)

    item.title = "Opening (renamed)"
    make_session(event, title="Added later")
    db.session.flush()
    before = publication.public_agenda(event)
    version = publication.publish_agenda(event, actor=None, now=NOW)
    after = publication.public_agenda(event)

    assert [s.title for s in before.sessions] == ["Opening"]
    assert sorted(s.title for s in after.sessions) == ["Added later", "Opening (renamed)"]
    assert sorted(c["change"] for c in version.changelog) == ["added", "renamed"]
    assert event.agenda_version == 2


def test_publishing_nothing_new_is_refused(app):
    event = make_event()
    make_session(event)
    publication.publish_agenda(event, actor=None, now=NOW)

    with pytest.raises(publication.NothingToPublish, match="Nothing changed since version 1"):
        publication.publish_agenda(event, actor=None, now=NOW)


def test_changelog_names_moves_cancellations_and_speakers(app):
    event = make_event()
    moved = make_session(event, title="Moved")
    cancelled = make_session(event, title="Cancelled")
    panel = make_session(event, title="Panel")
    publication.publish_agenda(event, actor=None, now=NOW)

    moved.starts_at += timedelta(hours=1)
    cancelled.status = SessionStatus.CANCELLED
    make_participation(panel, make_speaker(event, honorific="H.E.", name="Ada Lovelace"))
    db.session.flush()
    db.session.expire_all()
    version = publication.publish_agenda(event, actor=None, now=NOW)

    changes = {(c["title"], c["change"]): c["detail"] for c in version.changelog}
    assert set(changes) == {("Moved", "moved"), ("Cancelled", "cancelled"), ("Panel", "speakers")}
    assert changes[("Panel", "speakers")] == "added H.E. Ada Lovelace"


def test_live_amendment_publishes_only_the_touched_session(app):
    event = make_event()
    live = make_session(event, title="Live one")
    other = make_session(event, title="Other")
    publication.publish_agenda(event, actor=None, now=NOW)

    other.title = "Organizer's unfinished rename"
    live.status = SessionStatus.CANCELLED
    db.session.flush()
    version = publication.amend_published(event, [live], actor=None, now=NOW)
    agenda = publication.public_agenda(event)

    assert version.kind == AgendaVersionKind.LIVE
    assert agenda.session(live.id).is_cancelled
    assert agenda.session(other.id).title == "Other"


def test_public_agenda_never_carries_video_files_or_private_speaker_data(app):
    from confman.models import SessionKind, VideoMessage

    event = make_event()
    speaker = make_speaker(event, email="minister@example.gov")
    item = make_session(event, kind=SessionKind.VIDEO_MESSAGE)
    item.video_message = VideoMessage(speaker=speaker, allowed_length=timedelta(minutes=5),
                                      link_url="https://files.example/secret.mp4", file_path="videos/1.mp4")
    db.session.flush()

    snapshot = publication.publish_agenda(event, actor=None, now=NOW).snapshot

    text = repr(snapshot)
    assert "minister@example.gov" not in text
    assert "secret.mp4" not in text and "videos/1.mp4" not in text
    assert publication.public_agenda(event).session(item.id).video_message.speaker.name == speaker.name
