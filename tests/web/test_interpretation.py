"""Interpretation per session: shown on the session page, agenda, programme, live page, calendars and schedules."""

import re

import pytest
from sqlalchemy import delete, select

from confman.extensions import db
from confman.models import AgendaSession, Event, EventRole, Registration, Role
from confman.services import publication
from confman.timeutil import utcnow
from confman.web import live as live_views

from conftest import page_text
from factories import grant, make_user

SLUG = "prepcon-2021"


@pytest.fixture
def interpreted(app):
    """The sample as `confman demo --interpretation` loads it: English floor, French interpretation."""
    result = app.test_cli_runner().invoke(args=["demo", "--interpretation"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(select(Event).filter_by(slug=SLUG))
    item = db.session.scalar(select(AgendaSession).filter_by(event_id=event.id,
                                                             title="Training and capacity building"))
    return event, item


def test_session_page_and_agenda_say_which_languages_it_is_interpreted_into(client, interpreted):
    event, item = interpreted

    session = page_text(client.get(f"/events/{SLUG}/sessions/{item.id}"))
    agenda = page_text(client.get(f"/events/{SLUG}/agenda"))
    french = page_text(client.get(f"/events/{SLUG}/sessions/{item.id}?lang=fr"))

    assert "Interpretation: French (floor: English)" in session
    assert "French: Plenary, language channel 2 (français)" in session
    assert agenda.count("Interpretation: French") == 9  # every session but the two breaks
    assert "Interprétation : français (salle : anglais)" in french


def test_a_web_address_channel_is_a_link_on_the_session_page(client, interpreted):
    event, item = interpreted
    item.interpretation_languages = ["fr", "ar"]
    item.interpretation_channels = {"ar": "https://stream.example.org/ar"}
    db.session.commit()
    publication.publish_agenda(event, actor=None, now=utcnow())
    db.session.commit()

    page = client.get(f"/events/{SLUG}/sessions/{item.id}").get_data(as_text=True)

    link = '<a href="https://stream.example.org/ar" rel="noopener noreferrer" hreflang="ar">listen in Arabic</a>'
    assert link in page
    assert "Interpretation: French, Arabic" in page_text(client.get(f"/events/{SLUG}/sessions/{item.id}"))


def test_exports_carry_the_interpretation(client, interpreted):
    event, item = interpreted
    item.interpretation_channels = {"fr": "https://stream.example.org/fr"}
    db.session.commit()
    publication.publish_agenda(event, actor=None, now=utcnow())
    db.session.commit()

    ics = client.get(f"/events/{SLUG}/agenda.ics").get_data(as_text=True).replace("\r\n ", "")
    schedule = client.get(f"/events/{SLUG}/schedule.json").get_json()
    programme = page_text(client.get(f"/events/{SLUG}/programme"))

    assert "Interpretation: French (floor: English)\\nFrench: https://stream.example.org/fr" in ics
    events = [e for day in schedule["schedule"]["conference"]["days"] for room in day["rooms"].values()
              for e in room]
    training = next(e for e in events if e["id"] == item.id)
    assert training["language"] == "en"
    assert {"type": "media", "url": "https://stream.example.org/fr", "title": "Interpretation: French"} in \
        training["links"]
    assert "Interpretation: French (floor: English)" in programme


def test_live_json_and_page_show_the_interpretation(client, interpreted, app):
    event, item = interpreted
    app.config["TESTING_NOW"] = item.starts_at
    live_views._cache.clear()  # bodies are kept per process by event id and ETag: other tests' sample had this id

    data = client.get(f"/events/{SLUG}/live.json").get_json()
    page = page_text(client.get(f"/events/{SLUG}/live"))

    now = data["channels"][0]["now"]
    assert (now["title"], now["interpretation"], now["floor_language"]) == (
        "Training and capacity building", ["fr"], "en")
    assert "Interpretation: French (floor: English)" in page


def test_publishing_an_interpretation_change_is_a_change(client, interpreted):
    event, item = interpreted
    item.interpretation_languages = ["fr", "es"]
    db.session.commit()

    version = publication.publish_agenda(event, actor=None, now=utcnow())

    assert [c["change"] for c in version.changelog] == ["interpretation"]


def test_interpreters_see_their_assignments_per_language_and_day_and_subscribe(client, login, interpreted):
    event, item = interpreted
    interpreter = make_user("interpreter@example.org")
    grant(interpreter, event, Role.INTERPRETER)
    db.session.commit()
    login(interpreter)

    page = client.get(f"/manage/events/{SLUG}/interpreting?into=fr").get_data(as_text=True)
    feed_url = re.search(r'href="webcal://[^/]+(/manage/[^"]+)"', page).group(1).replace("&amp;", "&")
    feed = client.application.test_client().get(feed_url)  # a calendar app: no session, only the address

    assert "Interpreting into French" in page
    assert "Monday 25 October 2021" in page and "Training and capacity building" in page
    assert "Plenary, language channel 2 (français)" in page
    assert feed.status_code == 200
    body = feed.get_data(as_text=True).replace("\r\n ", "")
    assert body.count("BEGIN:VEVENT") == 9 and "Interpreting into français" in body


def test_the_interpreters_feed_stops_when_the_role_is_removed_or_the_token_is_forged(client, login, interpreted):
    event, item = interpreted
    interpreter = make_user("interpreter@example.org")
    grant(interpreter, event, Role.INTERPRETER)
    db.session.commit()
    login(interpreter)
    page = client.get(f"/manage/events/{SLUG}/interpreting?into=fr").get_data(as_text=True)
    feed_url = re.search(r'href="webcal://[^/]+(/manage/[^"]+)"', page).group(1).replace("&amp;", "&")

    calendar_app = client.application.test_client()
    forged = calendar_app.get(feed_url[:-3] + "abc")
    db.session.execute(delete(EventRole).where(EventRole.user_id == interpreter.id))
    db.session.commit()
    revoked = calendar_app.get(feed_url)

    assert (forged.status_code, revoked.status_code) == (404, 404)


def test_delegates_may_not_open_the_interpreters_page(client, login, interpreted):
    delegate = make_user("someone@example.org")
    db.session.commit()
    login(delegate)

    assert client.get(f"/manage/events/{SLUG}/interpreting").status_code == 403


def test_the_personal_calendar_describes_the_interpretation(client, interpreted):
    event, item = interpreted
    registration = db.session.scalar(select(Registration).filter_by(event_id=event.id))
    registration.sessions = [item]
    db.session.commit()

    body = client.get(f"/calendar/{registration.calendar_token}.ics").get_data(as_text=True).replace("\r\n ", "")

    assert "Interpretation: French (floor: English)\\nFrench: Plenary\\, language channel 2 (français)" in body
