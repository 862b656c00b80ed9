"""Editing sessions: audit-logged, calendar-visible edits raise `sequence`, stale saves are refused."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from confman.extensions import db
from confman.models import AgendaSession, AuditEntry, SessionStatus
from confman.services import agenda

from factories import NOW, make_channel, make_event, make_organizer, make_participation, make_session, make_speaker


def test_update_session_bumps_sequence_only_for_what_calendars_see(app):
    event = make_event()
    item = make_session(event, title="Opening")

    agenda.update_session(item, actor=None, now=NOW, expected_version=1, notes="Bring flags")
    after_notes = item.sequence
    agenda.update_session(item, actor=None, now=NOW, expected_version=2, title="Opening ceremony")

    assert after_notes == 0
    assert item.sequence == 1
    assert item.version == 3


def test_update_session_records_before_and_after_in_the_audit_log(app):
    event = make_event()
    user = make_organizer(event)
    item = make_session(event, title="Opening")

    agenda.update_session(item, actor=user, now=NOW, expected_version=1, title="Opening ceremony",
                          duration=timedelta(minutes=45))

    entry = db.session.scalars(select(AuditEntry).filter_by(action="session.updated")).one()
    assert entry.actor_id == user.id
    assert entry.before == {"title": "Opening", "duration": 3600}
    assert entry.after == {"title": "Opening ceremony", "duration": 2700, "version": 2}


def test_update_session_refuses_a_save_from_an_older_version_and_says_what_changed(app):
    event = make_event()
    item = make_session(event, title="Opening")
    agenda.update_session(item, actor=None, now=NOW, expected_version=1, title="First organizer's title")

    with pytest.raises(agenda.EditConflict):
        agenda.update_session(item, actor=None, now=NOW, expected_version=1, title="Second organizer's title")

    assert item.title == "First organizer's title"
    assert [e.after["title"] for e in agenda.changes_since(item, 1)] == ["First organizer's title"]


def test_update_session_refuses_an_empty_title_and_changes_nothing(app):
    event = make_event()
    item = make_session(event, title="Opening")

    with pytest.raises(agenda.InvalidSession, match="needs a title"):
        agenda.update_session(item, actor=None, now=NOW, expected_version=1, title="   ")

    assert item.title == "Opening"


def test_cancel_session_keeps_it_and_raises_sequence(app):
    event = make_event()
    item = make_session(event)

    agenda.cancel_session(item, actor=None, now=NOW, expected_version=1)

    assert item.status == SessionStatus.CANCELLED
    assert item.sequence == 1
    assert db.session.get(type(item), item.id) is item


def test_move_session_changes_slot_and_channel(app):
    event = make_event()
    room = make_channel(event)
    item = make_session(event)
    later = datetime(2021, 10, 26, 14, 0, tzinfo=UTC)

    changed = agenda.move_session(item, starts_at=later, channel_id=room.id, actor=None, now=NOW, expected_version=1)

    assert set(changed) == {"starts_at", "channel_id"}
    assert (item.starts_at, item.channel_id, item.sequence) == (later, room.id, 1)


def test_duplicate_session_copies_slot_tags_and_speakers(app):
    event = make_event()
    item = make_session(event, title="Panel")
    make_participation(item, make_speaker(event, name="Ada"))

    copy = agenda.duplicate_session(item, actor=None, now=NOW)

    assert copy.title == "Panel (copy)"
    assert copy.starts_at == item.starts_at
    assert [p.speaker.name for p in copy.participations] == ["Ada"]


def test_update_session_refuses_when_another_transaction_saved_after_our_read(app):
    """The version check passes (we read version 1), but another request commits version 2 before our UPDATE:
    the database refuses ours (UPDATE ... WHERE version = 1), and the service reports an EditConflict."""
    event = make_event()
    item = make_session(event, title="Opening")
    db.session.commit()
    item = db.session.get(type(item), item.id)
    with db.engine.begin() as other:
        other.execute(update(AgendaSession).where(AgendaSession.id == item.id)
                      .values(title="Other organizer", version=2))

    with pytest.raises(agenda.EditConflict):
        agenda.update_session(item, actor=None, now=NOW, expected_version=1, title="Mine")

    db.session.rollback()
    assert db.session.get(AgendaSession, item.id).title == "Other organizer"
