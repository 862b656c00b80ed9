"""The delegates' day reminder (`confman floor remind`): the sessions each approved delegate picked for that day,
with their meeting links, once per day; nobody else gets the links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from confman import cli_floor
from confman.extensions import db
from confman.models import OutboxMessage, Registration, RegistrationStatus
from confman.services import floor, publication
from confman.timeutil import utcnow

from factories import make_channel, make_event, make_registration, make_session

OPENING = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)  # 09:00 in New York


def _world(first_start: datetime, timezone: str = "America/New_York"):
    event = make_event(slug="prepcon", title="PrepCon 2021", short_title="PrepCon", timezone=timezone,
                       joining_link="https://meet.example/event-wide")
    plenary = make_channel(event, slug="plenary", name="Plenary", meeting_url="https://meet.example/plenary")
    panels = make_channel(event, slug="panels", name="Panels")
    opening = make_session(event, channel=plenary, title="Opening", starts_at=first_start,
                           duration=timedelta(hours=1))
    panel = make_session(event, channel=panels, title="Panel on protection", starts_at=first_start + timedelta(hours=3),
                         duration=timedelta(hours=1))
    tomorrow = make_session(event, channel=plenary, title="Closing", starts_at=first_start + timedelta(days=1),
                            duration=timedelta(hours=1))
    approved = make_registration(event, name="Amina Diallo", email="amina@example.org",
                                 status=RegistrationStatus.APPROVED)
    approved.sessions = [opening, panel, tomorrow]
    pending = make_registration(event, email="pending@example.org")
    pending.sessions = [opening]
    publication.publish_agenda(event, actor=None, now=first_start - timedelta(days=3))
    db.session.commit()
    return event


def _reminders():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind.startswith("day_reminder"))
                              .order_by(OutboxMessage.id)).all()


def test_an_approved_delegate_gets_the_days_sessions_with_their_links_once(app):
    _world(OPENING)

    early = floor.queue_day_reminders(now=OPENING - timedelta(hours=3))
    due = floor.queue_day_reminders(now=OPENING - timedelta(hours=1, minutes=50))
    again = floor.queue_day_reminders(now=OPENING - timedelta(minutes=10))
    db.session.commit()

    assert [len(r.queued) for r in (early, due, again)] == [0, 1, 0]
    [message] = _reminders()
    assert message.to_email == "amina@example.org"
    assert message.subject == "Your sessions on Monday 25 October 2021: PrepCon"
    assert message.body.splitlines()[:7] == [
        "Dear Amina Diallo,", "",
        "These are the sessions of PrepCon 2021 you chose for today.", "",
        "09:00–10:00 (America/New_York, UTC-4)  Opening",
        "  Join: https://meet.example/plenary", "",
    ]
    # A channel without a room of its own falls back to the event's link; tomorrow's session waits for tomorrow.
    assert "12:00–13:00 (America/New_York, UTC-4)  Panel on protection\n  Join: https://meet.example/event-wide" \
        in message.body
    assert "Closing" not in message.body
    assert not any(m.to_email == "pending@example.org" for m in db.session.scalars(select(OutboxMessage)))


def test_the_next_day_has_its_own_reminder(app):
    _world(OPENING)

    floor.queue_day_reminders(now=OPENING - timedelta(hours=1))
    next_day = floor.queue_day_reminders(now=OPENING + timedelta(days=1, hours=-1))
    db.session.commit()

    assert len(next_day.queued) == 1
    assert [m.subject for m in _reminders()] == ["Your sessions on Monday 25 October 2021: PrepCon",
                                                 "Your sessions on Tuesday 26 October 2021: PrepCon"]
    assert "Closing" in _reminders()[1].body


def test_the_command_queues_what_is_due_and_refuses_an_unknown_event(app):
    soon = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=30)
    # A zone where `soon` is mid-morning, so the three sessions fall on the days the test expects whatever the hour.
    offset = (9 - soon.hour + 12) % 24 - 12
    _world(soon, timezone="UTC" if offset == 0 else f"Etc/GMT{-offset:+d}")
    runner = app.test_cli_runner()

    unknown = runner.invoke(args=["floor", "remind", "--event", "nope"])
    not_yet = runner.invoke(args=["floor", "remind", "--lead-minutes", "10"])
    due = runner.invoke(args=["floor", "remind"])

    assert unknown.exit_code != 0 and "There is no event with the slug 'nope'." in unknown.output
    assert not_yet.exit_code == 0 and "0 reminders queued." in not_yet.output
    assert due.exit_code == 0 and "queued   prepcon: amina@example.org" in due.output
    assert "1 reminder queued." in due.output



def test_the_reminder_is_in_the_delegates_language(app):
    event = _world(OPENING)
    event.languages = ["en", "fr"]
    db.session.scalar(select(Registration).filter_by(email="amina@example.org")).language = "fr"
    db.session.commit()

    floor.queue_day_reminders(now=OPENING - timedelta(hours=1), words=cli_floor._words)

    [message] = _reminders()
    assert message.subject == "Vos séances du lundi 25 octobre 2021 : PrepCon"
    assert message.body.startswith("Bonjour Amina Diallo,")
    assert "  Rejoindre : https://meet.example/plenary" in message.body
