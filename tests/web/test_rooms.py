"""Virtual rooms through the real doors: organizers set each channel's links and a session's own; meeting links
reach only those allowed to join (account page, personal feed); livestream and recording links are public."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import Channel, RegistrationStatus, Role, SessionRoom
from confman.services import publication

from conftest import page_text
from factories import (
    make_channel,
    make_event,
    make_organizer,
    make_registration,
    make_session,
    make_speaker,
    make_user,
)

T0 = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)
MEETING = "https://meet.example.org/plenary-secret-42"
SESSION_MEETING = "https://zoom.example.org/j/998877"
LIVESTREAM = "https://stream.example.org/plenary"
RECORDING = "https://video.example.org/recording-1"


@pytest.fixture
def rooms_world(app, client, login):
    event = make_event(slug="prepcon")
    channel = make_channel(event, slug="plenary", name="Plenary")
    first = make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(hours=1))
    second = make_session(event, channel=channel, title="Panel", starts_at=T0 + timedelta(hours=1),
                          duration=timedelta(hours=1))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=2))
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)
    client.post(f"/manage/events/prepcon/rooms/{channel.id}", data={
        f"channel-{channel.id}-meeting_url": MEETING, f"channel-{channel.id}-livestream_url": LIVESTREAM})
    client.post(f"/manage/events/prepcon/sessions/{second.id}/room", data={
        "meeting_url": SESSION_MEETING, "livestream_url": "", "recording_url": RECORDING})
    client.post("/logout")
    return event, channel, first, second


def test_organizer_sets_links_and_a_bad_address_changes_nothing(client, login, rooms_world):
    event, channel, first, second = rooms_world
    login(make_organizer_committed(event))

    bad = client.post(f"/manage/events/prepcon/rooms/{channel.id}", data={
        f"channel-{channel.id}-meeting_url": "javascript:alert(1)", f"channel-{channel.id}-livestream_url": ""})

    assert bad.status_code == 400 and "is not a web address" in page_text(bad)
    db.session.expire_all()
    saved = db.session.get(Channel, channel.id)
    assert (saved.meeting_url, saved.livestream_url) == (MEETING, LIVESTREAM)
    assert db.session.get(SessionRoom, second.id).recording_url == RECORDING


def make_organizer_committed(event):
    user = make_organizer(event)
    db.session.commit()
    return user


def test_livestream_and_recording_are_public_but_meeting_links_are_not(client, rooms_world):
    event, channel, first, second = rooms_world

    session_page = client.get(f"/events/prepcon/sessions/{second.id}").get_data(as_text=True)
    agenda = client.get("/events/prepcon/agenda").get_data(as_text=True)
    schedule = client.get("/events/prepcon/schedule.json").get_json()
    xml = client.get("/events/prepcon/schedule.xml").get_data(as_text=True)

    assert LIVESTREAM in session_page and RECORDING in session_page
    assert LIVESTREAM in agenda and RECORDING in agenda
    events = {e["title"]: e for day in schedule["schedule"]["conference"]["days"]
              for room in day["rooms"].values() for e in room}
    assert events["Opening"]["links"] == [{"type": "media", "url": LIVESTREAM, "title": "Livestream"}]
    assert events["Panel"]["links"] == [{"type": "media", "url": LIVESTREAM, "title": "Livestream"},
                                        {"type": "media", "url": RECORDING, "title": "Recording"}]
    assert f'<link href="{RECORDING}">Recording</link>' in xml
    for body in (session_page, agenda, json.dumps(schedule), xml):
        assert MEETING not in body and SESSION_MEETING not in body


def test_changing_a_link_changes_the_schedule_etag(client, login, rooms_world):
    event, channel, first, second = rooms_world
    before = client.get("/events/prepcon/schedule.json").headers["ETag"]
    login(make_organizer_committed(event))
    client.post(f"/manage/events/prepcon/sessions/{first.id}/room", data={
        "meeting_url": "", "livestream_url": "https://stream.example.org/opening", "recording_url": ""})

    after = client.get("/events/prepcon/schedule.json", headers={"If-None-Match": before})

    assert after.status_code == 200
    assert "https://stream.example.org/opening" in after.get_data(as_text=True)


def test_approved_delegates_get_the_meeting_links_in_their_feed_and_account_page(client, login, rooms_world):
    event, channel, first, second = rooms_world
    delegate = make_user("delegate@example.org")
    approved = make_registration(event, user=delegate, email=delegate.email, status=RegistrationStatus.APPROVED,
                                 calendar_token="approved-token-123", sessions=[first, second])
    pending = make_registration(event, email="pending@example.org", status=RegistrationStatus.PENDING,
                                calendar_token="pending-token-456", sessions=[first, second])
    db.session.commit()

    feed = client.get("/calendar/approved-token-123.ics").get_data(as_text=True).replace("\r\n ", "")
    pending_feed = client.get("/calendar/pending-token-456.ics").get_data(as_text=True).replace("\r\n ", "")
    login(delegate)
    account = page_text(client.get("/account/"))

    assert f"CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join the meeting:{MEETING}" in feed
    assert f"CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join the meeting:{SESSION_MEETING}" in feed
    assert f"LOCATION:Plenary: {MEETING}" in feed
    assert f"Join: {SESSION_MEETING}" in feed
    assert MEETING not in pending_feed and SESSION_MEETING not in pending_feed
    assert f"Plenary: {MEETING}" in account and f"Panel: {SESSION_MEETING}" in account
    assert (approved.status, pending.status) == (RegistrationStatus.APPROVED, RegistrationStatus.PENDING)


@pytest.mark.parametrize("who", ["interpreter", "speaker", "stranger"])
def test_interpreters_and_speakers_see_the_rooms_on_their_account_page_and_strangers_do_not(client, login,
                                                                                            rooms_world, who):
    event, channel, first, second = rooms_world
    user = make_user(f"{who}@example.org", roles=((event, Role.INTERPRETER),) if who == "interpreter" else ())
    if who == "speaker":
        make_speaker(event, name="Invited speaker", email="SPEAKER@example.org")
    db.session.commit()
    login(user)

    account = page_text(client.get("/account/"))

    assert (MEETING in account) == (who != "stranger")


def test_the_console_links_the_room_of_what_is_on_now(client, login, rooms_world):
    from factories import make_moderator

    event, channel, first, second = rooms_world
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)

    console = client.get("/moderate/prepcon/?channel=plenary&day=2021-10-25").get_data(as_text=True)

    assert MEETING in console  # the next session, Opening, uses the channel's room
    assert db.session.scalar(select(SessionRoom.meeting_url).filter_by(session_id=second.id)) == SESSION_MEETING
