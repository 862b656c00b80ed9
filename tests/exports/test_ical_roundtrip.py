"""Round trips: every feed parsed back, by `icalendar` and by Thunderbird's ical.js, gives the agenda's instants.

Calendar apps do not all read every valid VTIMEZONE the same way, and ical.js knows no zone but the ones in the
file: if our VTIMEZONE had the wrong daylight-saving rules, its UTC instants would be off by an hour.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from confman.extensions import db
from confman.models import AgendaSession, Registration, RegistrationStatus, SessionStatus

from export_support import publish
from factories import make_registration

JS_DIR = Path(__file__).resolve().parents[1] / "js"
NODE = shutil.which("node")


def _expected(event) -> dict[str, tuple[datetime, datetime]]:
    items = db.session.scalars(db.select(AgendaSession).filter_by(event_id=event.id)).all()
    return {f"session-{s.id}@{event.slug}.confman": (s.starts_at, s.ends_at) for s in items}


def _feeds(client, event) -> dict[str, bytes]:
    """Every kind of feed of `event`: agenda, each theme, each speaker, each session, a delegate's own."""
    items = db.session.scalars(db.select(AgendaSession).filter_by(event_id=event.id)).all()
    registration = make_registration(event, status=RegistrationStatus.APPROVED, calendar_token="roundtrip-token")
    registration.sessions = list(items)
    db.session.commit()
    paths = [f"/events/{event.slug}/agenda.ics", "/calendar/roundtrip-token.ics"]
    paths += [f"/events/{event.slug}/agenda.ics?theme={t.slug}" for t in event.themes]
    paths += [f"/events/{event.slug}/sessions/{s.id}.ics" for s in items]
    paths += [f"/events/{event.slug}/speakers/{p.speaker_id}.ics" for s in items for p in s.participations]
    feeds = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        feeds[path] = response.data
    return feeds


def _parse_with_icaljs(body: bytes | list[bytes]):
    """What ical.js reads in one calendar, or in each of a list of calendars."""
    if NODE is None:
        pytest.skip("node is not installed, so Thunderbird's ical.js cannot be run (apt-get install nodejs)")
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.skip("ical.js is not installed: run `make install` (npm ci in tests/js)")
    if isinstance(body, list):
        body = json.dumps([b.decode() for b in body]).encode()
    result = subprocess.run([NODE, str(JS_DIR / "parse_ical.mjs")], input=body, capture_output=True, check=True,
                            timeout=60)
    return json.loads(result.stdout)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@pytest.mark.parametrize("fixture", ["dst_event", "karachi_event"])
def test_every_feed_round_trips_through_icalendar(client, request, fixture):
    event = request.getfixturevalue(fixture)
    expected = _expected(event)

    feeds = _feeds(client, event)

    for path, body in feeds.items():
        calendar = icalendar.Calendar.from_ical(body)
        tzids = {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
        used = set()
        for vevent in calendar.walk("VEVENT"):
            uid = str(vevent["uid"])
            got = (vevent.decoded("dtstart").astimezone(UTC), vevent.decoded("dtend").astimezone(UTC))
            assert got == expected[uid], (path, uid)
            for prop in ("dtstart", "dtend"):
                used.add(vevent[prop].params.get("TZID", "UTC"))
        assert used - {"UTC"} == tzids, (path, "every TZID has its VTIMEZONE, and no VTIMEZONE is unused")
        assert tzids <= {event.timezone}, path


@pytest.mark.parametrize("fixture", ["dst_event", "karachi_event"])
def test_every_feed_round_trips_through_thunderbirds_ical_js(client, request, fixture):
    event = request.getfixturevalue(fixture)
    expected = _expected(event)

    feeds = _feeds(client, event)

    for path, parsed in zip(feeds, _parse_with_icaljs(list(feeds.values())), strict=True):
        assert parsed["timezones"] <= 1, path
        for item in parsed["events"]:
            assert (_utc(item["start"]), _utc(item["end"])) == expected[item["uid"]], (path, item["summary"])


def test_ical_js_reads_the_repeated_hour_and_the_offsets_on_both_sides_of_the_change(client, dst_event):
    body = client.get("/events/autumn-meeting/agenda.ics").data

    events = {e["summary"]: e for e in _parse_with_icaljs(body)["events"]}

    assert _utc(events["Night session before the change"]["start"]) == datetime(2021, 10, 31, 0, 30, tzinfo=UTC)
    assert _utc(events["Night session after the change"]["start"]) == datetime(2021, 10, 31, 1, 30, tzinfo=UTC)
    # Saturday 10:00 is CEST (UTC+2), Sunday 10:15 is CET (UTC+1).
    assert _utc(events['Opening, with "quotes"; and a semicolon']["start"]) == datetime(2021, 10, 30, 8, 0, tzinfo=UTC)
    assert _utc(events["Panel on training"]["start"]) == datetime(2021, 10, 31, 9, 15, tzinfo=UTC)
    assert events["Panel on training"]["tzid"] == "Europe/Amsterdam"
    assert events['Opening, with "quotes"; and a semicolon']["summary"] == 'Opening, with "quotes"; and a semicolon'
    assert events['Opening, with "quotes"; and a semicolon']["categories"] == ["Safety and Security"]


def test_ical_js_sees_cancellation_and_sequence(client, dst_event):
    item = db.session.scalar(db.select(AgendaSession).filter_by(title="Panel on training"))
    item.status = SessionStatus.CANCELLED
    item.sequence += 1
    publish(dst_event)

    events = {e["summary"]: e for e in _parse_with_icaljs(client.get("/events/autumn-meeting/agenda.ics").data)[
        "events"]}

    assert events["Panel on training"]["status"] == "CANCELLED"
    assert events["Panel on training"]["sequence"] == 1


def test_registration_model_feeds_round_trip(client, karachi_event):
    # The personal feed of a delegate who picked nothing is a valid, empty calendar.
    make_registration(karachi_event, calendar_token="nothing-picked")
    db.session.commit()

    parsed = _parse_with_icaljs(client.get("/calendar/nothing-picked.ics").data)

    assert parsed["events"] == []
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
