"""export-event / import-event: a backup restores every row of an event into an empty database."""

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from bench.generate import SMALL, Size, build_event
from confman.extensions import db
from confman.models import Base, Event, OrganizationKind
from confman.services import floor, sample

from conftest import ON_POSTGRES, make_app
from factories import (
    NOW,
    make_delegation,
    make_event,
    make_organization,
    make_organizer,
    make_session,
    make_speakers_list,
)
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


def test_the_floor_round_trips_lists_joint_inscriptions_and_statement_metadata(tmp_path, app):
    event = make_event(slug="floor-backup")
    item = make_session(event, title="General debate")
    speakers_list = make_speakers_list(item)
    ghana, peru = (make_delegation(event, make_organization(name=name, country_code=code,
                                                            kind=OrganizationKind.MEMBER_STATE))
                   for name, code in (("Ghana", "GH"), ("Peru", "PE")))
    organizer = make_organizer(event)
    inscription = floor.inscribe(speakers_list, ghana, floor.SpeakerDetails(name="Kwame Mensah", honorific="H.E."),
                                 actor=organizer, now=NOW, joint=[peru], from_floor=True)
    floor.file_statement(inscription, language="fr", filename="declaration.pdf",
                         data=b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", embargo_at=None,
                         actor=organizer, now=NOW, storage=app.extensions["confman.storage"])
    db.session.commit()

    source, restored = _round_trip(tmp_path, app, "floor-backup")

    assert restored == source
    assert len(restored["speakers_list"]) == len(restored["inscription"]) == len(restored["statement"]) == 1
    assert len(restored["inscription_delegation"]) == 1  # Peru, joining Ghana's statement


def test_backup_keeps_every_translation_and_the_interpretation(tmp_path, app):
    sample.load_sample(now=NOW)
    event = db.session.scalars(select(Event).filter_by(slug="prepcon-2021")).one()
    event.languages, event.default_language = ["en", "fr", "ar"], "en"
    event.translations = {"title": {"fr": "Conférence préparatoire", "ar": "المؤتمر التحضيري"}}
    item = sorted(event.sessions, key=lambda s: s.id)[0]
    item.translations = {"title": {"fr": "Ouverture"}, "description": {"ar": "افتتاح"}}
    item.interpretation_languages, item.interpretation_channels = ["fr", "ar"], {"fr": "Floor + channel 2"}
    event.themes[0].translations = {"name": {"fr": "Sûreté et sécurité"}}
    db.session.commit()
    session_id = item.id

    _source, restored = _round_trip(tmp_path, app, "prepcon-2021")

    sessions = {row[0]: row for row in restored["agenda_session"]}
    columns = [c.name for c in Base.metadata.tables["agenda_session"].columns]
    row = dict(zip(columns, sessions[str(session_id)], strict=True))
    assert row["translations"] == str({"title": {"fr": "Ouverture"}, "description": {"ar": "افتتاح"}})
    assert row["interpretation_languages"] == str(["fr", "ar"])
    assert row["interpretation_channels"] == str({"fr": "Floor + channel 2"})
    events = [dict(zip([c.name for c in Base.metadata.tables["event"].columns], r, strict=True))
              for r in restored["event"]]
    prepcon = next(e for e in events if e["slug"] == "prepcon-2021")
    assert (prepcon["languages"], prepcon["default_language"]) == (str(["en", "fr", "ar"]), "en")
    assert "المؤتمر التحضيري" in prepcon["translations"]
    assert any("Sûreté et sécurité" in r[-1] or "Sûreté et sécurité" in str(r) for r in restored["theme"])
