"""The programme PDF: tagged PDF/UA-1 with language, outline, real text and embedded fonts; paper and options."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from bench.generate import Size, build_event
from confman.extensions import db
from confman.models import AgendaSession
from confman.services import publication
from confman.timeutil import utcnow

from export_support import publish, utc
from factories import make_channel, make_event, make_session


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _outline(entries) -> list:
    """The bookmarks as [(title, [child titles])]: days and the speakers index, each with its sessions."""
    tree = []
    for entry in entries:
        if isinstance(entry, list):
            tree[-1] = (tree[-1][0], [child.title for child in entry])
        else:
            tree.append((entry.title, []))
    return tree


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages use, and whether its program is embedded."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[re.sub(r"^/[A-Z]{6}\+", "", font["/BaseFont"])] = embedded
    return fonts


def test_programme_pdf_is_tagged_pdf_ua_with_language_metadata_and_embedded_fonts(client, dst_event):
    reader = _pdf(client.get("/events/autumn-meeting/programme.pdf"))

    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Programme · Autumn meeting; 2021, Amsterdam"
    assert reader.metadata.author == "Kingdom of the Netherlands · Islamic Republic of Pakistan"
    assert _fonts(reader) == {"NotoSans-Regular": True}
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {(595, 842)}  # A4


def test_programme_pdf_has_every_session_time_and_title_an_outline_and_the_cover_facts(client, dst_event):
    reader = _pdf(client.get("/events/autumn-meeting/programme.pdf"))

    pages = [page.extract_text() for page in reader.pages]
    everything = "\n".join(pages)
    for line in ('10:00–11:00 Opening, with "quotes"; and a semicolon',
                 "02:30–02:00\nUTC+2\nNight session before the change",  # 02:30 happens twice that night
                 "02:30–03:00\nUTC+1\nNight session after the change",
                 "10:00–10:06\nUTC+1\nVideo message from the Minister", "10:15–11:45\nUTC+1\nPanel on training"):
        assert line in everything
    assert "Chair: H.E. Ada Lovelace, Minister for Foreign Affairs, Kingdom of Testland" in everything
    assert _outline(reader.outline) == [
        ("Saturday 30 October 2021", ['Opening, with "quotes"; and a semicolon']),
        ("Sunday 31 October 2021", ["Night session before the change", "Night session after the change",
                                    "Video message from the Minister", "Panel on training"]),
        ("Speakers", []),
    ]
    assert "Agenda Version 1, as of 01 October 2021 14:00 (Europe/Amsterdam)" in pages[0]
    assert re.search(r"Co-hosted by\nNL +Kingdom of the Netherlands\nPK +Islamic Republic of Pakistan", pages[0])
    assert f"Page 2 of {len(pages)}" in pages[1]
    assert "Autumn meeting; 2021, Amsterdam · Kingdom of the Netherlands" in pages[1]  # the running header
    index = " ".join(pages[-1][pages[-1].index("Speakers"):].split())
    assert "H.E. Ada Lovelace, Minister for Foreign Affairs, Kingdom of Testland: Sat 30 Oct 10:00 (p. 2); " \
           "Sun 31 Oct 10:00 (p. 3) Dr. Grace Hopper" in index


@pytest.fixture
def large_event(app):
    """The benchmark's large agenda: 3 days x 6 channels x 18 slots, 600 speakers (no registrations)."""
    event = build_event(Size("large", days=3, channels=6, sessions_per_channel_day=18, speakers=600, registrations=0))
    db.session.commit()
    return event


def test_programme_pdf_of_a_324_session_event_has_every_session_and_a_bookmark_per_day_and_session(
        client, large_event):
    reader = _pdf(client.get(f"/events/{large_event.slug}/programme.pdf"))

    text = _text(reader)
    sessions = publication.public_agenda(large_event).sessions
    tz = large_event.tz
    missing = [s.title for s in sessions
               if f"{s.starts_at.astimezone(tz):%H:%M}–{s.ends_at.astimezone(tz):%H:%M} {s.title}\n" not in text]
    outline = _outline(reader.outline)
    assert len(sessions) == 324 and missing == []
    assert [day for day, _ in outline] == ["Monday 25 October 2021", "Tuesday 26 October 2021",
                                           "Wednesday 27 October 2021", "Speakers"]
    assert sum(len(children) for _, children in outline) == 324
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])


