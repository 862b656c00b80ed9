"""Public pages, feeds and exports show content in the reader's language, falling back to the default."""

import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import event as sa_event
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event
from confman.services import publication, sample
from confman.timeutil import utcnow
from confman.web import live as live_views

from conftest import page_text

SLUG = "prepcon-2021"


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=utcnow())
    db.session.commit()
    return db.session.scalar(select(Event).filter_by(slug=SLUG))


def test_agenda_in_french_shows_french_titles_and_marks_the_english_fallback(client, prepcon):
    page = client.get(f"/events/{SLUG}/agenda?lang=fr").get_data(as_text=True)

    assert "Ouverture de la Conférence préparatoire" in page
    assert "Opening of the Preparatory Conference" not in page
    assert '<span lang="en">Closing: the road to Seoul</span>' in page  # no French title: English, marked
    assert "Sûreté et sécurité" in page


def test_agenda_in_english_is_unchanged_by_the_french_texts(client, prepcon):
    page = client.get(f"/events/{SLUG}/agenda?lang=en").get_data(as_text=True)

    assert "Opening of the Preparatory Conference" in page
    assert "Ouverture" not in page


def test_event_page_in_french_has_the_french_title_and_co_host_names(client, prepcon):
    text = page_text(client.get(f"/events/{SLUG}/?lang=fr"))

    assert "Conférence préparatoire des Nations Unies sur le maintien de la paix" in text
    assert "Pays-Bas" in text


def test_session_page_in_french_marks_an_untranslated_description(client, prepcon):
    item = next(s for s in prepcon.sessions if s.title == "Opening of the Preparatory Conference")

    page = client.get(f"/events/{SLUG}/sessions/{item.id}?lang=fr").get_data(as_text=True)

    assert "Ouverture de la Conférence préparatoire" in page
    assert "Ministre des Affaires étrangères" in page


def test_a_language_the_event_does_not_have_falls_back_to_the_default(client, prepcon):
    page = client.get(f"/events/{SLUG}/agenda?lang=ar").get_data(as_text=True)

    assert "Opening of the Preparatory Conference" in page
    assert 'lang="en"' in page  # the page is Arabic, the content English: marked for screen readers


def test_arabic_content_renders_right_to_left(client, prepcon):
    prepcon.languages = ["en", "fr", "ar"]
    item = next(s for s in prepcon.sessions if s.title == "Opening of the Preparatory Conference")
    item.translations = {**item.translations, "title": {**item.translations["title"], "ar": "افتتاح المؤتمر"}}
    db.session.commit()
    publication.publish_agenda(prepcon, actor=None, now=utcnow())
    db.session.commit()

    in_french = client.get(f"/events/{SLUG}/sessions/{item.id}?lang=fr").get_data(as_text=True)
    in_arabic = client.get(f"/events/{SLUG}/sessions/{item.id}?lang=ar").get_data(as_text=True)

    assert "افتتاح المؤتمر" in in_arabic and 'dir="rtl"' in in_arabic
    assert "افتتاح المؤتمر" not in in_french


def test_schedule_json_in_french_has_french_titles_the_same_slugs_and_a_language(client, prepcon):
    english = client.get(f"/events/{SLUG}/schedule.json").get_json()
    french = client.get(f"/events/{SLUG}/schedule.json?lang=fr").get_json()

    def events(doc):
        return [e for day in doc["schedule"]["conference"]["days"] for room in day["rooms"].values() for e in room]

    titles = {e["id"]: e["title"] for e in events(french)}
    assert "Ouverture de la Conférence préparatoire" in titles.values()
    assert [e["slug"] for e in events(english)] == [e["slug"] for e in events(french)]
    assert [e["date"] for e in events(english)] == [e["date"] for e in events(french)]
    assert {e["language"] for e in events(french)} == {"en"}


def test_schedule_xml_in_french_has_french_titles(client, prepcon):
    body = client.get(f"/events/{SLUG}/schedule.xml?lang=fr").get_data(as_text=True)

    assert "<title>Ouverture de la Conférence préparatoire</title>" in body
    assert "<language>en</language>" in body


def test_agenda_ics_in_french_carries_the_language_and_answers_304_per_language(client, prepcon):
    french = client.get(f"/events/{SLUG}/agenda.ics?lang=fr")
    english = client.get(f"/events/{SLUG}/agenda.ics")
    again = client.get(f"/events/{SLUG}/agenda.ics?lang=fr", headers={"If-None-Match": french.headers["ETag"]})
    crossed = client.get(f"/events/{SLUG}/agenda.ics", headers={"If-None-Match": french.headers["ETag"]})

    text = french.get_data(as_text=True).replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=fr:Ouverture de la Conférence préparatoire" in text
    assert "SUMMARY;LANGUAGE=en:Closing: the road to Seoul" in text
    assert "SUMMARY:Opening of the Preparatory Conference" in english.get_data(as_text=True)
    assert french.headers["ETag"] != english.headers["ETag"]
    assert (again.status_code, crossed.status_code) == (304, 200)


def test_programme_html_in_french_marks_fallbacks(client, prepcon):
    page = client.get(f"/events/{SLUG}/programme?lang=fr").get_data(as_text=True)

    assert "Ouverture de la Conférence préparatoire" in page
    assert '<span lang="en" dir="ltr">Closing: the road to Seoul</span>' in page


def test_changes_atom_in_french_names_sessions_in_french(client, prepcon):
    body = client.get(f"/events/{SLUG}/changes.atom?lang=fr").get_data(as_text=True)

    assert "Ouverture de la Conférence préparatoire" in body


def test_live_json_in_french_has_french_titles_and_its_own_etag(client, prepcon, app):
    item = next(s for s in prepcon.sessions if s.title == "Training and capacity building")
    app.config["TESTING_NOW"] = item.starts_at
    live_views._cache.clear()  # bodies are kept per process by event id and ETag: other tests' sample had this id

    french = client.get(f"/events/{SLUG}/live.json?lang=fr")
    english = client.get(f"/events/{SLUG}/live.json")

    assert json.dumps(french.get_json(), ensure_ascii=False).count("Formation et renforcement des capacités") >= 1
    assert "Formation" not in english.get_data(as_text=True)
    assert french.headers["ETag"] != english.headers["ETag"]


def test_programme_pdf_in_french_has_the_french_titles(client, prepcon):
    english = client.get(f"/events/{SLUG}/programme.pdf")
    french = client.get(f"/events/{SLUG}/programme.pdf?lang=fr")

    def text(response):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)

    assert "Ouverture de la Conférence préparatoire" in text(french)
    assert "Ouverture" not in text(english) and "Opening of the Preparatory Conference" in text(english)
    assert french.headers["ETag"] != english.headers["ETag"]


@pytest.mark.parametrize("path", ["/agenda", "/schedule.json", "/agenda.ics"])
def test_a_second_language_costs_no_more_queries(client, prepcon, path):
    # Translations live in the rows (and the published snapshot) themselves: no join, no query per text.
    def statements(url):
        seen = []

        def count(*args):
            seen.append(args[2])

        client.get(url)  # warm: the parsed snapshot is kept per process
        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    assert statements(f"/events/{SLUG}{path}?lang=fr") == statements(f"/events/{SLUG}{path}?lang=en")
