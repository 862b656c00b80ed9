"""Moderators of two channels acting at the same instant, on PostgreSQL, through the WSGI app, each thread with its
own connection: both succeed (each locks its channel's live state only); two on one channel: one is refused."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, SessionStatus
from confman.services import live, publication

from conftest import PASSWORD, page_text, rush_postgres_app
from factories import make_channel, make_event, make_moderator, make_session

pytestmark = pytest.mark.postgres
T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)
DAY = "2021-10-25"
STALE = "Another moderator changed the running order"


@pytest.fixture
def rush_app(tmp_path):
    with rush_postgres_app(tmp_path, 4) as app:
        app.config.update(TESTING_NOW=T0 + timedelta(minutes=5), LIVE_STATE_TTL_SECONDS=0)
        event = make_event(slug="race")
        for slug in ("plenary", "side"):
            channel = make_channel(event, slug=slug, name=slug.title())
            for n, title in enumerate(("opening", "panel", "closing")):
                make_session(event, channel=channel, title=f"{slug} {title}", starts_at=T0 + timedelta(minutes=30 * n),
                             duration=timedelta(minutes=30))
        publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
        for n in range(4):
            make_moderator(event, email=f"moderator{n}@example.org")
        db.session.commit()
        yield app


def _clients(app, n):
    clients = []
    for i in range(n):
        client = app.test_client()
        assert client.post("/login", data={"email": f"moderator{i}@example.org",
                                           "password": PASSWORD}).status_code == 302
        clients.append(client)
    return clients


def _ids():
    return dict(db.session.execute(select(AgendaSession.title, AgendaSession.id)).all())


def at_once(clients, forms):
    """Each client posts its console form at the same instant; the pages they land on, as text."""
    barrier = threading.Barrier(len(clients))

    def post(pair):
        client, form = pair
        barrier.wait()
        return page_text(client.post("/moderate/race/act", data={"day": DAY, **form}, follow_redirects=True))

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(post, zip(clients, forms, strict=True)))


def _status(title):
    db.session.expire_all()
    return db.session.scalar(select(AgendaSession.status).filter_by(title=title))


def test_two_channels_act_at_the_same_instant_and_neither_is_refused(rush_app):
    plenary, side = _clients(rush_app, 2)
    ids = _ids()

    started = at_once([plenary, side], [
        {"action": "start", "channel": "plenary", "version": 0, "session_id": ids["plenary opening"]},
        {"action": "start", "channel": "side", "version": 0, "session_id": ids["side opening"]}])
    delayed = at_once([plenary, side], [
        {"action": "delay", "channel": "plenary", "version": 1, "minutes": 10},
        {"action": "delay", "channel": "side", "version": 1, "minutes": 20}])
    # Plan changes: both amend the one published agenda; they take turns, neither refuses the other.
    cancelled = at_once([plenary, side], [
        {"action": "cancel", "channel": "plenary", "version": 2, "session_id": ids["plenary closing"]},
        {"action": "cancel", "channel": "side", "version": 2, "session_id": ids["side closing"]}])
    undone = at_once([plenary, side], [
        {"action": "undo", "channel": "plenary", "version": 3}, {"action": "undo", "channel": "side", "version": 3}])

    assert ["Started “plenary opening”." in started[0], "Started “side opening”." in started[1]] == [True, True]
    assert "Running late by 10 min before “plenary panel”." in delayed[0]
    assert "Running late by 20 min before “side panel”." in delayed[1]
    assert "Cancelled “plenary closing”." in cancelled[0]
    assert "Cancelled “side closing”." in cancelled[1]
    assert "Undone: Cancelled “plenary closing”." in undone[0]
    assert "Undone: Cancelled “side closing”." in undone[1]
    assert not any(STALE in text for text in started + delayed + cancelled + undone)
    event = db.session.scalar(select(Event).filter_by(slug="race"))
    assert [live.state_version(event, c.id) for c in event.channels] == [4, 4]
    public = {s.title: s.status for s in publication.public_agenda(event).sessions}
    assert (public["plenary closing"], public["side closing"]) == (SessionStatus.SCHEDULED, SessionStatus.SCHEDULED)
    assert (_status("plenary opening"), _status("side opening")) == (SessionStatus.LIVE, SessionStatus.LIVE)


def test_two_moderators_on_one_channel_at_the_same_instant_one_is_refused(rush_app):
    first, second, other = _clients(rush_app, 3)
    ids = _ids()

    outcomes = at_once([first, second, other], [
        {"action": "start", "channel": "plenary", "version": 0, "session_id": ids["plenary opening"]},
        {"action": "delay", "channel": "plenary", "version": 0, "minutes": 15},
        {"action": "start", "channel": "side", "version": 0, "session_id": ids["side opening"]}])

    plenary = outcomes[:2]
    assert sorted(STALE in text for text in plenary) == [False, True]
    assert "Started “side opening”." in outcomes[2]
    event = db.session.scalar(select(Event).filter_by(slug="race"))
    assert [live.state_version(event, c.id) for c in event.channels] == [1, 1]
    started = _status("plenary opening") == SessionStatus.LIVE
    delayed = db.session.scalar(select(AgendaSession.announced_delay).filter_by(title="plenary opening")) is not None
    assert started != delayed  # exactly one of the two plenary actions was applied
