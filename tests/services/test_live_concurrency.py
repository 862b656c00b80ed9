"""Two moderators acting on the same state at the same instant, on PostgreSQL with separate connections."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event
from confman.services import live

from conftest import make_app
from factories import make_channel, make_event, make_moderator, make_session
from support import postgres_server_url, scratch_postgres_database

pytestmark = pytest.mark.postgres
T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def own_database():
    """A database of this test's own: the threads commit, so the shared test schema must not be used."""
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers at CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432")
    with scratch_postgres_database(server) as url:
        yield url


def test_of_two_simultaneous_actions_on_one_version_exactly_one_wins(tmp_path, own_database):
    app = make_app(tmp_path, own_database)
    with app.app_context():
        db.create_all()
        event = make_event(slug="race")
        channel = make_channel(event)
        make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(minutes=30))
        moderator_ids = [make_moderator(event).id, make_moderator(event).id]
        db.session.commit()
        channel_id = channel.id
    barrier = threading.Barrier(2)
    outcomes = []

    def moderator(user_id: int, minutes: int, version: int):
        with app.app_context():
            from confman.models import User

            event = db.session.scalar(select(Event).filter_by(slug="race"))
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                live.announce_delay(event, channel_id, date(2021, 10, 25), minutes, actor=user, now=T0,
                                    version=version)
                db.session.commit()
                outcomes.append(("applied", minutes))
            except live.StaleState:
                db.session.rollback()
                outcomes.append(("stale", minutes))
            finally:
                db.session.remove()

    for version in (0, 1):  # the first action creates the live state; the second one updates it
        outcomes.clear()
        threads = [threading.Thread(target=moderator, args=(uid, 5 + n * 10, version))
                   for n, uid in enumerate(moderator_ids)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert sorted(o[0] for o in outcomes) == ["applied", "stale"]
        with app.app_context():
            delay = db.session.scalar(select(AgendaSession.announced_delay))
            winner = next(m for status, m in outcomes if status == "applied")
            assert delay == timedelta(minutes=winner)
            assert live.state_version(db.session.scalar(select(Event)), channel_id) == version + 1
    with app.app_context():
        db.engine.dispose()
