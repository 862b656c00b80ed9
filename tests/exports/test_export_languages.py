"""Feeds, exports and mail in the reader's language (issue 13): French wording, the same instants in every
language, one cached copy (and one ETag) per language, and `Content-Language` on every export."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import jsonschema
import pytest
from lxml import etree
from pypdf import PdfReader
from registration_helpers import OPEN, form, messages

from confman.extensions import db
from confman.models import AgendaSession, SessionStatus
from confman.services import outbox
from confman.timeutil import utcnow

from export_support import publish
from factories import make_event, make_registration, make_user

SLUG = "autumn-meeting"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
JS_DIR = Path(__file__).resolve().parents[1] / "js"
ATOM = "{http://www.w3.org/2005/Atom}"


def _session(title: str) -> AgendaSession:
    return db.session.scalar(db.select(AgendaSession).filter_by(title=title))


@pytest.fixture
def amended(dst_event):
    """The DST event with interpretation on the panel, the night session cancelled and the opening moved."""
    panel = _session("Panel on training")
    panel.interpretation_languages = ["ar", "zh", "en", "fr"]
    night = _session("Night session after the change")
    night.status = SessionStatus.CANCELLED
    night.sequence += 1
    publish(dst_event)
    opening = _session('Opening, with "quotes"; and a semicolon')
    opening.starts_at += timedelta(hours=1)
    opening.sequence += 1
    publish(dst_event)
    return dst_event


def _unfolded(body: bytes) -> str:
    return body.decode().replace("\r\n ", "")


def _instants(body: bytes) -> dict[str, tuple[datetime, datetime]]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]): (e.decoded("dtstart").astimezone(UTC), e.decoded("dtend").astimezone(UTC))
            for e in calendar.walk("VEVENT")}


def _feed_paths(event) -> list[str]:
    items = db.session.scalars(db.select(AgendaSession).filter_by(event_id=event.id)).all()
    registration = make_registration(event, calendar_token="lang-token")
    registration.sessions = list(items)
    db.session.commit()
    paths = [f"/events/{SLUG}/agenda.ics", "/calendar/lang-token.ics"]
    paths += [f"/events/{SLUG}/sessions/{s.id}.ics" for s in items]
    paths += sorted({f"/events/{SLUG}/speakers/{p.speaker_id}.ics" for s in items for p in s.participations})
    return paths


def test_calendars_in_french_say_it_in_french_and_carry_the_same_instants(client, amended):
    for path in _feed_paths(amended):
        english, french = client.get(f"{path}?lang=en"), client.get(f"{path}?lang=fr")
        assert english.status_code == french.status_code == 200, path
        assert _instants(english.data) == _instants(french.data), path
        assert (english.headers["Content-Language"], french.headers["Content-Language"]) == ("en", "fr"), path

    body = _unfolded(client.get(f"/events/{SLUG}/agenda.ics?lang=fr").data)
    assert "Message vidéo préenregistré de H.E. Ada Lovelace" in body
    assert "Cette séance est annulée." in body
    assert "Interprétation : arabe\\, chinois\\, anglais\\, français" in body
    assert "Intervenant·e : Dr. Grace Hopper" in body
    assert "DESCRIPTION;LANGUAGE=fr:" in body
    english = _unfolded(client.get(f"/events/{SLUG}/agenda.ics?lang=en").data)
    assert "Pre-recorded video message from H.E. Ada Lovelace" in english
    assert "Interpretation: Arabic\\, Chinese\\, English\\, French" in english
    assert "LANGUAGE=" not in english  # English stays as it was before languages


def test_french_calendars_round_trip_through_thunderbirds_ical_js(client, amended):
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.skip("ical.js needs node and `npm ci` in tests/js")
    paths = _feed_paths(amended)
    bodies = [client.get(f"{path}?lang=fr").data for path in paths]

    result = subprocess.run([node, str(JS_DIR / "parse_ical.mjs")], capture_output=True, check=True, timeout=60,
                            input=json.dumps([b.decode() for b in bodies]).encode())

    for path, body, parsed in zip(paths, bodies, json.loads(result.stdout), strict=True):
        expected = _instants(body)
        got = {e["uid"]: (datetime.fromisoformat(e["start"].replace("Z", "+00:00")),
                          datetime.fromisoformat(e["end"].replace("Z", "+00:00"))) for e in parsed["events"]}
        assert got == expected, path
    cancelled = [e for e in json.loads(result.stdout)[0]["events"] if e["status"] == "CANCELLED"]
    assert [e["description"].splitlines()[0] for e in cancelled] == ["Cette séance est annulée."]


@pytest.mark.parametrize("path", ["agenda.ics", "schedule.json", "schedule.xml", "programme", "programme.pdf",
                                  "changes.atom"])
def test_each_language_has_its_own_etag_and_answers_304_for_it(client, amended, path):
    url = f"/events/{SLUG}/{path}"
    english, french = client.get(f"{url}?lang=en"), client.get(f"{url}?lang=fr")
    assert english.headers["Content-Language"] == "en" and french.headers["Content-Language"] == "fr"
    assert english.headers["ETag"] != french.headers["ETag"]
    assert english.data != french.data

    again = client.get(f"{url}?lang=fr", headers={"If-None-Match": french.headers["ETag"]})
    other = client.get(f"{url}?lang=en", headers={"If-None-Match": french.headers["ETag"]})

    assert again.status_code == 304
    assert other.status_code == 200 and other.data == english.data  # the English copy, not the cached French


def test_schedules_in_french_validate_and_keep_their_machine_fields(client, amended):
    schema = json.loads((SCHEMAS / "schema.json").read_text())
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    documents = {}
    for lang in ("en", "fr"):
        document = json.loads(client.get(f"/events/{SLUG}/schedule.json?lang={lang}").data)
        validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)
        assert [e.message for e in validator.iter_errors(document)] == []
        root = etree.fromstring(client.get(f"/events/{SLUG}/schedule.xml?lang={lang}").data)
        assert xsd.validate(root), xsd.error_log
        documents[lang] = document

    def talks(document):
        return {t["guid"]: t for d in document["schedule"]["conference"]["days"] for room in d["rooms"].values()
                for t in room}

    english, french = talks(documents["en"]), talks(documents["fr"])
    assert english.keys() == french.keys()
    for guid, talk in english.items():
        for key in ("id", "date", "start", "end", "duration", "type", "slug", "language"):
            assert french[guid][key] == talk[key], key
    video = next(t for t in french.values() if t["type"] == "video_message")
    assert video["subtitle"] == "Message vidéo préenregistré de H.E. Ada Lovelace"
    assert next(t for t in english.values() if t["type"] == "video_message")["subtitle"] == \
        "Pre-recorded video message from H.E. Ada Lovelace"


def test_changelog_feed_in_french(client, amended):
    feed = ET.fromstring(client.get(f"/events/{SLUG}/changes.atom?lang=fr").data)

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert feed.find(f"{ATOM}title").text == "Modifications de l'ordre du jour : Autumn meeting; 2021, Amsterdam"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries][-1] == "Ordre du jour publié : version 1"
    newest = entries[0].find(f"{ATOM}content").text
    assert ('Déplacée : Opening, with "quotes"; and a semicolon, désormais sam. 30 oct. 11:00 '
            "(auparavant sam. 30 oct. 10:00, Europe/Amsterdam)") in newest.replace("&quot;", '"')
    assert "Annulée : Night session after the change" in entries[1].find(f"{ATOM}content").text


def test_programme_in_french_has_french_weekdays_and_months_in_html_and_pdf(client, amended):
    page = client.get(f"/events/{SLUG}/programme?lang=fr").get_data(as_text=True)
    assert "samedi 30 octobre 2021" in page and "dimanche 31 octobre 2021" in page
    assert "Message vidéo" in page and "Interprétation : arabe, chinois, anglais, français" in page
    assert "Saturday" not in page and "October" not in page

    pdf = client.get(f"/events/{SLUG}/programme.pdf?lang=fr")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert "samedi 30 octobre 2021" in text and "dimanche 31 octobre 2021" in text
    assert "Saturday" not in text
    english = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        client.get(f"/events/{SLUG}/programme.pdf?lang=en").data)).pages)
    assert "Saturday 30 October 2021" in " ".join(english.split())


def test_personal_feed_follows_the_delegates_language_unless_the_url_names_one(client, dst_event):
    registration = make_registration(dst_event, calendar_token="french-delegate")
    registration.sessions = [_session("Video message from the Minister")]
    registration.user = make_user(email="fr@example.org")
    registration.user.interface_language = "fr"  # an English-only event: the account's language decides
    db.session.commit()

    own = client.get("/calendar/french-delegate.ics")
    asked = client.get("/calendar/french-delegate.ics?lang=en")

    assert own.headers["Content-Language"] == "fr" and asked.headers["Content-Language"] == "en"
    assert "NAME;LANGUAGE=fr:Mes séances : Autumn meeting" in _unfolded(own.data)
    assert "Message vidéo préenregistré" in _unfolded(own.data)
    assert "My sessions: Autumn meeting" in _unfolded(asked.data)
    assert own.headers["ETag"] != asked.headers["ETag"]
    assert client.get("/calendar/french-delegate.ics",
                      headers={"If-None-Match": own.headers["ETag"]}).status_code == 304


def test_registering_on_the_french_page_sends_the_confirmation_in_french(client, app):
    make_event(slug="prepcon", title="PrepCon", **OPEN)
    db.session.commit()

    client.post("/events/prepcon/register?lang=fr", data=form(email="ada@example.org"),
                content_type="multipart/form-data")

    [mail] = messages(to_email="ada@example.org")
    assert mail.subject == "Votre inscription à PrepCon"
    assert mail.body.startswith("Bonjour Ms. Ada Delegate,")
    assert "Merci de votre inscription à PrepCon." in mail.body
    assert "Pour consulter votre inscription" in mail.body and "Your registration" not in mail.body


def test_sign_in_mail_in_the_accounts_language(client, app):
    user = make_user(email="grace@example.org")
    user.interface_language = "fr"
    db.session.commit()

    outbox.notify_sign_in(to_email="grace@example.org", now=utcnow())
    db.session.commit()

    [mail] = messages(to_email="grace@example.org")
    assert mail.subject == "Votre lien de connexion à confman"
    assert "Vous avez demandé un lien de connexion à confman." in mail.body


def test_a_video_link_mail_is_in_the_offices_language_not_the_organizers(client, login, app):
    from video_samples import make_slot

    from factories import make_organizer

    event = make_event(slug="conference", timezone="Europe/Paris", default_language="fr", languages=["fr", "en"])
    vm = make_slot(event, now=utcnow(), deadline_at=datetime(2031, 10, 20, 21, 0, tzinfo=UTC),
                   office_email="bureau@mae.example")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    made = client.post(f"/manage/events/conference/video-messages/{vm.session_id}/link?lang=en",
                       data={"valid_days": 30, "send_to_office": "y"})

    assert "The link was sent to bureau@mae.example." in made.get_data(as_text=True)  # the organizer's English
    [mail] = messages(to_email="bureau@mae.example")
    assert mail.subject.startswith("Votre message vidéo pour")
    assert "Le lien fonctionne jusqu’au lundi 20 octobre 2031, 23:00 (heure de Europe/Paris)." in mail.body
