"""The printable programme: an HTML page made for paper, and the same programme as a cached PDF (see also
test_programme_pdf.py for what the PDF holds)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from confman.exports import programme_pdf
from confman.extensions import db
from confman.models import AgendaSession
from confman.timeutil import utcnow

from conftest import page_text
from export_support import publish


def test_programme_page_has_cover_days_speakers_and_no_navigation(client, dst_event):
    response = client.get("/events/autumn-meeting/programme")

    html = response.get_data(as_text=True)
    text = page_text(response)
    assert response.status_code == 200
    assert "<nav" not in html and "Log in" not in text and "Skip to content" not in text
    assert 'rel="stylesheet" href="/static/css/programme.css?v=' in html
    assert text.startswith("Programme · Autumn meeting; 2021, Amsterdam "
                           "Autumn meeting; 2021, Amsterdam · Kingdom of the Netherlands · Islamic Republic of "
                           "Pakistan Programme Autumn meeting; 2021, Amsterdam")
    assert "Saturday 30 October 2021 – Sunday 31 October 2021 · Virtual" in text
    assert "Co-hosted by NL Kingdom of the Netherlands PK Islamic Republic of Pakistan" in text
    assert "Saturday 30 October 2021 Times in Europe/Amsterdam (UTC+2) 10:00 – 11:00 Opening" in text
    assert "Sunday 31 October 2021 Times in Europe/Amsterdam (UTC+2, then UTC+1)" in text
    assert "02:30 – 02:00 UTC+2 Night session before the change" in text  # ends at 01:00Z, 02:00 CET
    assert "02:30 – 03:00 UTC+1 Night session after the change" in text
    assert ("Chair H.E. Ada Lovelace , Minister for Foreign Affairs, Kingdom of Testland "
            "Speaker Dr. Grace Hopper , Senior Adviser, Training") in text
    assert ("Video message (pre-recorded): H.E. Ada Lovelace, Minister for Foreign Affairs, Kingdom of Testland"
            in text)
    assert "Theme: Safety and Security" in text
    index = text[text.index("Speakers H.E. Ada Lovelace"):]
    assert index == ("Speakers H.E. Ada Lovelace , Minister for Foreign Affairs, Kingdom of Testland: "
                     "Sat 30 Oct 10:00 ; Sun 31 Oct 10:00 "  # the opening she chairs, and her video message
                     "Dr. Grace Hopper , Senior Adviser, Training: Sat 30 Oct 10:00 ; Sun 31 Oct 10:15")


def test_programme_options_theme_day_and_zone(client, dst_event):
    protection = page_text(client.get("/events/autumn-meeting/programme?theme=protection"))
    saturday = page_text(client.get("/events/autumn-meeting/programme?day=2021-10-30"))
    karachi = page_text(client.get("/events/autumn-meeting/programme?tz=Asia/Karachi&day=2021-10-30"))

    assert "Theme Protection only" in protection
    assert "Night session before the change" in protection and "Panel on training" not in protection
    assert "Opening" in saturday and "Panel on training" not in saturday
    assert "Day Saturday 30 October 2021 only" in saturday
    assert "Times Asia/Karachi (the event's own zone is Europe/Amsterdam)" in karachi
    assert "Times in Asia/Karachi (UTC+5) 13:00 – 14:00 Opening" in karachi
    assert client.get("/events/autumn-meeting/programme?theme=nope").status_code == 404
    assert client.get("/events/autumn-meeting/programme?day=Saturday").status_code == 400
    assert client.get("/events/autumn-meeting/programme?tz=Mars/Olympus").status_code == 400


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.data))


def test_programme_pdf_is_cached_until_the_agenda_changes(app, client, dst_event, monkeypatch):
    first = client.get("/events/autumn-meeting/programme.pdf")

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again instead of using the cache")

    monkeypatch.setattr(programme_pdf, "render_pdf", no_rendering)
    second = client.get("/events/autumn-meeting/programme.pdf")
    monkeypatch.undo()
    item = db.session.scalar(db.select(AgendaSession).filter_by(title="Panel on training"))
    item.title = "Panel on training and capacity building"
    item.starts_at += timedelta(minutes=15)
    publish(dst_event)
    third = client.get("/events/autumn-meeting/programme.pdf")

    assert second.data == first.data
    assert third.headers["ETag"] != first.headers["ETag"]
    assert "Panel on training and capacity building" in "".join(p.extract_text() for p in _pdf(third).pages)


@pytest.mark.parametrize("path", ["/events/autumn-meeting/programme", "/events/autumn-meeting/programme.pdf"])
def test_programme_before_publication_says_so(client, app, path):
    from factories import make_event

    make_event(slug="unpublished-agenda")
    db.session.commit()

    response = client.get(path.replace("autumn-meeting", "unpublished-agenda"))

    assert response.status_code == 200
    if path.endswith(".pdf"):
        assert "The agenda has not been published yet." in _pdf(response).pages[1].extract_text()
    else:
        assert "The agenda has not been published yet." in page_text(response)


def test_publishing_renders_the_programme_pdf_in_the_background(app, client, login, dst_event, monkeypatch):
    from confman.services import jobs

    from factories import make_organizer

    item = db.session.scalar(db.select(AgendaSession).filter_by(title="Panel on training"))
    item.title = "Panel on training, revised"
    organizer = make_organizer(dst_event)
    db.session.commit()
    login(organizer)
    published = client.post("/manage/events/autumn-meeting/publish", data={"comment": "Revised panel"})
    client.post("/logout")

    ran = jobs.run_due("test-worker", now=utcnow())
    assert (published.status_code, ran) == (302, 1)

    def no_rendering(*args, **kwargs):
        raise AssertionError("a delegate waited for the PDF: it was not rendered in the background")

    monkeypatch.setattr(programme_pdf, "render_pdf", no_rendering)
    response = client.get("/events/autumn-meeting/programme.pdf")
    assert response.status_code == 200
    assert "Panel on training, revised" in "".join(p.extract_text() for p in _pdf(response).pages)
