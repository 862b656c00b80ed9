"""`confman video remind`: reminders before the deadline go through the outbox once each; overdue slots are flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from video_samples import make_slot

from confman.extensions import db
from confman.models import OutboxMessage, Role, VideoStatus
from confman.services import users, video
from confman.timeutil import utcnow

from factories import make_event

DEADLINE = datetime(2021, 10, 20, 21, 0, tzinfo=UTC)  # 17:00 in New York


def _outbox():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_queue_reminders_sends_each_reminder_once_as_the_deadline_nears(app):
    event = make_event(slug="prepcon", title="PrepCon 2021", timezone="America/New_York")
    make_slot(event, now=DEADLINE, office_email="office@mod.example", deadline_at=DEADLINE)
    db.session.commit()

    too_early = video.queue_reminders(now=DEADLINE - timedelta(days=8))
    first = video.queue_reminders(now=DEADLINE - timedelta(days=6))
    again = video.queue_reminders(now=DEADLINE - timedelta(days=5))
    second = video.queue_reminders(now=DEADLINE - timedelta(hours=40))
    third = video.queue_reminders(now=DEADLINE - timedelta(hours=20))
    db.session.commit()

    assert [len(r.queued) for r in (too_early, first, again, second, third)] == [0, 1, 0, 1, 1]
    messages = _outbox()
    assert [m.kind for m in messages] == ["video_reminder"] * 3
    assert {m.to_email for m in messages} == {"office@mod.example"}
    assert messages[0].subject == "Reminder: video message for PrepCon 2021 due in 6 days"
    assert "Deadline: Wednesday 20 October 2021, 17:00 (America/New_York, UTC-4)" in messages[0].body
    assert "Allowed length: 5:00 (minutes:seconds)" in messages[0].body


def test_queue_reminders_flags_overdue_slots_and_notifies_the_office_once(app):
    event = make_event(slug="prepcon")
    make_slot(event, now=DEADLINE, deadline_at=DEADLINE)  # no office address: the speaker's own is used
    db.session.commit()

    first = video.queue_reminders(now=DEADLINE + timedelta(hours=1))
    second = video.queue_reminders(now=DEADLINE + timedelta(hours=2))

    assert len(first.overdue) == len(second.overdue) == 1
    assert [m.kind for m in _outbox()] == ["video_overdue"]
    assert _outbox()[0].to_email == "office@mod.example"


def test_queue_reminders_leaves_received_and_approved_slots_alone(app):
    event = make_event(slug="prepcon")
    make_slot(event, now=DEADLINE, status=VideoStatus.RECEIVED, speaker_name="A")
    make_slot(event, now=DEADLINE, status=VideoStatus.APPROVED, speaker_name="B")

    report = video.queue_reminders(now=DEADLINE + timedelta(days=1))

    assert (report.queued, report.overdue, _outbox()) == ([], [], [])


def test_video_remind_command_queues_due_reminders_idempotently(app):
    event = make_event(slug="prepcon")
    now = utcnow()
    make_slot(event, now=now, deadline_at=now + timedelta(hours=30), office_email="office@mod.example",
              speaker_name="Soon Minister")
    make_slot(event, now=now, deadline_at=now - timedelta(hours=1), speaker_name="Late Minister")
    no_address = make_slot(event, now=now, deadline_at=now + timedelta(hours=3), speaker_name="Quiet Minister")
    no_address.speaker.email = ""
    db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["video", "remind"])
    second = runner.invoke(args=["video", "remind", "--event", "prepcon"])

    assert first.exit_code == 0, first.output
    assert "2 messages queued, 1 overdue slot." in first.output
    assert "OVERDUE  prepcon: Video message: Late Minister" in first.output
    assert "no address for the speaker's office: prepcon: Video message: Quiet Minister" in first.output
    assert second.exit_code == 0
    assert "0 messages queued, 1 overdue slot." in second.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


@pytest.mark.parametrize(("args", "config", "message"), [
    (["--event", "nope"], {}, "There is no event with the slug 'nope'"),
    ([], {"VIDEO_REMINDER_DAYS": ["soon"]}, "VIDEO_REMINDER_DAYS must be a list of numbers"),
])
def test_video_remind_command_refuses_bad_input_and_queues_nothing(app, args, config, message):
    now = utcnow()
    make_slot(make_event(slug="prepcon"), now=now, deadline_at=now + timedelta(hours=3))
    db.session.commit()
    app.config.update(config)

    result = app.test_cli_runner().invoke(args=["video", "remind", *args])

    assert result.exit_code != 0
    assert message in result.output
    assert _outbox() == []


def test_users_create_makes_an_interpreter_of_one_event(app):
    event = make_event(slug="prepcon")
    db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["users", "create", "interpreter@example.org", "--role", "interpreter", "--event", "prepcon"],
        env={"CONFMAN_PASSWORD": "a long enough password"})

    assert result.exit_code == 0, result.output
    user = users.find_by_email("interpreter@example.org")
    assert [(r.event_id, r.role) for r in user.roles] == [(event.id, Role.INTERPRETER)]


def test_a_reminder_is_in_the_language_of_the_offices_account_or_the_events(app):
    french = make_event(slug="conference", title="Conférence", timezone="Europe/Paris", default_language="fr",
                        languages=["fr", "en"])
    make_slot(french, now=DEADLINE, office_email="bureau@mae.example", deadline_at=DEADLINE)
    english = make_event(slug="prepcon", title="PrepCon 2021", timezone="America/New_York")
    make_slot(english, now=DEADLINE, office_email="office@mod.example", deadline_at=DEADLINE)
    users.create_user("office@mod.example", password="x" * 12, now=DEADLINE).interface_language = "fr"
    db.session.commit()

    video.queue_reminders(now=DEADLINE - timedelta(hours=20))
    db.session.commit()

    by_address = {m.to_email: m for m in _outbox()}
    paris = by_address["bureau@mae.example"]
    assert paris.subject == "Rappel : message vidéo pour Conférence attendu dans 1 jour"
    assert "Date limite : mercredi 20 octobre 2021, 23:00 (Europe/Paris, UTC+2)" in paris.body
    assert "Durée autorisée : 5:00 (minutes:secondes)" in paris.body
    assert by_address["office@mod.example"].subject == "Rappel : message vidéo pour PrepCon 2021 attendu dans 1 jour"
