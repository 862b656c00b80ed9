"""export-event / import-event: a backup restores every row of an event into an empty database."""

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from bench.generate import SMALL, Size, build_event
from confman.extensions import db
from confman.models import Base, Event
from confman.services import sample

from conftest import ON_POSTGRES, make_app
from factories import NOW
from support import postgres_server_url, scratch_postgres_database


def _all_rows():
    return {t.name: sorted(tuple(str(v) for v in row) for row in db.session.execute(select(t)))
            for t in Base.metadata.sorted_tables}


def _round_trip(tmp_path, app, slug):
    source_rows = _all_rows()
    result = app.test_cli_runner().invoke(args=["export-event", slug, str(tmp_path / "backup.json")])
    assert result.exit_code == 0, result.output
    with _empty_database(tmp_path) as url:
        target = make_app(tmp_path, url)
        with target.app_context():
            db.create_all()
            restored = target.test_cli_runner().invoke(args=["import-event", str(tmp_path / "backup.json")])
            assert restored.exit_code == 0, restored.output
            rows = _all_rows()
            db.session.remove()
            db.engine.dispose()
    return source_rows, rows


@contextmanager
def _empty_database(tmp_path):
    """Restore into the same kind of database the suite runs on."""
    if ON_POSTGRES:
        with scratch_postgres_database(postgres_server_url()) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"


def test_prepcon_sample_round_trips_every_row(tmp_path, app):
    sample.load_sample(now=NOW)
    db.session.commit()

    source, restored = _round_trip(tmp_path, app, "prepcon-2021")

    # Every restored row is identical to its source; the parent ministerial comes along as a referenced row,
    # without what it owns (its host) or what only that refers to (Korea).
    missing = {name: sorted(set(rows) - set(restored[name])) for name, rows in source.items()}
    assert all(set(restored[name]) <= set(rows) for name, rows in source.items())
    assert {name: [row[:2] for row in rows] for name, rows in missing.items() if rows} == {
        "co_host": [("1", "1")], "organization": [("3", "Republic of Korea")],
    }
    assert len(restored["agenda_session"]) == len(source["agenda_session"]) == 11


@pytest.mark.slow
def test_large_generated_event_round_trips_every_row(tmp_path, app):
    build_event(Size("backup", days=2, channels=3, sessions_per_channel_day=12, speakers=150, registrations=3000))
    db.session.commit()

    source, restored = _round_trip(tmp_path, app, "bench-backup")

    assert restored == source
    assert len(restored["registration"]) == 3000


def test_export_leaves_out_other_events(tmp_path, app):
    build_event(SMALL, slug="one")
    build_event(SMALL, slug="two", seed=7)
    db.session.commit()

    app.test_cli_runner().invoke(args=["export-event", "one", str(tmp_path / "one.json")])
    document = json.loads((tmp_path / "one.json").read_text())

    assert [e["slug"] for e in document["tables"]["event"]] == ["one"]
    two = db.session.scalar(select(Event).filter_by(slug="two"))
    assert all(s["event_id"] != two.id for s in document["tables"]["agenda_session"])


def test_import_into_a_database_that_has_the_event_is_refused_and_changes_nothing(tmp_path, app):
    sample.load_sample(now=NOW)
    db.session.commit()
    runner = app.test_cli_runner()
    runner.invoke(args=["export-event", "prepcon-2021", str(tmp_path / "b.json")])
    before = _all_rows()

    result = runner.invoke(args=["import-event", str(tmp_path / "b.json")])

    assert result.exit_code != 0
    assert "already holds rows" in result.output
    assert _all_rows() == before


def test_import_of_a_malformed_file_is_refused(tmp_path, app):
    (tmp_path / "bad.json").write_text('{"format": "something-else"}')
    (tmp_path / "broken.json").write_text("{not json")
    runner = app.test_cli_runner()

    wrong = runner.invoke(args=["import-event", str(tmp_path / "bad.json")])
    broken = runner.invoke(args=["import-event", str(tmp_path / "broken.json")])
    unknown = runner.invoke(args=["export-event", "nope", str(tmp_path / "x.json")])

    assert wrong.exit_code != 0 and "not a confman event backup" in wrong.output
    assert broken.exit_code != 0 and "Cannot read" in broken.output
    assert unknown.exit_code != 0 and "no event with the slug 'nope'" in unknown.output
