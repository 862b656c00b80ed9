"""The public event page and agenda, as a delegate reads them, on the PrepCon sample."""

import pytest

from confman.extensions import db
from confman.services import sample
from confman.timeutil import utcnow

from conftest import page_text


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=utcnow())
    db.session.commit()


def test_event_page_shows_title_dates_co_hosts_themes_and_the_ministerial(client, prepcon):
    text = page_text(client.get("/events/prepcon-2021/"))

    assert "UN Peacekeeping Preparatory Conference (PrepCon) on Safety and Security and Protection" in text
    assert "Monday 25 October 2021 – Tuesday 26 October 2021" in text
    assert "Co-hosted by Pakistan · Netherlands" in text
    assert "Safety and Security" in text and "Protection" in text
    assert "Part of United Nations Peacekeeping Ministerial" in text
    assert "Sample data" in text


def test_joining_link_is_never_on_public_pages(client, prepcon):
    for path in ("/", "/events/prepcon-2021/", "/events/prepcon-2021/agenda"):
        assert "meet.example.org" not in client.get(path).get_data(as_text=True), path


def test_agenda_is_grouped_by_day_in_the_event_zone_with_speakers_and_video_messages(client, prepcon):
    text = page_text(client.get("/events/prepcon-2021/agenda"))

    assert "Times are in America/New_York" in text
    assert text.index("Monday 25 October 2021") < text.index("Training and capacity building")
    assert text.index("Tuesday 26 October 2021") < text.index("Health and medical support")
    assert "08:00 – 08:30 UTC-4 Opening of the Preparatory Conference" in text
    assert "Speaker H.E. Mr. Shah Mahmood Qureshi , Minister for Foreign Affairs , Pakistan" in text
    assert "Pre-recorded video message from H.E. Mr. Pervez Khattak, Minister of Defence" in text
    assert "Pre-recorded video message from H.E. Mr. Ben Knapen, Minister for Foreign Affairs" in text
    for topic in ("Training and capacity building", "Health and medical support", "Mission integration",
                  "Technology", "Community engagement", "Closing"):
        assert topic in text


def test_panelists_follow_protocol_order(client, prepcon):
    text = page_text(client.get("/events/prepcon-2021/agenda"))
    panel = text[text.index("Training and capacity building"):text.index("10:15 – 10:30")]

    assert panel.index("Claudine Mukamana") < panel.index("Adaeze Okafor") < panel.index("Amina Rahman")


def test_agenda_in_another_zone_shows_both_zones(client, prepcon):
    text = page_text(client.get("/events/prepcon-2021/agenda?tz=Asia/Karachi"))

    assert "17:00 – 17:30 UTC+5 Opening of the Preparatory Conference" in text
    assert "Times are in Asia/Karachi ; the event's own time zone is America/New_York" in text


def test_unknown_zone_gets_a_clear_message_not_an_error(client, prepcon):
    response = client.get("/events/prepcon-2021/agenda?tz=Mars/Base")

    assert response.status_code == 400
    assert "“Mars/Base” is not a time zone we know" in page_text(response)
    assert "08:00 – 08:30 UTC-4 Opening" in page_text(response)


def test_theme_and_day_filters(client, prepcon):
    protection = page_text(client.get("/events/prepcon-2021/agenda?theme=protection"))
    day_two = page_text(client.get("/events/prepcon-2021/agenda?day=2021-10-26"))

    assert "Mission integration for the protection of civilians" in protection
    assert "Training and capacity building" not in protection
    assert "Health and medical support" in day_two
    assert "Opening of the Preparatory Conference" not in day_two
    assert client.get("/events/prepcon-2021/agenda?theme=nope").status_code == 404
    assert client.get("/events/prepcon-2021/agenda?day=someday").status_code == 400


def test_descriptions_are_sanitized(client, app):
    from factories import make_event

    make_event(slug="x", description="**Bold** <script>alert(1)</script> [link](javascript:alert(1))")
    db.session.commit()

    html = client.get("/events/x/").get_data(as_text=True)

    assert "<strong>Bold</strong>" in html
    assert "<script>alert(1)" not in html
    assert "href=\"javascript:" not in html


def test_session_page_shows_speakers_in_order_and_both_zones(client, prepcon):
    agenda = page_text(client.get("/events/prepcon-2021/agenda"))
    assert "Opening of the Preparatory Conference" in agenda
    from confman.models import AgendaSession

    opening = db.session.scalar(db.select(AgendaSession).filter_by(title="Opening of the Preparatory Conference"))

    text = page_text(client.get(f"/events/prepcon-2021/sessions/{opening.id}?tz=Europe/Amsterdam"))

    assert "Monday 25 October 2021, 14:00 – 14:30" in text
    assert "08:00–08:30 in America/New_York" in text
    assert text.index("Jean-Pierre Lacroix") < text.index("Shah Mahmood Qureshi")


