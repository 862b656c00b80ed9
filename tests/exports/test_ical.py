"""iCalendar feeds as calendar apps fetch them: zones, stable UIDs, stamps, sequence, cancellation, conditional GET."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
import pytest

from confman.extensions import db
from confman.models import AgendaSession, EventStatus, SessionStatus
from confman.timeutil import utcnow

from export_support import publish, utc
from factories import make_event, make_session


def _events(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["summary"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def _session(title: str) -> AgendaSession:
    return db.session.scalar(db.select(AgendaSession).filter_by(title=title))


def test_agenda_ics_carries_zone_uids_stamps_and_calendar_hints(client, dst_event):
    response = client.get("/events/autumn-meeting/agenda.ics")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="autumn-meeting-agenda.ics"'
    assert "\r\nNAME:Autumn meeting\\; 2021\\, Amsterdam\r\n" in body  # RFC 7986 TEXT, escaped
    assert "X-WR-CALNAME:Autumn meeting; 2021, Amsterdam\r\n" in body  # read raw by every parser
    assert "X-WR-TIMEZONE:Europe/Amsterdam\r\n" in body
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert "X-PUBLISHED-TTL:PT1H\r\n" in body
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n" in body
    opening = _events(response.data)['Opening, with "quotes"; and a semicolon']
    item = _session('Opening, with "quotes"; and a semicolon')
    assert str(opening["uid"]) == f"session-{item.id}@autumn-meeting.confman"
    assert opening["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert opening.decoded("dtstamp") == item.updated_at
    assert opening.decoded("last-modified") == item.updated_at
    assert opening.decoded("sequence") == 0
    assert str(opening["status"]) == "CONFIRMED"
    assert str(opening["url"]) == f"http://confman.test/events/autumn-meeting/sessions/{item.id}"
    assert str(opening["location"]) == "Plenary"
    assert opening["categories"].cats == ["Safety and Security"]
    assert str(opening["description"]).splitlines()[:4] == [
        "Opening · Theme: Safety and Security", "",
        "Chair: H.E. Ada Lovelace, Minister for Foreign Affairs, Kingdom of Testland",
        "Speaker: Dr. Grace Hopper, Senior Adviser, Training",
    ]


def test_agenda_ics_escapes_text_and_folds_long_lines(client, dst_event):
    body = client.get("/events/autumn-meeting/agenda.ics").data

    assert b'SUMMARY:Opening\\, with "quotes"\\; and a semicolon\r\n' in body
    assert b"Welcome.\\nSecond line\\, with comma." in body.replace(b"\r\n ", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"\r\n " in body  # long DESCRIPTION lines are folded, not cut


def test_times_in_the_repeated_hour_are_written_in_utc(client, dst_event):
    events = _events(client.get("/events/autumn-meeting/agenda.ics").data)

    before, after = events["Night session before the change"], events["Night session after the change"]

    assert before["dtstart"].to_ical() == b"20211031T003000Z"
    assert after["dtend"].params["TZID"] == "Europe/Amsterdam"  # 03:00 CET happens once
    assert after["dtstart"].to_ical() == b"20211031T013000Z"
    assert before.decoded("dtstart").astimezone(UTC) == utc(2021, 10, 31, 0, 30)
    assert after.decoded("dtstart").astimezone(UTC) == utc(2021, 10, 31, 1, 30)


def test_unchanged_feed_is_byte_identical_and_never_stamped_with_the_request_time(client, dst_event):
    first = client.get("/events/autumn-meeting/agenda.ics").data
    second = client.get("/events/autumn-meeting/agenda.ics").data

    stamps = [e.decoded("dtstamp") for e in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert first == second
    assert max(stamps) < utcnow() - timedelta(days=30)


def test_conditional_get_answers_304_until_the_agenda_changes(client, dst_event):
    first = client.get("/events/autumn-meeting/agenda.ics")
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]

    by_etag = client.get("/events/autumn-meeting/agenda.ics", headers={"If-None-Match": etag})
    by_date = client.get("/events/autumn-meeting/agenda.ics", headers={"If-Modified-Since": last_modified})
    other_theme = client.get("/events/autumn-meeting/agenda.ics?theme=safety", headers={"If-None-Match": etag})
    item = _session("Panel on training")
    item.title = "Panel on training and capacity building"
    item.sequence += 1
    publish(dst_event)
    after_change = client.get("/events/autumn-meeting/agenda.ics", headers={"If-None-Match": etag})

    assert by_etag.status_code == 304 and by_etag.data == b""
    assert by_etag.headers["ETag"] == etag
    assert by_date.status_code == 304
    assert other_theme.status_code == 200
    assert after_change.status_code == 200
    assert after_change.headers["ETag"] != etag
    assert b"SUMMARY:Panel on training and capacity building" in after_change.data


def test_moved_and_cancelled_sessions_keep_their_uid_with_a_higher_sequence(client, dst_event):
    before = _events(client.get("/events/autumn-meeting/agenda.ics").data)
    moved, cancelled = _session("Panel on training"), _session("Night session before the change")
    moved.starts_at += timedelta(hours=1)
    moved.sequence += 1
    cancelled.status = SessionStatus.CANCELLED
    cancelled.sequence += 1
    publish(dst_event)

    after = _events(client.get("/events/autumn-meeting/agenda.ics").data)

    assert len(after) == len(before)
    assert after["Panel on training"]["uid"] == before["Panel on training"]["uid"]
    assert after["Panel on training"].decoded("sequence") == 1
    assert after["Panel on training"].decoded("dtstart").astimezone(UTC) == utc(2021, 10, 31, 10, 15)
    gone = after["Night session before the change"]
    assert str(gone["status"]) == "CANCELLED"
    assert gone.decoded("sequence") == 1
    assert str(gone["description"]).startswith("This session is cancelled.")


def test_unpublished_edits_stay_out_of_the_feed(client, dst_event):
    item = _session("Panel on training")
    item.title = "Draft title nobody should see"
    make_session(dst_event, title="Unpublished session")
    db.session.commit()

    body = client.get("/events/autumn-meeting/agenda.ics").data

    assert b"Draft title" not in body and b"Unpublished session" not in body


def test_theme_feed_has_only_that_theme(client, dst_event):
    response = client.get("/events/autumn-meeting/agenda.ics?theme=protection")

    assert sorted(_events(response.data)) == ["Night session after the change", "Night session before the change"]
    assert b"X-WR-CALNAME:Autumn meeting; 2021, Amsterdam: Protection" in response.data
    assert response.headers["Content-Disposition"] == 'attachment; filename="autumn-meeting-agenda-protection.ics"'
    assert client.get("/events/autumn-meeting/agenda.ics?theme=nope").status_code == 404


def test_speaker_and_session_feeds(client, dst_event):
    speaker_id = _session("Panel on training").participations[0].speaker_id
    item = _session("Panel on training")

    speaker = client.get(f"/events/autumn-meeting/speakers/{speaker_id}.ics")
    single = client.get(f"/events/autumn-meeting/sessions/{item.id}.ics")

    assert sorted(_events(speaker.data)) == ['Opening, with "quotes"; and a semicolon', "Panel on training"]
    assert list(_events(single.data)) == ["Panel on training"]
    assert single.headers["Content-Disposition"] == f'attachment; filename="autumn-meeting-session-{item.id}.ics"'
    assert client.get("/events/autumn-meeting/sessions/99999.ics").status_code == 404
    assert client.get("/events/autumn-meeting/speakers/99999.ics").status_code == 404


def test_public_feeds_never_carry_the_joining_link(client, dst_event):
    item = _session("Panel on training")
    speaker_id = item.participations[0].speaker_id

    bodies = [client.get(path).data for path in (
        "/events/autumn-meeting/agenda.ics", f"/events/autumn-meeting/sessions/{item.id}.ics",
        f"/events/autumn-meeting/speakers/{speaker_id}.ics")]

    assert all(b"meet.example.org" not in body for body in bodies)


def test_draft_event_has_no_feed(client, app):
    event = make_event(slug="draft", status=EventStatus.DRAFT)
    make_session(event)
    publish(event)

    assert client.get("/events/draft/agenda.ics").status_code == 404


@pytest.mark.parametrize("path", ["/events/autumn-meeting/agenda.ics", "/events/autumn-meeting/schedule.json",
                                  "/events/autumn-meeting/schedule.xml", "/events/autumn-meeting/changes.atom",
                                  "/events/autumn-meeting/programme"])
def test_every_export_answers_conditional_requests(client, dst_event, path):
    first = client.get(path)

    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200
    assert first.headers["Last-Modified"]
    assert again.status_code == 304
