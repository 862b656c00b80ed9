"""Stored XSS: script and attribute-breaking text in every field the public (or an organizer) reads stays inert.

The PrepCon sample gets hostile text in every public text field (sessions, speakers, organizations, themes,
channels, the event) and every registration field organizers read; the agenda is published; then every public
page, the organizers' registration pages and every export is fetched. HTML must show the text escaped, JSON/XML/ICS
must carry it as data, and the PDF as printed text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import icalendar
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Channel, Event, Organization, Registration, Speaker, Theme
from confman.models.orgs import Delegation
from confman.services import publication, sample

from factories import NOW, make_organizer

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
LINK = "[click me](javascript:alert(1))"
PLAIN = SCRIPT + ATTRIBUTE  # for one-line fields
MARKDOWN = f"{SCRIPT}\n\n{ATTRIBUTE}\n\n{LINK} <a href=\"javascript:alert(1)\">raw link</a>"

# model -> (one-line fields, Markdown fields). Short fields get only the script tag.
FIELDS = {
    Event: (["title", "short_title", "venue"], ["description"]),
    AgendaSession: (["title"], ["description"]),
    Speaker: (["name", "title", "honorific"], ["bio"]),
    Organization: (["name", "short_name"], []),
    Theme: (["name"], []),
    Channel: (["name"], []),
    Registration: (["name", "title", "honorific", "organization_name"], ["needs"]),
    Delegation: (["head_of_delegation"], []),
}
SHORT = {"honorific", "short_name", "short_title"}


def _poison(event: Event) -> None:
    for model, (lines, markdown) in FIELDS.items():
        query = select(model) if model is Organization else select(model).filter_by(
            **({"id": event.id} if model is Event else {"event_id": event.id}))
        for n, row in enumerate(db.session.scalars(query)):
            for name in lines:
                # Organization names are unique; the number keeps them apart.
                setattr(row, name, (SCRIPT if name in SHORT else PLAIN) + (f" {n}" if model is Organization else ""))
            for name in markdown:
                setattr(row, name, MARKDOWN)
    db.session.flush()


@pytest.fixture
def poisoned(app):
    sample.load_sample(now=NOW)
    event = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    _poison(event)
    publication.publish_agenda(event, actor=None, now=NOW, allow_empty=True)
    organizer = make_organizer(event)
    db.session.commit()
    return event, organizer


class _Tags(HTMLParser):
    """Every element the browser would build: escaped text never becomes one."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _assert_inert_html(url: str, html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    inline_scripts = [attrs for tag, attrs in parser.tags if tag == "script" and "src" not in attrs]
    handlers = [(tag, name) for tag, attrs in parser.tags for name in attrs if name.startswith("on")]
    script_urls = [(tag, value) for tag, attrs in parser.tags for name, value in attrs.items()
                   if name in ("href", "src", "action", "formaction")
                   and value.strip().lower().startswith("javascript:")]
    assert inline_scripts == [], f"{url}: an inline script"
    assert handlers == [], f"{url}: event-handler attributes"
    assert script_urls == [], f"{url}: javascript: URLs"
    assert "<script>alert" not in html.lower() and "<img src=x" not in html.lower(), f"{url}: raw payload"


def _public_urls(event) -> list[str]:
    base = f"/events/{event.slug}"
    sessions = db.session.scalars(select(AgendaSession.id).filter_by(event_id=event.id)).all()
    speakers = db.session.scalars(select(Speaker.id).filter_by(event_id=event.id)).all()
    return ["/", f"{base}/", f"{base}/agenda", f"{base}/agenda?view=list", f"{base}/agenda?view=grid",
            f"{base}/speakers/", f"{base}/programme", f"{base}/live",
            *(f"{base}/sessions/{i}" for i in sessions), *(f"{base}/speakers/{i}" for i in speakers)]


