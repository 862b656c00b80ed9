"""'Add to calendar' on the public pages: subscribe (webcal), download, and Google / Outlook for one session."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from confman.extensions import db
from confman.models import AgendaSession


def _links(html: str) -> dict[str, str]:
    """Link text -> href."""
    return {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(text))).strip(): unescape(href)
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, flags=re.S)}


def test_agenda_page_offers_subscription_download_and_the_other_formats(client, dst_event):
    links = _links(client.get("/events/autumn-meeting/agenda").get_data(as_text=True))
    theme_links = _links(client.get("/events/autumn-meeting/agenda?theme=protection").get_data(as_text=True))

    assert links["Subscribe in your calendar app"] == "webcal://confman.test/events/autumn-meeting/agenda.ics"
    assert links["Download the agenda (.ics)"] == "http://confman.test/events/autumn-meeting/agenda.ics"
    assert links["Printable programme"] == "/events/autumn-meeting/programme"
    assert links["schedule.json"] == "/events/autumn-meeting/schedule.json"
    assert links["Agenda changes (Atom feed)"] == "/events/autumn-meeting/changes.atom"
    assert (theme_links["Subscribe in your calendar app (Protection)"]
            == "webcal://confman.test/events/autumn-meeting/agenda.ics?theme=protection")


def test_session_page_adds_one_session_to_google_outlook_or_a_file(client, dst_event):
    item = db.session.scalar(db.select(AgendaSession).filter_by(title="Panel on training"))

    links = _links(client.get(f"/events/autumn-meeting/sessions/{item.id}").get_data(as_text=True))

    assert links["Download (.ics)"] == f"/events/autumn-meeting/sessions/{item.id}.ics"
    google = parse_qs(urlsplit(links["Google Calendar (opens in a new tab)"]).query)
    assert google["dates"] == ["20211031T091500Z/20211031T104500Z"]
    assert google["text"] == ["Panel on training"]
    assert google["ctz"] == ["Europe/Amsterdam"]
    assert google["details"][0].startswith("Panel · Theme: Safety and Security")
    outlook = parse_qs(urlsplit(links["Outlook.com (opens in a new tab)"]).query)
    assert (outlook["startdt"], outlook["enddt"]) == (["2021-10-31T09:15:00Z"], ["2021-10-31T10:45:00Z"])
    assert outlook["location"] == ["Plenary"]
    assert links["Microsoft 365 (opens in a new tab)"].startswith("https://outlook.office.com/calendar/")
    assert "meet.example.org" not in str(links)


def test_speaker_page_offers_that_speakers_calendar(client, dst_event):
    item = db.session.scalar(db.select(AgendaSession).filter_by(title="Panel on training"))
    speaker_id = item.participations[0].speaker_id

    links = _links(client.get(f"/events/autumn-meeting/speakers/{speaker_id}").get_data(as_text=True))

    assert (links["Subscribe to Dr. Grace Hopper's sessions"]
            == f"webcal://confman.test/events/autumn-meeting/speakers/{speaker_id}.ics")
