"""frab/c3voc schedules: valid against the c3voc schemas, and `confman import-schedule` reads them back."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, Channel, Event, EventStatus, SessionStatus, Speaker, Theme
from confman.services import publication, sample
from confman.timeutil import utcnow

from export_support import publish

SCHEMAS = Path(__file__).resolve().parent / "schemas"
JSON_SCHEMA = json.loads((SCHEMAS / "schema.json").read_text())
XSD = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))


def _validate_json(body: bytes) -> dict:
    document = json.loads(body)
    validator = jsonschema.Draft6Validator(JSON_SCHEMA, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    return document


def _validate_xml(body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    assert XSD.validate(root), XSD.error_log
    return root


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=utcnow())
    db.session.commit()
    return db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))


@pytest.mark.parametrize("fixture", ["prepcon", "dst_event", "karachi_event"])
@pytest.mark.parametrize("option", ["", "theme", "day"])
def test_schedules_are_valid_against_the_c3voc_schemas(client, request, fixture, option):
    event = request.getfixturevalue(fixture)
    query = {"": "", "theme": f"?theme={event.themes[0].slug}" if event.themes else "",
             "day": f"?day={event.ends_on.isoformat()}"}[option]

    as_json = client.get(f"/events/{event.slug}/schedule.json{query}")
    as_xml = client.get(f"/events/{event.slug}/schedule.xml{query}")

    assert as_json.status_code == as_xml.status_code == 200
    assert as_json.headers["Content-Type"] == "application/json"
    assert as_xml.headers["Content-Type"] == "application/xml; charset=utf-8"
    _validate_json(as_json.data)
    _validate_xml(as_xml.data)


def test_schedule_json_lays_out_local_days_rooms_and_speakers(client, dst_event):
    document = _validate_json(client.get("/events/autumn-meeting/schedule.json").data)

    conference = document["schedule"]["conference"]
    saturday, sunday = conference["days"]
    assert conference["time_zone_name"] == "Europe/Amsterdam"
    assert conference["acronym"] == "autumn_meeting"
    assert [r["name"] for r in conference["rooms"]] == ["Plenary", "Side room"]
    assert [t["name"] for t in conference["tracks"]] == ["Safety and Security", "Protection"]
    assert (saturday["day_start"], saturday["day_end"]) == ("2021-10-30T00:00:00+02:00", "2021-10-31T00:00:00+02:00")
    assert (sunday["day_start"], sunday["day_end"]) == ("2021-10-31T00:00:00+02:00", "2021-11-01T00:00:00+01:00")
    opening = saturday["rooms"]["Plenary"][0]
    assert (opening["date"], opening["start"], opening["duration"]) == ("2021-10-30T10:00:00+02:00", "10:00", "01:00")
    assert [(p["name"], p["role"]) for p in opening["persons"]] == [("H.E. Ada Lovelace", "chair"),
                                                                   ("Dr. Grace Hopper", "speaker")]
    night = [e["date"] for e in sunday["rooms"]["Side room"]]
    assert night == ["2021-10-31T02:30:00+02:00", "2021-10-31T02:30:00+01:00"]


def test_cancelled_sessions_leave_the_schedule(client, dst_event):
    item = db.session.scalar(select(AgendaSession).filter_by(title="Panel on training"))
    item.status = SessionStatus.CANCELLED
    publish(dst_event)

    as_json = client.get("/events/autumn-meeting/schedule.json").get_data(as_text=True)
    as_xml = client.get("/events/autumn-meeting/schedule.xml").get_data(as_text=True)

    assert "Panel on training" not in as_json
    assert "Panel on training" not in as_xml


def _shape(slug: str):
    """The public agenda as a delegate sees it, without database ids."""
    db.session.expire_all()
    event = db.session.scalar(select(Event).filter_by(slug=slug))
    agenda = publication.public_agenda(event)
    sessions = [(s.title, s.starts_at, s.duration, s.kind, s.channel.name if s.channel else None,
                 s.theme.name if s.theme else None, s.description,
                 [p.speaker.full_name for p in s.participations]) for s in agenda.sessions if not s.is_cancelled]
    return (event.title, event.timezone, event.starts_on, event.ends_on), sessions


def _roles(slug: str):
    event = db.session.scalar(select(Event).filter_by(slug=slug))
    return [[p.role for p in s.participations] for s in publication.public_agenda(event).sessions]


@pytest.mark.parametrize("fixture", ["prepcon", "dst_event", "karachi_event"])
@pytest.mark.parametrize("name", ["schedule.xml", "schedule.json"])
def test_importing_an_exported_schedule_gives_back_the_same_agenda(app, client, request, tmp_path, fixture, name):
    event = request.getfixturevalue(fixture)
    path = tmp_path / name
    path.write_bytes(client.get(f"/events/{event.slug}/{name}").data)

    result = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "copy", "--publish"])

    assert result.exit_code == 0, result.output
    assert _shape("copy") == _shape(event.slug)
    if name == "schedule.json":  # frab's XML has no roles; the JSON carries them
        assert _roles("copy") == _roles(event.slug)
    copy = db.session.scalar(select(Event).filter_by(slug="copy"))
    assert copy.status == EventStatus.PUBLISHED
    assert f"created  event copy ({event.title}" in result.output
    assert "published agenda version 1" in result.output


def test_import_creates_rooms_tracks_and_persons_from_a_pretalx_export(app):
    example = SCHEMAS / "upstream-examples" / "pretalx-democon.json"

    result = app.test_cli_runner().invoke(args=["import-schedule", str(example), "--event", "democon"])

    assert result.exit_code == 0, result.output
    event = db.session.scalar(select(Event).filter_by(slug="democon"))
    assert (event.title, event.timezone, event.status) == ("DemoCon", "UTC", EventStatus.DRAFT)
    assert [c.name for c in event.channels] == ["Gray Room", "Tan Room"]
    assert db.session.scalar(select(func.count(AgendaSession.id)).filter_by(event_id=event.id)) == 36
    assert "created  2 channels: Gray Room, Tan Room" in result.output
    assert "The agenda is not published yet" in result.output
    assert publication.public_agenda(event).version == 0


def _counts():
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Event, AgendaSession, Speaker, Channel, Theme)}


def test_import_refuses_to_overwrite_sessions_unless_told_to_replace(app, client, tmp_path, dst_event):
    path = tmp_path / "schedule.json"
    path.write_bytes(client.get("/events/autumn-meeting/schedule.json").data)
    before = _counts()

    refused = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "autumn-meeting"])
    after_refusal = _counts()
    replaced = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "autumn-meeting",
                                                  "--replace"])

    assert refused.exit_code == 1
    assert "already has 5 sessions. Give --replace" in refused.output
    assert "Nothing was changed." in refused.output
    assert after_refusal == before
    assert replaced.exit_code == 0, replaced.output
    assert "removed  5 sessions of autumn-meeting" in replaced.output
    assert _counts()["AgendaSession"] == before["AgendaSession"]
    assert _counts()["Speaker"] == before["Speaker"]  # speakers found again by name


BAD_FILES = {
    "empty.xml": b"",
    "truncated.xml": b"<schedule><conference><title>Broken",
    "not-a-schedule.xml": b"<?xml version='1.0'?><calendar/>",
    "entities.xml": b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                    b"<schedule>&b;</schedule>",
    "not-json.json": b"{not json",
    "wrong-shape.json": b'{"schedule": {"version": "1"}}',
    "bad-duration.xml": b"""<schedule><version>1</version><conference><title>T</title><acronym>tttt</acronym>
        <time_zone_name>Europe/Amsterdam</time_zone_name></conference>
        <day index="1" date="2021-10-30" start="2021-10-30T00:00:00+02:00" end="2021-10-31T00:00:00+02:00">
        <room name="A"><event id="1" guid="00000000-0000-0000-0000-000000000001"><title>Fine</title>
        <date>2021-10-30T10:00:00+02:00</date><start>10:00</start><duration>01:00</duration><room>A</room>
        <type>talk</type><abstract/><track/></event>
        <event id="2" guid="00000000-0000-0000-0000-000000000002"><title>Broken one</title>
        <date>2021-10-30T11:00:00+02:00</date><start>11:00</start><duration>an hour</duration><room>A</room>
        <type>talk</type><abstract/><track/></event></room></day></schedule>""",
    "no-offset.json": json.dumps({"schedule": {"version": "1", "conference": {
        "title": "T", "acronym": "tttt", "days": [{"index": 1, "date": "2021-10-30", "rooms": {"A": [
            {"title": "Floating", "date": "2021-10-30T10:00:00", "start": "10:00", "duration": "00:30"}]}}]}}},
                                 ).encode(),
    "bad-zone.json": json.dumps({"schedule": {"version": "1", "conference": {
        "title": "T", "acronym": "tttt", "time_zone_name": "Mars/Olympus", "days": []}}}).encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_with_a_reason_and_nothing_changes(app, tmp_path, dst_event, name):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    before = _counts()

    into_new = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "brand-new"])
    into_existing = app.test_cli_runner().invoke(
        args=["import-schedule", str(path), "--event", "autumn-meeting", "--replace", "--publish"])

    assert into_new.exit_code == into_existing.exit_code == 1
    assert f"Error: {name} cannot be imported: " in into_new.output
    assert "Nothing was changed." in into_new.output
    assert _counts() == before
    assert db.session.scalar(select(Event).filter_by(slug="brand-new")) is None


def test_bad_file_report_names_each_problem_and_where(app, tmp_path):
    path = tmp_path / "schedule.xml"
    path.write_bytes(BAD_FILES["bad-duration.xml"])

    result = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "new-one"])

    assert "day 1, room 'A', event 2 ('Broken one'): duration 'an hour' is not HH:MM" in result.output


def test_import_refuses_a_bad_slug_for_a_new_event(app, tmp_path, client, karachi_event):
    path = tmp_path / "schedule.xml"
    path.write_bytes(client.get("/events/karachi-dialogue/schedule.xml").data)
    before = _counts()

    result = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "Not A Slug!"])

    assert result.exit_code == 1
    assert "cannot be an event's slug" in result.output
    assert _counts() == before


@pytest.mark.parametrize("name", ["schedule.xml", "schedule.json"])
def test_import_reads_each_talks_language_as_the_floor_language(app, client, tmp_path, prepcon, name):
    item = next(s for s in prepcon.sessions if s.title == "Training and capacity building")
    item.floor_language = "fr"
    db.session.commit()
    publication.publish_agenda(prepcon, actor=None, now=utcnow())
    db.session.commit()
    path = tmp_path / name
    path.write_bytes(client.get(f"/events/{prepcon.slug}/{name}").data)

    result = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "copy"])

    assert result.exit_code == 0, result.output
    copy = db.session.scalar(select(Event).filter_by(slug="copy"))
    floors = {s.title: s.floor_language for s in copy.sessions}
    assert floors["Training and capacity building"] == "fr"
    assert floors["Opening of the Preparatory Conference"] == "" and copy.default_language == "en"  # the event's own
