"""Arabic content (an event written in Arabic, with English beside it) reads right to left wherever it appears:
marked lang="ar" dir="rtl" inside English pages, in a right-to-left page of its own, and in the programme PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from export_support import publish, utc
from factories import make_channel, make_event, make_session

SLUG = "arab-ministerial"
TITLE = "الاجتماع الوزاري بشأن حفظ السلام"
SESSION = "الجلسة الافتتاحية"
DESCRIPTION = "كلمة وزير الخارجية وجدول الأعمال"


@pytest.fixture
def arabic_event(app):
    """Arabic by default, English beside it: the event's title is in both, the opening session in Arabic only."""
    event = make_event(slug=SLUG, title=TITLE, languages=["ar", "en"], default_language="ar",
                       translations={"title": {"en": "Ministerial meeting on peacekeeping"}})
    room = make_channel(event, name="القاعة العامة")
    make_session(event, title=SESSION, description=DESCRIPTION, channel=room, starts_at=utc(2021, 10, 25, 13))
    make_session(event, title="الجلسة الثانية", channel=room, starts_at=utc(2021, 10, 25, 15),
                 translations={"title": {"en": "Second session"}})
    publish(event)
    return event


def test_an_english_agenda_marks_the_arabic_session_right_to_left(client, arabic_event):
    page = client.get(f"/events/{SLUG}/agenda?lang=en").get_data(as_text=True)

    assert '<html lang="en" dir="ltr">' in page
    assert f'<span lang="ar" dir="rtl">{SESSION}</span>' in page  # no English title: the Arabic one, marked
    assert f'lang="ar" dir="rtl"><p>{DESCRIPTION}</p>' in page
    assert "Second session" in page and "الجلسة الثانية" not in page


def test_the_agenda_in_arabic_is_a_right_to_left_page_with_the_arabic_texts(client, arabic_event):
    page = client.get(f"/events/{SLUG}/agenda?lang=ar").get_data(as_text=True)

    assert '<html lang="ar" dir="rtl">' in page
    assert SESSION in page and "الجلسة الثانية" in page and TITLE in page
    assert f'<span lang="ar" dir="rtl">{SESSION}</span>' not in page  # the page's own language: nothing to mark


def test_the_html_programme_in_english_marks_the_arabic_session_right_to_left(client, arabic_event):
    page = client.get(f"/events/{SLUG}/programme?lang=en").get_data(as_text=True)

    assert f'<span lang="ar" dir="rtl">{SESSION}</span>' in page
    assert "Ministerial meeting on peacekeeping" in page


def _pdf_text(response) -> tuple[str, PdfReader]:
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_the_programme_pdf_carries_the_arabic_text_in_an_arabic_font(client, arabic_event):
    english, _ = _pdf_text(client.get(f"/events/{SLUG}/programme.pdf?lang=en"))
    arabic, reader = _pdf_text(client.get(f"/events/{SLUG}/programme.pdf?lang=ar"))

    # Real Arabic text where the session's title and description go. Typst maps a glyph that several letters share
    # (Noto's dotless "tooth" under different dots) to one of them, so an extractor reads some letters wrong:
    # the test looks for Arabic letters in place, and for the letters of "الجلسة", whose glyphs are unambiguous.
    assert re.search(r"09:00–10:00\s*[\u0600-\u06ff ]{12,}\n", english), english
    assert re.search(r"\n[\u0600-\u06ff ]{20,}\n11:00–12:00 Second session", english), english
    assert set("الجلسة") <= set(english)
    assert "Ministerial meeting on peacekeeping" in english
    assert re.search(r"11:00–12:00\s*[\u0600-\u06ff ]{10,}\n", arabic), arabic
    assert "Second session" not in arabic and "Ministerial meeting" not in arabic
    root = reader.trailer["/Root"]
    assert (root["/Lang"], root["/ViewerPreferences"]["/Direction"]) == ("ar", "/R2L")
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSansArabic" in name for name in fonts), fonts
