"""Creating, editing and cloning events; themes, topics and channels."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, EventStatus, Registration, Role
from confman.services import events, permissions
from confman.timeutil import from_local

from factories import (
    NOW,
    make_channel,
    make_co_host,
    make_event,
    make_organizer,
    make_participation,
    make_registration,
    make_session,
    make_speaker,
    make_theme,
    make_user,
)

VALUES = dict(title="Ministerial", starts_on=date(2022, 12, 7), ends_on=date(2022, 12, 8), timezone="Asia/Seoul")


def test_create_event_makes_a_draft_its_creator_organizes(app):
    organizer = make_organizer(make_event())

    event = events.create_event(actor=organizer, now=NOW, slug="ministerial-2022", **VALUES)

    assert event.status == EventStatus.DRAFT
    assert permissions.can_organize(organizer, event)


@pytest.mark.parametrize(("override", "field", "message"), [
    ({"slug": "taken"}, "slug", "Another event already uses the address “taken”."),
    ({"slug": "Bad Slug"}, "slug", "Use lower-case letters"),
    ({"timezone": "Mars/Olympus"}, "timezone", "“Mars/Olympus” is not an IANA time zone"),
    ({"ends_on": date(2022, 12, 6)}, "ends_on", "The last day cannot be before the first day."),
    ({"title": " "}, "title", "An event needs a title."),
])
def test_create_event_refuses_bad_values_and_names_the_field(app, override, field, message):
    make_event(slug="taken")
    admin = make_user(is_admin=True)

    with pytest.raises(events.InvalidEvent) as error:
        events.create_event(actor=admin, now=NOW, **{"slug": "fine", **VALUES, **override})

    assert error.value.field == field
    assert str(error.value).startswith(message)


def test_update_event_never_goes_back_to_draft(app):
    event = make_event(status=EventStatus.PUBLISHED)

    with pytest.raises(events.InvalidEvent, match="cannot go back to draft"):
        events.update_event(event, actor=make_user(is_admin=True), now=NOW, status=EventStatus.DRAFT)


def test_clone_event_copies_structure_at_the_same_local_times_without_people(app):
    source = make_event(slug="prepcon-2021", timezone="Europe/Amsterdam", starts_on=date(2021, 10, 25),
                        ends_on=date(2021, 10, 26))
    theme = make_theme(source, name="Protection")
    channel = make_channel(source, name="Plenary")
    make_co_host(source)
    # 09:00 in Amsterdam in summer time (UTC+2): the clone's date is in winter time (UTC+1).
    item = make_session(source, title="Opening", theme=theme, channel=channel,
                        starts_at=from_local(datetime(2021, 10, 25, 9, 0), source.tz))
    make_participation(item, make_speaker(source))
    make_registration(source)
    organizer = make_organizer(source)

    clone = events.clone_event(source, slug="prepcon-2022", title="PrepCon 2022", starts_on=date(2022, 11, 14),
                               actor=organizer, now=NOW)

    copied = db.session.scalars(select(AgendaSession).filter_by(event_id=clone.id)).one()
    assert copied.starts_at.astimezone(clone.tz).time() == time(9, 0)
    assert copied.starts_at.astimezone(clone.tz).date() == date(2022, 11, 14)
    assert copied.starts_at == datetime(2022, 11, 14, 8, 0, tzinfo=UTC)
    assert (copied.theme.name, copied.channel.name, copied.participations) == ("Protection", "Plenary", [])
    assert clone.ends_on == date(2022, 11, 15)
    assert clone.status == EventStatus.DRAFT
    assert len(clone.co_hosts) == 1
    assert db.session.scalars(select(Registration).filter_by(event_id=clone.id)).all() == []
    assert any(r.event_id == clone.id and r.role == Role.ORGANIZER for r in organizer.roles)


def test_save_label_refuses_a_second_theme_with_the_same_name(app):
    event = make_event()
    admin = make_user(is_admin=True)
    events.save_label(event, "theme", actor=admin, now=NOW, name="Protection", colour="#7a3b00", pattern="solid")

    with pytest.raises(events.NameTaken, match="already has a theme called “protection”"):
        events.save_label(event, "theme", actor=admin, now=NOW, name="protection", colour="#000000",
                          pattern="solid")


def test_delete_label_keeps_the_sessions_of_a_removed_channel(app):
    event = make_event()
    channel = make_channel(event)
    item = make_session(event, channel=channel)

    events.delete_label(channel, "channel", actor=None, now=NOW)

    assert (item.channel_id, item.sequence) == (None, 1)
    assert db.session.get(AgendaSession, item.id) is item


def test_clone_keeps_registration_window_local(app):
    source = make_event(timezone="Europe/Amsterdam", registration_opens_at=datetime(2021, 9, 1, 7, 0, tzinfo=UTC))

    clone = events.clone_event(source, slug="next-one", title="Next", starts_on=source.starts_on + timedelta(days=7),
                               actor=make_user(is_admin=True), now=NOW)

    assert clone.registration_opens_at == datetime(2021, 9, 8, 7, 0, tzinfo=UTC)
