"""A delegate's personal calendar feed (secret, revocable, only their sessions) and the agenda's Atom changelog."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import icalendar

from confman.extensions import db
from confman.models import AgendaSession, RegistrationStatus

from export_support import publish
from factories import make_registration

ATOM = "{http://www.w3.org/2005/Atom}"


def _session(title: str) -> AgendaSession:
    return db.session.scalar(db.select(AgendaSession).filter_by(title=title))


def _summaries(body: bytes) -> list[str]:
    return sorted(str(e["summary"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT"))


def _register(event, token, titles, status=RegistrationStatus.APPROVED):
    registration = make_registration(event, status=status, calendar_token=token)
    registration.sessions = [_session(t) for t in titles]
    db.session.commit()
    return registration


def test_personal_feed_has_only_the_sessions_that_delegate_picked(client, dst_event):
    _register(dst_event, "token-of-ada", ["Panel on training"])
    _register(dst_event, "token-of-bob", ["Night session before the change", "Video message from the Minister"])

    ada = client.get("/calendar/token-of-ada.ics")
    bob = client.get("/calendar/token-of-bob.ics")

    assert ada.status_code == 200
    assert ada.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert ada.headers["Cache-Control"] == "private, no-cache"
    assert _summaries(ada.data) == ["Panel on training"]
    assert _summaries(bob.data) == ["Night session before the change", "Video message from the Minister"]


def test_joining_link_only_in_an_approved_delegates_feed(client, dst_event):
    _register(dst_event, "approved-token", ["Panel on training"])
    _register(dst_event, "pending-token", ["Panel on training"], status=RegistrationStatus.PENDING)

    approved = icalendar.Calendar.from_ical(client.get("/calendar/approved-token.ics").data).walk("VEVENT")[0]
    pending = client.get("/calendar/pending-token.ics").data

    assert str(approved["location"]) == "Plenary: https://meet.example.org/secret-room"
    assert "Join: https://meet.example.org/secret-room" in str(approved["description"])
    assert b"meet.example.org" not in pending
    assert _summaries(pending) == ["Panel on training"]


def test_revoked_and_unknown_tokens_get_the_same_plain_404(client, dst_event):
    registration = _register(dst_event, "soon-revoked", ["Panel on training"])
    assert client.get("/calendar/soon-revoked.ics").status_code == 200
    registration.calendar_token = None
    db.session.commit()

    revoked = client.get("/calendar/soon-revoked.ics")
    unknown = client.get("/calendar/never-issued.ics")
    too_long = client.get("/calendar/" + "x" * 500 + ".ics")

    assert revoked.status_code == unknown.status_code == too_long.status_code == 404
    # The same page, but for the path it echoes in its "Log in" link.
    assert revoked.data.replace(b"soon-revoked", b"?") == unknown.data.replace(b"never-issued", b"?")
    assert b"Autumn" not in revoked.data and b"Panel" not in revoked.data


def test_personal_feed_follows_picks_and_changes_with_conditional_get(client, dst_event):
    registration = _register(dst_event, "my-token", ["Panel on training"])
    first = client.get("/calendar/my-token.ics")
    unchanged = client.get("/calendar/my-token.ics", headers={"If-None-Match": first.headers["ETag"]})
    registration.sessions.append(_session("Night session after the change"))
    db.session.commit()
    picked_more = client.get("/calendar/my-token.ics", headers={"If-None-Match": first.headers["ETag"]})
    item = _session("Panel on training")
    item.starts_at += timedelta(minutes=30)
    item.sequence += 1
    publish(dst_event)
    moved = client.get("/calendar/my-token.ics", headers={"If-None-Match": picked_more.headers["ETag"]})

    assert unchanged.status_code == 304
    assert picked_more.status_code == 200
    assert _summaries(picked_more.data) == ["Night session after the change", "Panel on training"]
    assert moved.status_code == 200
    panel = next(e for e in icalendar.Calendar.from_ical(moved.data).walk("VEVENT")
                 if str(e["summary"]) == "Panel on training")
    assert panel.decoded("sequence") == 1


def test_changes_feed_lists_each_version_newest_first(client, dst_event):
    item = _session("Panel on training")
    item.starts_at += timedelta(hours=1)
    _session("Night session after the change").title = "Night session, renamed"
    publish(dst_event)

    response = client.get("/events/autumn-meeting/changes.atom")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Agenda published: version 2",
                                                             "Agenda published: version 1"]
    newest = entries[0].findtext(f"{ATOM}content")
    assert "Moved: Panel on training, now Sun 31 Oct 11:15 (was Sun 31 Oct 10:15, Europe/Amsterdam)" in newest
    assert "Renamed: Night session, renamed (Night session after the change -&gt; Night session, renamed)" in newest
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 2
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://confman.test/events/autumn-meeting/changes.atom"
