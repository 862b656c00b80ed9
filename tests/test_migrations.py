"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import JSON, Integer, column, inspect, select, table

from confman.extensions import db
from confman.models import AgendaSession, Channel, Event, LiveAction, LiveState

from conftest import make_app
from support import postgres_server_url, scratch_postgres_database


def _upgrade_then_diff(tmp_path, url):
    app = make_app(tmp_path, url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    return diff, tables, left


def test_migrations_match_the_models_on_sqlite(tmp_path):
    diff, tables, left = _upgrade_then_diff(tmp_path, f"sqlite:///{tmp_path / 'migrated.sqlite3'}")

    assert diff == []
    assert set(db.metadata.tables) <= tables
    assert left == set()


@pytest.mark.postgres
def test_migrations_match_the_models_on_postgresql(tmp_path):
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers at CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432")
    with scratch_postgres_database(server) as url:
        diff, tables, left = _upgrade_then_diff(tmp_path, url)

    assert diff == []
    assert set(db.metadata.tables) <= tables
    assert left == set()


def _live_rows_move_to_channels(tmp_path, url):
    """An event run live before 0016 (one version, one undo log): after the upgrade each of its channels carries
    the old version (an open console still acts) and each action sits in its session's channel."""
    at = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)
    app = make_app(tmp_path, url)
    with app.app_context():
        upgrade(revision="0010b_registration_language")
        with db.engine.begin() as conn:
            event_id = conn.execute(Event.__table__.insert().values(
                slug="old", title="Old", starts_on=date(2021, 10, 25), ends_on=date(2021, 10, 25),
                timezone="UTC")).inserted_primary_key[0]
            plenary, side = (conn.execute(Channel.__table__.insert().values(
                event_id=event_id, slug=slug, name=slug)).inserted_primary_key[0] for slug in ("plenary", "side"))
            opening, panel = (conn.execute(AgendaSession.__table__.insert().values(
                event_id=event_id, channel_id=channel, title=title, starts_at=at, duration=timedelta(minutes=30),
                created_at=at, updated_at=at)).inserted_primary_key[0] for channel, title in ((plenary, "Opening"),
                                                                                             (side, "Panel")))
            old_state = table("live_state", column("event_id", Integer), column("version", Integer),
                              column("updated_at", LiveState.__table__.c.updated_at.type))
            conn.execute(old_state.insert().values(event_id=event_id, version=3, updated_at=at))
            old_action = table("live_action", column("event_id", Integer), column("session_id", Integer),
                               column("kind"), column("summary"), column("before", JSON),
                               column("at", LiveAction.__table__.c.at.type))
            for session_id, before in ((opening, [{"id": opening}]), (None, [{"id": panel}]), (None, [])):
                conn.execute(old_action.insert().values(event_id=event_id, session_id=session_id, kind="delay",
                                                        summary="", before=before, at=at))
        upgrade()
        with db.engine.connect() as conn:
            states = conn.execute(select(LiveState.channel_key, LiveState.version)
                                  .order_by(LiveState.channel_key)).all()
            actions = conn.execute(select(LiveAction.channel_key).order_by(LiveAction.id)).scalars().all()
        downgrade(revision="0010b_registration_language")
        with db.engine.connect() as conn:
            back = conn.execute(select(old_state.c.event_id, old_state.c.version)).all()
        downgrade(revision="base")
        db.engine.dispose()
    return states, actions, back, (event_id, plenary, side)


def test_the_upgrade_gives_each_channel_the_events_live_state_on_sqlite(tmp_path):
    states, actions, back, (event_id, plenary, side) = _live_rows_move_to_channels(
        tmp_path, f"sqlite:///{tmp_path / 'live.sqlite3'}")

    assert [tuple(s) for s in states] == [(0, 3), (plenary, 3), (side, 3)]
    assert actions == [plenary, side, 0]
    assert [tuple(b) for b in back] == [(event_id, 3)]


@pytest.mark.postgres
def test_the_upgrade_gives_each_channel_the_events_live_state_on_postgresql(tmp_path):
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers at CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432")
    with scratch_postgres_database(server) as url:
        states, actions, back, (event_id, plenary, side) = _live_rows_move_to_channels(tmp_path, url)

    assert [tuple(s) for s in states] == [(0, 3), (plenary, 3), (side, 3)]
    assert actions == [plenary, side, 0]
    assert [tuple(b) for b in back] == [(event_id, 3)]
