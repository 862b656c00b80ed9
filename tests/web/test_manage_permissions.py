"""Organizer pages beyond the route-by-route matrix (tests/web/test_authorization_matrix.py)."""


import pytest

from confman.extensions import db

from factories import (
    make_channel,
    make_co_host,
    make_event,
    make_moderator,
    make_organizer,
    make_participation,
    make_session,
    make_speaker,
    make_theme,
    make_user,
)


@pytest.fixture
def world(app):
    event = make_event(slug="prepcon")
    item = make_session(event)
    speaker = make_speaker(event)
    ids = {
        "session_id": item.id, "speaker_id": speaker.id, "host_id": make_co_host(event).id,
        "participation_id": make_participation(item, speaker).id, "label_id": make_theme(event).id,
        "kinds": "themes", "direction": "up",
    }
    make_channel(event)
    other_event = make_event(slug="other")
    users = {
        "other organizer": make_organizer(other_event),
        "moderator": make_moderator(event),
        "delegate": make_user(),
        "organizer": make_organizer(event),
    }
    db.session.commit()
    return event, ids, users


def test_creating_events_needs_an_organizer_or_admin(client, login, app, world):
    _, _, users = world

    login(users["delegate"])
    as_delegate = client.get("/manage/events/new")
    login(users["organizer"])
    as_organizer = client.get("/manage/events/new")

    assert (as_delegate.status_code, as_organizer.status_code) == (403, 200)


def test_objects_of_another_event_are_not_found_through_this_one(client, login, app, world):
    _, _, users = world
    other_item = make_session(db.session.scalars(db.select(type(users["organizer"].roles[0].event))
                                                 .filter_by(slug="other")).one())
    db.session.commit()
    login(users["organizer"])

    response = client.get(f"/manage/events/prepcon/sessions/{other_item.id}")

    assert response.status_code == 404
