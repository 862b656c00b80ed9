"""Organizer, moderator and video-office pages in French: what an organizer of a francophone co-host reads."""

from datetime import UTC, date, datetime, timedelta

import pytest
from video_samples import make_slot

from confman.extensions import db

from conftest import page_text
from factories import NOW, make_channel, make_event, make_organizer, make_participation, make_session, make_speaker

BASE = datetime(2021, 10, 25, 7, 0, tzinfo=UTC)  # 09:00 in Amsterdam


@pytest.fixture
def prepcon(app):
    event = make_event(slug="prepcon", timezone="Europe/Amsterdam", starts_on=date(2021, 10, 25),
                       ends_on=date(2021, 10, 26))
    plenary = make_channel(event, name="Plénière", slug="pleniere")
    ada = make_speaker(event, name="Ada Diallo")
    opening = make_session(event, title="Ouverture", starts_at=BASE, duration=timedelta(minutes=60), channel=plenary)
    panel = make_session(event, title="Formation", starts_at=BASE + timedelta(minutes=30),
                         duration=timedelta(minutes=60), channel=plenary)
    make_participation(opening, ada)
    make_participation(panel, ada)
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    return event, plenary, organizer


def test_dashboard_in_french_counts_with_plural_forms(client, login, prepcon):
    event, _, organizer = prepcon
    login(organizer)

    text = page_text(client.get("/manage/events/prepcon/?lang=fr"))

    assert "Établir l’ordre du jour" in text and "Délégués et cabinets des orateurs" in text
    assert "2 séances" in text and "1 orateur " in text and "0 inscription " in text
    assert "Build the agenda" not in text and "sessions" not in text


def test_session_form_says_what_is_wrong_in_french(client, login, prepcon):
    event, plenary, organizer = prepcon
    login(organizer)

    response = client.post("/manage/events/prepcon/sessions/new?lang=fr", data={
        "title": "  ", "kind": "panel", "theme_id": "None", "starts_at": "2021-10-25T09:00", "duration": "0",
        "channel_id": str(plenary.id), "description": "", "notes": ""})

    text = page_text(response)
    assert "Une séance doit avoir un titre." in text and "Entre 1 et 1440 minutes." in text
    assert "Table ronde" in text and "Titre" in text and "Durée (minutes)" in text
    assert "A session needs a title." not in text


def test_problems_page_words_the_conflicts_in_french(client, login, prepcon):
    event, _, organizer = prepcon
    login(organizer)

    text = page_text(client.get("/manage/events/prepcon/problems?lang=fr"))

    assert "2 problèmes" in text
    assert "Attention : « Ouverture » et « Formation » se chevauchent dans Plénière." in text
    assert "Ada Diallo est prévu·e dans deux séances qui se chevauchent : « Ouverture » et « Formation »." in text
    assert "overlap" not in text and "Warning" not in text


def test_console_runs_the_show_in_french(client, login, prepcon):
    event, _, organizer = prepcon
    login(organizer)

    response = client.get("/moderate/prepcon/?day=2021-10-25&channel=pleniere&lang=fr")

    text = page_text(response)

    assert "Déroulé : " in text and "Déroulé des séances" in text
    assert "lundi 25 octobre 2021" in text
    assert "Reporter en fin de journée" in text and "Insérer une pause avant" in text
    assert "Run of show" not in text and "Skip to end of day" not in text
    # moderate.js ticks the clocks with the page's words, so they stay French between reloads
    assert 'data-say-left-of="{left} restantes sur {limit}"' in response.get_data(as_text=True)


def test_video_slot_page_in_french(client, login, prepcon):
    event, _, organizer = prepcon
    item = make_slot(event, now=NOW).session
    db.session.commit()
    login(organizer)

    text = page_text(client.get(f"/manage/events/prepcon/video-messages/{item.id}?lang=fr"))

    assert "Demandée" in text and "Paramètres du créneau" in text
    assert "Lien d’envoi pour le cabinet de l’orateur" in text
    assert "lundi 25 octobre 2021, 14:30" in text  # 12:30 UTC in Amsterdam, in French
    assert "Slot settings" not in text and "Requested" not in text


def test_audit_log_words_recorded_actions_in_french(client, login, prepcon):
    event, plenary, organizer = prepcon
    login(organizer)
    client.post("/manage/events/prepcon/sessions/new", data={
        "title": "Clôture", "kind": "closing", "theme_id": "None", "starts_at": "2021-10-26T17:00", "duration": "30",
        "channel_id": str(plenary.id), "description": "", "notes": ""})

    english, french = (page_text(client.get(f"/manage/events/prepcon/audit{lang}")) for lang in ("", "?lang=fr"))

    assert "Created “Clôture”" in english
    assert "Séance créée : « Clôture »" in french and "Created" not in french
    assert "Titre Clôture" in french and "Durée" in french  # the changed fields, by their French labels