def test_programme_pdf_on_letter_paper(client, dst_event):
    response = client.get("/events/autumn-meeting/programme.pdf?paper=letter")

    reader = _pdf(response)
    assert {(round(p.mediabox.width, 2), round(p.mediabox.height, 2)) for p in reader.pages} == {(612, 792)}
    assert response.headers["Content-Disposition"] == 'inline; filename="autumn-meeting-programme-letter.pdf"'
    assert response.headers["ETag"] != client.get("/events/autumn-meeting/programme.pdf").headers["ETag"]
    assert client.get("/events/autumn-meeting/programme.pdf?paper=a3").status_code == 400


def test_programme_pdf_for_one_theme_in_the_viewers_zone(client, dst_event):
    reader = _pdf(client.get("/events/autumn-meeting/programme.pdf?theme=safety&tz=Asia/Karachi"))

    text = _text(reader)
    assert [day for day, _ in _outline(reader.outline)] == ["Saturday 30 October 2021", "Sunday 31 October 2021",
                                                            "Speakers"]
    assert "13:00–14:00 Opening" in text and "14:15–15:45\nUTC+5\nPanel on training" not in text
    assert "14:15–15:45 Panel on training" in text  # one offset all day in Karachi: none printed
    assert "Night session" not in text
    assert "Theme Safety and Security only" in text
    assert "Times Asia/Karachi (the event's own zone is Europe/Amsterdam)" in text


def test_programme_pdf_prints_markup_and_other_scripts_as_written(client, app):
    event = make_event(slug="scripts", title="Conférence ministérielle")
    room = make_channel(event, name="Salle plénière")
    hostile = '#panic("boom") *not bold* $x^2$ <label> @ref \\ ]) } // comment'
    titles = [hostile, "Séance d’ouverture — «Œuvre» ç é è", "Año España: diálogo ñ", "الجلسة الافتتاحية"]
    for n, title in enumerate(titles):
        make_session(event, title=title, channel=room, starts_at=utc(2021, 10, 25, 8 + n), description="*Ça* va")
    publish(event)

    reader = _pdf(client.get("/events/scripts/programme.pdf"))

    text = _text(reader)
    for title in titles[:3]:
        assert title in text
    assert "Conférence ministérielle" in text and "Ça va" in text
    assert set("الجلسة") <= set(text)  # shaped right to left; extraction order of Arabic glyphs is the reader's
    assert _fonts(reader) == {"NotoSans-Regular": True, "NotoSans-Italic": True, "NotoSansArabic-Regular": True}


def test_programme_pdf_answers_304_to_its_etag_and_renders_a_new_version(client, dst_event):
    first = client.get("/events/autumn-meeting/programme.pdf")
    again = client.get("/events/autumn-meeting/programme.pdf", headers={"If-None-Match": first.headers["ETag"]})
    item = db.session.scalar(db.select(AgendaSession).filter_by(title="Panel on training"))
    item.title = "Panel on training and capacity building"
    item.starts_at += timedelta(minutes=15)
    publish(dst_event, now=utcnow())
    changed = client.get("/events/autumn-meeting/programme.pdf", headers={"If-None-Match": first.headers["ETag"]})

    assert (again.status_code, again.data) == (304, b"")
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert "10:30–12:00\nUTC+1\nPanel on training and capacity building" in _text(_pdf(changed))


def test_programme_pdf_in_a_right_to_left_language_sets_its_direction(app, dst_event):
    from confman.exports import ExportRequest
    from confman.exports.programme_pdf import programme_pdf
    from confman.exports.programme_text import Wording

    agenda = publication.public_agenda(dst_event)
    request = ExportRequest(event=dst_event, agenda=agenda, session_url=str, event_url="https://x.test/",
                            wording=Wording(lang="ar"))

    reader = PdfReader(io.BytesIO(programme_pdf(request)))

    root = reader.trailer["/Root"]
    assert (root["/Lang"], root["/ViewerPreferences"]["/Direction"]) == ("ar", "/R2L")
    assert "Panel on training" in _text(reader)
