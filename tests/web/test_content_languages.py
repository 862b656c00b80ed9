"""Organizers declare an event's languages and translate its public texts; missing translations are marked."""

from datetime import date

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event

from conftest import page_text
from factories import make_channel, make_co_host, make_event, make_organizer, make_session, make_speaker, make_theme


@pytest.fixture
def setup(app):
    event = make_event(slug="prepcon", timezone="Europe/Amsterdam", starts_on=date(2021, 10, 25),
                       ends_on=date(2021, 10, 26), title="Preparatory Conference")
    plenary = make_channel(event, name="Plenary")
    item = make_session(event, title="Opening", channel=plenary, description="Welcome.")
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    return event, item, organizer


def _languages(client, **overrides):
    data = {"languages": "en, fr", "default_language": "en", "interpretation_languages": "",
            "requires_interpretation": ""}
    data.update(overrides)
    return client.post("/manage/events/prepcon/languages", data={k: v for k, v in data.items() if v != ""})


def _session_form(item, **overrides):
    data = {"title": item.title, "kind": "plenary", "theme_id": "None", "starts_at": "2021-10-25T09:00",
            "duration": "60", "channel_id": str(item.channel_id), "description": item.description, "notes": "",
            "version": str(item.version)}
    data.update(overrides)
    return data


def test_languages_page_declares_languages_and_refuses_unknown_codes(client, login, setup):
    event, _item, organizer = setup
    login(organizer)

    refused = _languages(client, languages="en, xx")
    saved = _languages(client)

    assert refused.status_code == 400
    assert "Not an ISO 639-1 language code: xx." in page_text(refused)
    assert saved.status_code == 302
    db.session.refresh(event)
    assert (event.languages, event.default_language) == (["en", "fr"], "en")


def test_languages_page_refuses_a_default_that_is_not_declared(client, login, setup):
    event, _item, organizer = setup
    login(organizer)

    response = _languages(client, languages="en, fr", default_language="ar")

    assert response.status_code == 400
    assert "The default language (ar) must be one of the event's languages." in page_text(response)


def test_session_form_shows_one_input_per_language_and_marks_the_missing_one(client, login, setup):
    event, item, organizer = setup
    login(organizer)
    _languages(client)

    page = client.get(f"/manage/events/prepcon/sessions/{item.id}").get_data(as_text=True)

    assert 'name="title__fr"' in page and 'lang="fr"' in page
    assert 'name="description__fr"' in page
    assert "Translation missing: pages in French show the English text." in page


def test_session_translation_is_saved_and_no_longer_marked_missing(client, login, setup):
    event, item, organizer = setup
    login(organizer)
    _languages(client)

    response = client.post(f"/manage/events/prepcon/sessions/{item.id}",
                           data=_session_form(item, title__fr="  Ouverture  ", description__fr="Bienvenue."))
    page = page_text(client.get(f"/manage/events/prepcon/sessions/{item.id}"))

    assert response.status_code == 302
    db.session.refresh(item)
    saved = item
    assert saved.translations == {"title": {"fr": "Ouverture"}, "description": {"fr": "Bienvenue."}}
    assert saved.sequence == 1  # French calendars must see the new French title
    assert "Translation missing" not in page


def test_session_translation_longer_than_the_title_limit_is_refused(client, login, setup):
    event, item, organizer = setup
    login(organizer)
    _languages(client)

    response = client.post(f"/manage/events/prepcon/sessions/{item.id}",
                           data=_session_form(item, title__fr="O" * 201))

    assert response.status_code == 200
    assert "Field cannot be longer than 200 characters." in page_text(response)
    assert db.session.scalars(select(AgendaSession.translations)).one() == {}


def test_translation_with_a_control_character_is_refused(client, login, setup):
    event, item, organizer = setup
    login(organizer)
    _languages(client)

    response = client.post(f"/manage/events/prepcon/sessions/{item.id}",
                           data=_session_form(item, title__fr="Ouver\x00ture"))

    assert "Remove the line breaks and control characters from this field." in page_text(response)
    assert db.session.scalars(select(AgendaSession.translations)).one() == {}


