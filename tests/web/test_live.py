"""The public live page and live.json: published sessions only, ETag/304, and a moderator's action shows."""

from datetime import UTC, datetime, timedelta

import pytest

from confman.extensions import db
from confman.models import EventStatus
from confman.services import live, publication

from conftest import page_text
from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)  # 08:00 in New York
CLOCK = {"now": T0 + timedelta(minutes=10)}


@pytest.fixture
def app_config():
    return {"TESTING_NOW": lambda: CLOCK["now"], "LIVE_STATE_TTL_SECONDS": 0}


@pytest.fixture
def show(app):
    CLOCK["now"] = T0 + timedelta(minutes=10)
    event = make_event(slug="prepcon")
    channel = make_channel(event, slug="plenary", name="Plenary")
    opening = make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(minutes=30))
    panel = make_session(event, channel=channel, title="Panel", starts_at=T0 + timedelta(minutes=30),
                         duration=timedelta(minutes=60))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
    make_session(event, channel=channel, title="Unpublished draft", starts_at=T0 + timedelta(minutes=120),
                 duration=timedelta(minutes=30))
    db.session.commit()
    return event, opening, panel


def test_live_json_shows_now_next_and_only_published_sessions(client, show):
    response = client.get("/events/prepcon/live.json")

    plenary = response.get_json()["channels"][0]
    assert response.status_code == 200
    assert plenary["now"]["title"] == "Opening"
    assert plenary["next"]["title"] == "Panel"
    assert [s["title"] for s in plenary["later"]] == []
    assert "Unpublished draft" not in response.get_data(as_text=True)


def test_live_json_answers_304_while_nothing_changes(client, show):
    first = client.get("/events/prepcon/live.json")

    again = client.get("/events/prepcon/live.json", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_live_json_changes_etag_after_a_moderator_action(client, show):
    event, opening, panel = show
    first = client.get("/events/prepcon/live.json")
    moderator = make_moderator(event)
    live.start_session(opening, actor=moderator, now=T0 + timedelta(minutes=12), version=0)
    live.announce_delay(event, opening.channel_id, T0.date(), 15, actor=moderator, now=T0 + timedelta(minutes=12),
                        version=1)
    db.session.commit()

    after = client.get("/events/prepcon/live.json", headers={"If-None-Match": first.headers["ETag"]})

    plenary = after.get_json()["channels"][0]
    assert after.status_code == 200
    assert plenary["late_minutes"] == 15
    assert plenary["next"]["expected_start"] == (T0 + timedelta(minutes=45)).isoformat()


def test_live_json_304_reads_one_small_query(client, show, app):
    from sqlalchemy import event as sa_event

    etag = client.get("/events/prepcon/live.json").headers["ETag"]
    statements = []

    def count(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get("/events/prepcon/live.json", headers={"If-None-Match": etag})
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)

    assert response.status_code == 304
    assert len(statements) == 1


def test_live_json_moves_on_with_the_clock(client, show):
    etag = client.get("/events/prepcon/live.json").headers["ETag"]
    CLOCK["now"] = T0 + timedelta(minutes=31)

    response = client.get("/events/prepcon/live.json", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response.get_json()["channels"][0]["now"]["title"] == "Panel"


def test_live_page_renders_in_the_chosen_zone_with_the_event_zone_beside(client, show):
    response = client.get("/events/prepcon/live?tz=Asia/Karachi")

    text = page_text(response)
    assert response.status_code == 200
    assert "Now Opening 17:00 (08:00 event time) – 17:30 (08:30 event time)" in text
    assert 'aria-live="polite"' in response.get_data(as_text=True)
    assert "<script>" not in response.get_data(as_text=True)


def test_live_page_of_a_draft_event_is_not_found(client, app):
    make_event(slug="draft", status=EventStatus.DRAFT)
    db.session.commit()

    assert client.get("/events/draft/live").status_code == 404
    assert client.get("/events/draft/live.json").status_code == 404


def test_live_json_remembers_the_state_briefly_so_polling_costs_no_query(app, show):
    from sqlalchemy import event as sa_event

    app.config["LIVE_STATE_TTL_SECONDS"] = 60
    client = app.test_client()
    etag = client.get("/events/prepcon/live.json").headers["ETag"]
    statements = []

    def count(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get("/events/prepcon/live.json", headers={"If-None-Match": etag})
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)

    assert response.status_code == 304
    assert statements == []


def test_a_poll_storm_computes_the_new_state_once(app, show, monkeypatch):
    """Eight screens asking at the same instant for a state nobody has seen yet: one computation, one body."""
    import threading
    import time

    from confman.web import live as live_views

    real, calls = live.live_status, []

    def slow_status(event, *, now, **options):  # options: the content language
        calls.append(now)
        time.sleep(0.3)  # long enough for the other screens to arrive while this one computes
        return real(event, now=now, **options)

    monkeypatch.setattr(live, "live_status", slow_status)
    live_views._cache.clear()
    start, bodies = threading.Barrier(8), []

    def screen():
        client = app.test_client()
        start.wait()
        bodies.append(client.get("/events/prepcon/live.json").data)

    screens = [threading.Thread(target=screen) for _ in range(8)]
    for thread in screens:
        thread.start()
    for thread in screens:
        thread.join()

    assert len(calls) == 1
    assert len(bodies) == 8 and len(set(bodies)) == 1
