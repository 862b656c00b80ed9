"""Moderators' live actions through the API: the console's services, its lock on the live version, its checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from confman.extensions import db
from confman.models import AgendaSession, SessionStatus

from api_support import bearer, make_token
from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)


@pytest.fixture
def app_config():
    return {"TESTING_NOW": T0}


def _show():
    event = make_event(slug="show")
    channel = make_channel(event, slug="plenary")
    first = make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(minutes=30))
    later = make_session(event, channel=channel, title="Day two", starts_at=T0 + timedelta(days=1))
    headers = bearer(make_token(make_moderator(event), event))
    db.session.commit()
    return event, first, later, headers


def test_a_moderator_starts_a_session_and_a_second_action_on_the_old_version_is_refused(app, client):
    event, first, _later, headers = _show()
    url = "/api/v1/events/show/live/actions"

    started = client.post(url, json={"action": "start", "session_id": first.id, "version": 0}, headers=headers)
    stale = client.post(url, json={"action": "end", "session_id": first.id, "version": 0}, headers=headers)
    rundown = client.get("/api/v1/events/show/live/rundown?channel=plenary&day=2021-10-25", headers=headers)

    assert started.status_code == 200
    assert started.get_json()["live_version"] == 1
    assert stale.status_code == 409
    assert stale.get_json()["current_version"] == 1
    assert stale.get_json()["changes"][0]["action"] == "started"
    assert rundown.get_json()["live_session_id"] == first.id
    db.session.expire_all()
    assert db.session.get(AgendaSession, first.id).status == SessionStatus.LIVE


def test_starting_a_session_of_another_day_needs_confirmation(app, client):
    event, _first, later, headers = _show()
    url = "/api/v1/events/show/live/actions"

    refused = client.post(url, json={"action": "start", "session_id": later.id, "version": 0}, headers=headers)
    confirmed = client.post(url, json={"action": "start", "session_id": later.id, "version": 0, "confirmed": True},
                            headers=headers)

    assert refused.status_code == 409
    assert "not today" in refused.get_json()["detail"]
    assert confirmed.status_code == 200
