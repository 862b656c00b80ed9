"""Times go in and come out as aware UTC instants, on every backend."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from confman.extensions import db
from confman.models import AgendaSession

from factories import make_event, make_session


def test_instants_round_trip_as_aware_utc(app):
    karachi_noon = datetime(2021, 10, 25, 12, 0, tzinfo=timezone(timedelta(hours=5)))
    item = make_session(make_event(), starts_at=karachi_noon)
    db.session.commit()
    db.session.expire_all()

    loaded = db.session.get(AgendaSession, item.id)

    assert loaded.starts_at == datetime(2021, 10, 25, 7, 0, tzinfo=UTC)
    assert loaded.starts_at.tzinfo == UTC
    assert loaded.duration == timedelta(minutes=60)


def test_naive_datetimes_are_refused(app):
    with pytest.raises(StatementError, match="naive datetime"):
        make_session(make_event(), starts_at=datetime(2021, 10, 25, 12, 0))
    db.session.rollback()


def test_stale_session_save_is_refused(app):
    from sqlalchemy.orm.exc import StaleDataError

    item = make_session(make_event())
    db.session.commit()
    assert item.version == 1  # this organizer has the session open
    with db.engine.begin() as conn:  # another organizer saves first
        conn.execute(AgendaSession.__table__.update().values(version=AgendaSession.version + 1, title="Theirs"))

    item.title = "Mine"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()