def test_public_pages_show_hostile_text_escaped(client, poisoned):
    event, _ = poisoned
    pages = {}

    for url in _public_urls(event):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)

    for url, html in pages.items():
        _assert_inert_html(url, html)
    agenda = pages[f"/events/{event.slug}/agenda"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in agenda  # shown to the reader, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[f"/events/{event.slug}/speakers/"]
    assert len(pages) > 20


def test_organizer_pages_show_hostile_registration_fields_escaped(client, login, poisoned):
    event, organizer = poisoned
    login(organizer)
    base = f"/manage/events/{event.slug}"
    ids = db.session.scalars(select(Registration.id).filter_by(event_id=event.id)).all()
    delegations = db.session.scalars(select(Delegation.id).filter_by(event_id=event.id)).all()
    urls = [f"{base}/registrations", f"{base}/", f"{base}/timetable", f"{base}/sessions/", f"{base}/speakers/",
            f"{base}/co-hosts/", f"{base}/delegations", f"{base}/video-messages/", f"{base}/outbox",
            *(f"{base}/registrations/{i}" for i in ids),
            *(f"{base}/delegations/{i}" for i in delegations)]

    pages = {url: client.get(url) for url in urls}

    for url, response in pages.items():
        assert response.status_code == 200, url
        _assert_inert_html(url, response.get_data(as_text=True))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[f"{base}/registrations"].get_data(as_text=True)


def test_registrations_csv_carries_hostile_text_as_data(client, login, poisoned):
    event, organizer = poisoned
    login(organizer)

    response = client.get(f"/manage/events/{event.slug}/registrations.csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert any(PLAIN in cell for row in rows for cell in row)


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_json_exports_carry_hostile_text_as_data(client, poisoned):
    event, _ = poisoned

    schedule = client.get(f"/events/{event.slug}/schedule.json")
    live = client.get(f"/events/{event.slug}/live.json")

    assert schedule.mimetype == "application/json" and live.mimetype == "application/json"
    texts = set(_strings(json.loads(schedule.get_data(as_text=True))))
    assert PLAIN in texts  # the exact text, round-tripped through JSON
    json.loads(live.get_data(as_text=True))  # well-formed, whatever the titles hold


def test_schedule_xml_carries_hostile_text_as_escaped_data(client, poisoned):
    event, _ = poisoned

    response = client.get(f"/events/{event.slug}/schedule.xml")

    body = response.get_data(as_text=True)
    assert "<script>" not in body and "<img src=x" not in body  # escaped in the markup
    texts = {element.text for element in ET.fromstring(response.get_data()).iter() if element.text}
    assert PLAIN in texts


def test_calendar_exports_carry_hostile_text_as_data(client, poisoned):
    event, _ = poisoned
    session_id = db.session.scalar(select(AgendaSession.id).filter_by(event_id=event.id).order_by(AgendaSession.id))

    feeds = [client.get(f"/events/{event.slug}/agenda.ics"),
             client.get(f"/events/{event.slug}/sessions/{session_id}.ics")]

    for response in feeds:
        assert response.status_code == 200
        calendar = icalendar.Calendar.from_ical(response.get_data())
        summaries = [str(component.get("SUMMARY")) for component in calendar.walk("VEVENT")]
        assert summaries and all(PLAIN in summary for summary in summaries if "alert" in summary)
        assert any(PLAIN in summary for summary in summaries)


def test_atom_feed_escapes_hostile_text(client, poisoned):
    event, _ = poisoned

    response = client.get(f"/events/{event.slug}/changes.atom")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>" not in body and "<img src=x" not in body
    ET.fromstring(response.get_data())  # still well-formed XML


def test_programme_pdf_prints_hostile_text_and_runs_nothing(client, poisoned):
    event, _ = poisoned

    response = client.get(f"/events/{event.slug}/programme.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    raw = response.get_data()
    reader = PdfReader(io.BytesIO(raw))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert re.sub(r"\s+", "", SCRIPT) in text  # printed as the words typed
    assert b"/JavaScript" not in raw and b"/JS " not in raw
    links = [annot.get_object().get("/A", {}).get("/URI", "") for page in reader.pages
             for annot in (page.get("/Annots") or [])]
    assert not [link for link in links if str(link).lower().startswith("javascript:")]
