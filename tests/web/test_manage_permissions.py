"""Every organizer page is for that event's organizers (and admins) only."""

import re

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


def _routes(app, ids):
    """(method, url) of every organizer route about one event, with real ids filled in."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("manage.") or "slug" not in rule.arguments:
            continue
        url = re.sub(r"<(?:[^:>]+:)?slug>", "prepcon", rule.rule)
        for name, value in ids.items():
            url = re.sub(rf"<(?:[^>]*:)?{name}>", str(value), url)
        assert "<" not in url, url
        routes.append(("GET" if "GET" in rule.methods else "POST", url))
    return sorted(routes)


def test_manage_routes_cover_every_area(app, world):
    routes = _routes(app, world[1])

    assert len(routes) >= 30


@pytest.mark.parametrize("who", ["other organizer", "moderator", "delegate"])
def test_manage_routes_refuse_everyone_but_the_events_organizers(client, login, app, world, who):
    _, ids, users = world
    login(users[who])

    answers = {(method, url): client.open(url, method=method).status_code for method, url in _routes(app, ids)}

    assert {key: code for key, code in answers.items() if code != 403} == {}


def test_manage_routes_send_anonymous_users_to_log_in(client, app, world):
    answers = {(m, url): client.open(url, method=m) for m, url in _routes(app, world[1])}

    assert {k for k, r in answers.items() if r.status_code != 302 or "/login" not in r.headers["Location"]} == set()


def test_manage_pages_open_for_the_organizer(client, login, app, world):
    _, ids, users = world
    login(users["organizer"])

    answers = {url: client.get(url).status_code for method, url in _routes(app, ids) if method == "GET"}

    assert set(answers.values()) == {200}


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