def test_speakers_pages_list_people_and_their_sessions(client, prepcon):
    index = client.get("/events/prepcon-2021/speakers/")
    text = page_text(index)
    link = next(line for line in index.get_data(as_text=True).split('"') if "/speakers/" in line and line[-1].isdigit())

    speaker = page_text(client.get(link))

    assert text.index("Shah Mahmood Qureshi") < text.index("Jean-Pierre Lacroix")  # ministers before others
    assert "Sessions" in speaker
    assert client.get("/events/prepcon-2021/speakers/999999").status_code == 404


def test_unpublished_session_has_no_public_page(client, prepcon):
    from confman.models import Event

    from factories import make_session

    event = db.session.scalar(db.select(Event).filter_by(slug="prepcon-2021"))
    draft = make_session(event, title="Not yet announced")
    db.session.commit()

    assert client.get(f"/events/prepcon-2021/sessions/{draft.id}").status_code == 404
    assert "Not yet announced" not in page_text(client.get("/events/prepcon-2021/agenda"))


def _speaker_id(name):
    from sqlalchemy import select

    from confman.models import Speaker
    return db.session.scalar(select(Speaker.id).where(Speaker.name.contains(name)))


def test_agenda_search_matches_titles_descriptions_and_speaker_names(client, prepcon):
    by_title = page_text(client.get("/events/prepcon-2021/agenda?q=road+to+SEOUL"))
    by_speaker = page_text(client.get("/events/prepcon-2021/agenda?q=mukamana"))

    assert "Closing: the road to Seoul" in by_title
    assert "Opening of the Preparatory Conference" not in by_title
    assert "1 session match" in by_title
    assert "Training and capacity building" in by_speaker
    assert "Health and medical support" in by_speaker
    assert "Technology and the safety of peacekeepers" not in by_speaker
    assert "2 sessions match" in by_speaker


def test_agenda_filters_by_tag_and_speaker_together_with_theme_and_zone(client, prepcon):
    ferreira = _speaker_id("Ferreira")

    by_tag = page_text(client.get("/events/prepcon-2021/agenda?tag=technology"))
    by_speaker = page_text(client.get(f"/events/prepcon-2021/agenda?speaker={ferreira}&theme=protection"
                                      "&tz=Asia/Karachi"))

    assert "Technology and the safety of peacekeepers" in by_tag
    assert "Training and capacity building" not in by_tag
    assert "Mission integration for the protection of civilians" in by_speaker
    assert "Technology and the safety of peacekeepers" not in by_speaker  # Ferreira speaks, but not in Protection
    assert "Times are in Asia/Karachi" in by_speaker
    assert client.get("/events/prepcon-2021/agenda?tag=nope").status_code == 404
    assert client.get("/events/prepcon-2021/agenda?speaker=999999").status_code == 404
    assert client.get("/events/prepcon-2021/agenda?speaker=abc").status_code == 400


def test_agenda_form_has_labelled_search_tag_and_speaker_fields(client, prepcon):
    html = client.get("/events/prepcon-2021/agenda?q=health&tag=medical-support").get_data(as_text=True)

    assert '<label for="q">Search</label>' in html and 'value="health"' in html
    assert '<label for="tag">Topic</label>' in html and '<option value="medical-support" selected>' in html
    assert '<label for="speaker">Speaker</label>' in html


def test_agenda_search_without_results_says_so_and_offers_to_clear(client, prepcon):
    response = client.get("/events/prepcon-2021/agenda?q=zebras&tz=Asia/Karachi")

    text = page_text(response)
    assert response.status_code == 200
    assert "No sessions match “zebras”" in text
    assert "clear the filters" in text
    assert 'href="/events/prepcon-2021/agenda?tz=Asia/Karachi">clear the filters' in response.get_data(as_text=True)


@pytest.fixture
def during_the_opening(app):
    from datetime import UTC, datetime

    app.config["TESTING_NOW"] = datetime(2021, 10, 25, 12, 10, tzinfo=UTC)  # 08:10 in New York


def test_agenda_marks_the_session_running_now_and_links_to_it(client, prepcon, during_the_opening):
    response = client.get("/events/prepcon-2021/agenda")

    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "Jump to now: Opening of the Preparatory Conference" in text
    assert "Now Opening of the Preparatory Conference" in text
    assert text.count("Now ") == 1
    opening_id = html[html.index('class="now-jump"><a href="#session-') + 35:].split('"')[0]
    assert f'id="session-{opening_id}"' in html


def test_agenda_has_no_now_marker_outside_the_event(client, prepcon):
    text = page_text(client.get("/events/prepcon-2021/agenda"))

    assert "Jump to now" not in text
    assert "Now Opening" not in text