def test_event_theme_speaker_and_co_host_translations_are_saved(client, login, setup):
    event, item, organizer = setup
    theme = make_theme(event, name="Protection")
    speaker = make_speaker(event, name="A. Minister", title="Minister for Foreign Affairs")
    host = make_co_host(event)
    db.session.commit()
    login(organizer)
    _languages(client)

    client.post(f"/manage/events/prepcon/themes/{theme.id}",
                data={"name": "Protection", "colour": "#1f4e79", "pattern": "solid", "name__fr": "Protection (fr)"})
    client.post(f"/manage/events/prepcon/speakers/{speaker.id}",
                data={"name": "A. Minister", "title": "Minister for Foreign Affairs", "protocol_rank": "minister",
                      "organization_id": "None", "title__fr": "Ministre des affaires étrangères"})
    client.post(f"/manage/events/prepcon/co-hosts/{host.id}/names", data={"name__fr": "Pays-Bas"})
    edit = client.get("/manage/events/prepcon/edit")
    db.session.refresh(event)
    form = {"title": event.title, "short_title": "", "slug": "prepcon", "starts_on": "2021-10-25",
            "ends_on": "2021-10-26", "timezone": "Europe/Amsterdam", "format": "virtual", "status": "published",
            "parent_id": "None", "version": str(event.version), "title__fr": "Conférence préparatoire",
            "registration_notice": "Register by 20 October.", "registration_notice__fr": "Inscription avant le 20."}
    saved = client.post("/manage/events/prepcon/edit", data=form)

    assert 'name="title__fr"' in edit.get_data(as_text=True)
    assert saved.status_code == 302
    for obj in (theme, speaker, host, event):
        db.session.refresh(obj)
    assert theme.translations == {"name": {"fr": "Protection (fr)"}}
    assert speaker.translations == {"title": {"fr": "Ministre des affaires étrangères"}}
    assert host.translations == {"name": {"fr": "Pays-Bas"}}
    assert event.translations == {"title": {"fr": "Conférence préparatoire"},
                                  "registration_notice": {"fr": "Inscription avant le 20."}}
    assert event.registration_notice == "Register by 20 October."


def test_problems_page_lists_missing_translations_with_links(client, login, setup):
    event, item, organizer = setup
    login(organizer)
    _languages(client)

    page = client.get("/manage/events/prepcon/problems").get_data(as_text=True)

    assert "3 texts without a translation" in page  # the event's title, the session's title and description
    assert "Session “Opening”, title: French" in page
    assert f'href="/manage/events/prepcon/sessions/{item.id}"' in page


def test_changing_the_default_language_swaps_texts_or_refuses_while_untranslated(client, login, setup):
    event, item, organizer = setup
    login(organizer)
    _languages(client)

    refused = _languages(client, default_language="fr")
    item.translations = {"title": {"fr": "Ouverture"}, "description": {"fr": "Bienvenue."}}
    event.translations = {"title": {"fr": "Conférence préparatoire"}}
    db.session.commit()
    swapped = _languages(client, default_language="fr")

    assert refused.status_code == 400
    assert "texts have no French translation yet" in page_text(refused)
    assert swapped.status_code == 302
    event = db.session.get(Event, event.id)
    item = db.session.get(AgendaSession, item.id)
    assert (event.default_language, event.title) == ("fr", "Conférence préparatoire")
    assert (item.title, item.translations["title"]) == ("Ouverture", {"en": "Opening"})


def test_session_form_saves_interpretation_and_refuses_a_malformed_channel_line(client, login, setup):
    event, item, organizer = setup
    login(organizer)
    _languages(client)

    refused = client.post(f"/manage/events/prepcon/sessions/{item.id}", data=_session_form(
        item, interpretation_languages="fr", interpretation_channels="French channel 2"))
    saved = client.post(f"/manage/events/prepcon/sessions/{item.id}", data=_session_form(
        item, floor_language="en", interpretation_languages="fr, ar",
        interpretation_channels="fr: https://stream.example.org/fr\nar: Floor + channel 3"))

    assert "Line 1: write a language code, a colon and the channel" in page_text(refused)
    assert saved.status_code == 302
    db.session.refresh(item)
    assert (item.floor_language, item.interpretation_languages) == ("en", ["fr", "ar"])
    assert item.interpretation_channels == {"fr": "https://stream.example.org/fr", "ar": "Floor + channel 3"}


def test_problems_page_warns_about_a_session_without_required_interpretation(client, login, setup):
    event, item, organizer = setup
    make_session(event, title="Coffee", kind="break", channel=item.channel)
    db.session.commit()
    login(organizer)
    _languages(client, languages="en, fr, ar", requires_interpretation="y")

    page = page_text(client.get("/manage/events/prepcon/problems"))

    assert "1 session without the interpretation the event requires" in page
    assert "“Opening” is not interpreted into French, Arabic." in page
