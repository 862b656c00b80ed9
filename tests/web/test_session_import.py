"""Importing sessions from a file on the organizer's import page: CSV, frab schedule.xml and c3voc schedule.json,
previewed (writing nothing) and confirmed (writing everything, or nothing)."""

import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select
from test_translations import english_found, english_phrases, french_catalogue, visible_text

from confman.extensions import db
from confman.models import AgendaSession, AuditEntry, Channel, Event, Speaker, Tag, Theme
from confman.services import sample
from confman.timeutil import utcnow

from conftest import page_text
from factories import make_channel, make_event, make_organizer, make_session, make_speaker, make_user

CSV = (
    "ref,title,kind,day,start,duration,channel,theme,topics,speakers,description,language,fixed_start\n"
    "S1,Opening of the conference,opening,2021-10-25,09:00,30,Plenary hall,Protection,training,"
    "H.E. Ms. Ada Lovelace; Mr. Alan Turing,Welcome.,en,yes\n"
    "S2,Panel on medical support,panel,2021-10-25,09:30,60,Plenary hall,Safety and Security,"
    "medical support; training,Mr. Alan Turing,,fr,no\n"
    "S3,Closing,closing,2021-10-26,16:00,15,,,,,,,\n"
)


def _organizer(login, **event_values):
    event = make_event(slug="imports", **event_values)
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    login(organizer)
    return event


def _upload(client, content: bytes | str, name: str = "sessions.csv", slug: str = "imports"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(f"/manage/events/{slug}/sessions/import", data={"file": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def _confirm(client, preview, slug: str = "imports", **extra):
    html = preview.get_data(as_text=True)
    fields = dict(re.findall(r'name="(payload|token|filename|csrf_token)" type="hidden" value="([^"]*)"', html))
    fields.update(extra)
    return client.post(f"/manage/events/{slug}/sessions/import/confirm", data=fields, follow_redirects=True)


def _count(model, event) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event.id))


def test_import_page_documents_the_csv_columns_and_is_linked_from_the_sessions_page(client, login):
    _organizer(login)

    sessions = page_text(client.get("/manage/events/imports/sessions/"))
    page = page_text(client.get("/manage/events/imports/sessions/import"))

    assert "Import sessions" in sessions
    for column in ("ref", "title", "kind", "day", "start", "duration", "end", "channel", "theme", "topics",
                   "speakers", "description", "language", "fixed_start"):
        assert f" {column} " in page
    assert "an import never deletes nor cancels a session" in page


def test_csv_preview_writes_nothing_and_confirm_writes_everything(client, login):
    event = _organizer(login)

    preview = _upload(client, CSV)
    text = page_text(preview)

    assert preview.status_code == 200
    assert "3 sessions will be added" in text
    assert "New channels: Plenary hall" in text
    assert "New speakers: H.E. Ms. Ada Lovelace, Mr. Alan Turing" in text
    assert "New topics: training, medical support" in text
    assert "Nothing is written until you confirm." in text
    assert _count(AgendaSession, event) == _count(Speaker, event) == _count(Channel, event) == 0

    done = _confirm(client, preview)

    assert "Imported from sessions.csv: 3 sessions added, 0 updated." in page_text(done)
    db.session.expire_all()
    items = db.session.scalars(select(AgendaSession).filter_by(event_id=event.id).order_by(
        AgendaSession.starts_at)).all()
    assert [i.title for i in items] == ["Opening of the conference", "Panel on medical support", "Closing"]
    opening, panel, closing = items
    assert opening.starts_at == datetime(2021, 10, 25, 13, 0, tzinfo=UTC)  # 09:00 in New York (EDT)
    assert opening.duration == timedelta(minutes=30)
    assert opening.is_fixed is True and panel.is_fixed is False
    assert [p.speaker.full_name for p in opening.participations] == ["H.E. Ms. Ada Lovelace", "Mr. Alan Turing"]
    assert opening.participations[0].speaker.honorific == "H.E. Ms."
    assert [t.name for t in panel.tags] == ["medical support", "training"]
    assert panel.floor_language == "fr" and opening.floor_language == ""
    assert panel.theme.name == "Safety and Security" and closing.channel is None
    assert _count(Speaker, event) == 2 and _count(Tag, event) == 2 and _count(Theme, event) == 2
    assert db.session.scalar(select(AuditEntry.summary).filter_by(action="agenda.imported")) == (
        "Imported sessions from sessions.csv: 3 added, 0 updated")


def test_csv_imported_again_with_changes_updates_by_ref_and_keeps_the_rest(client, login):
    event = _organizer(login)
    _confirm(client, _upload(client, CSV))
    changed = CSV.replace("Panel on medical support,panel,2021-10-25,09:30,60",
                          "Panel on medical support,panel,2021-10-25,10:00,45")

    preview = _upload(client, changed)
    text = page_text(preview)

    assert "0 sessions will be added" in text
    assert "1 session will be updated" in text
    assert "2 sessions are unchanged" in text
    assert "Start, Duration" in text
    _confirm(client, preview)
    db.session.expire_all()
    panel = db.session.scalar(select(AgendaSession).filter_by(event_id=event.id, import_key="S2"))
    assert panel.starts_at == datetime(2021, 10, 25, 14, 0, tzinfo=UTC) and panel.duration == timedelta(minutes=45)
    assert _count(AgendaSession, event) == 3


def test_csv_with_one_bad_row_writes_nothing_and_names_the_line(client, login):
    event = _organizer(login)
    bad = CSV + "S4,Lunch,break,2021-10-25,25:00,60,,,,,,,\nS5,Too late,plenary,2021-10-28,09:00,30,,,,,,,\n"

    preview = _upload(client, bad)
    text = page_text(preview)

    assert preview.status_code == 400
    assert "Nothing was imported. Please fix the file:" in text
    assert "line 5: The start “25:00” is not a time written HH:MM." in text
    assert ("line 6: It starts on 2021-10-28, outside the event's days (2021-10-25 to 2021-10-26).") in text
    assert "Confirm the import" not in text
    assert _count(AgendaSession, event) == _count(Speaker, event) == 0


def test_csv_with_an_unknown_column_is_refused_with_the_known_ones(client, login):
    _organizer(login)

    preview = _upload(client, "title,speeker,duration\nA,B,30\n")

    assert preview.status_code == 400
    assert "Unknown column “speeker” in the header. The columns are: ref, title," in page_text(preview)


def _prepcon_export(client, fmt: str) -> bytes:
    sample.load_sample(now=utcnow())
    db.session.commit()
    response = client.get(f"/events/prepcon-2021/schedule.{fmt}")
    assert response.status_code == 200
    return response.data


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_prepcon_frab_export_imports_into_a_fresh_event(client, login, fmt):
    data = _prepcon_export(client, fmt)
    prepcon = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    published = [s for s in prepcon.sessions if s.starts_at is not None and not s.is_cancelled]
    event = _organizer(login, starts_on=prepcon.starts_on, ends_on=prepcon.ends_on, timezone=prepcon.timezone)

    preview = _upload(client, data, f"schedule.{fmt}")
    text = page_text(preview)

    assert preview.status_code == 200, text[:2000]
    assert f"{len(published)} sessions will be added" in text
    assert _count(AgendaSession, event) == 0
    _confirm(client, preview)
    db.session.expire_all()
    imported = {(s.title, s.starts_at, s.duration, s.channel.name if s.channel else None, s.kind)
                for s in db.session.scalars(select(AgendaSession).filter_by(event_id=event.id))}
    assert imported == {(s.title, s.starts_at, s.duration, s.channel.name if s.channel else None, s.kind)
                        for s in published}
    speakers_of = {s.title: [p.speaker.full_name for p in s.participations] for s in published}
    assert {s.title: [p.speaker.full_name for p in s.participations] for s in db.session.scalars(
        select(AgendaSession).filter_by(event_id=event.id))} == speakers_of

    again = page_text(_upload(client, data, f"schedule.{fmt}"))

    assert "0 sessions will be added" in again
    assert f"{len(published)} sessions are unchanged" in again


def test_frab_export_of_the_event_itself_updates_its_own_sessions(client, login):
    data = _prepcon_export(client, "json")
    prepcon = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    organizer = make_organizer(prepcon, "org@example.org")
    db.session.commit()
    login(organizer)
    before = _count(AgendaSession, prepcon)

    text = page_text(_upload(client, data, "schedule.json", slug="prepcon-2021"))

    assert "0 sessions will be added" in text
    assert "0 sessions will be updated" in text
    assert "The file changes nothing" in text
    assert _count(AgendaSession, prepcon) == before


def test_malformed_schedule_json_says_so_and_writes_nothing(client, login):
    event = _organizer(login)

    preview = _upload(client, b'{"schedule": {}}', "schedule.json")

    assert preview.status_code == 400
    assert "This JSON is not a c3voc schedule (schedule.conference.days is missing)." in page_text(preview)
    assert _count(AgendaSession, event) == 0


def test_confirm_refuses_when_the_agenda_changed_since_the_preview(client, login):
    event = _organizer(login)
    preview = _upload(client, CSV)
    make_session(event, title="Added by a colleague meanwhile")
    db.session.commit()

    done = _confirm(client, preview)

    assert done.status_code == 409
    assert "The agenda changed since the preview, so nothing was imported." in page_text(done)
    assert _count(AgendaSession, event) == 1
    assert "3 sessions will be added" in page_text(done)  # the fresh preview, confirmable again
    assert "Confirm the import" in page_text(done)


def test_confirm_refuses_a_tampered_file(client, login):
    event = _organizer(login)
    preview = _upload(client, CSV)

    done = _confirm(client, preview, payload="eJwrSS0uAQAEXQHB")  # zlib of "test", not the previewed file

    assert done.status_code == 400
    assert _count(AgendaSession, event) == 0


def test_existing_speakers_and_channels_are_matched_by_name(client, login):
    event = _organizer(login)
    make_speaker(event, honorific="Mr.", name="Alan Turing")
    make_channel(event, name="Plenary Hall", slug="plenary")
    db.session.commit()

    text = page_text(_upload(client, CSV))

    assert "New speakers: H.E. Ms. Ada Lovelace" in text
    assert "New channels" not in text


def test_a_file_over_the_size_limit_is_refused(client, login, app):
    app.config["IMPORT_MAX_BYTES"] = 1000
    event = _organizer(login)

    response = _upload(client, CSV + "x" * 2000)

    assert response.status_code == 400
    assert "The file is larger than" in page_text(response)
    assert _count(AgendaSession, event) == 0


def test_someone_who_organizes_another_event_cannot_import(client, login):
    event = make_event(slug="imports")
    other = make_event(slug="other")
    stranger = make_organizer(other, "stranger@example.org")
    delegate = make_user("delegate@example.org")
    db.session.commit()

    for user in (stranger, delegate):
        login(user)
        assert client.get("/manage/events/imports/sessions/import").status_code in (403, 404)
        assert _upload(client, CSV).status_code in (403, 404)
    assert _count(AgendaSession, event) == 0


def test_import_page_and_preview_read_in_french(client, login):
    _organizer(login)
    client.get("/manage/")  # shows (and so clears) the English "logged out" flash of the login fixture
    phrases = english_phrases(french_catalogue())

    page = client.get("/manage/events/imports/sessions/import?lang=fr")
    bad = client.post("/manage/events/imports/sessions/import?lang=fr",
                      data={"file": (BytesIO((CSV + "S9,X,plenary,2021-10-25,9h99,30,,,,,,,\n").encode()), "s.csv")},
                      content_type="multipart/form-data")
    good = client.post("/manage/events/imports/sessions/import?lang=fr", data={"file": (BytesIO(CSV.encode()),
                                                                                       "s.csv")},
                       content_type="multipart/form-data")

    assert "Importer des séances" in page_text(page)
    assert "ligne 5 : Le début « 9h99 » n’est pas une heure écrite HH:MM." in page_text(bad)
    assert "3 séances seront ajoutées" in page_text(good)
    content = ["Opening of the conference", "Panel on medical support", "Plenary hall", "Safety and Security",
               "H.E. Ms. Ada Lovelace", "Mr. Alan Turing", "medical support"]
    for response in (page, bad, good):
        assert english_found(visible_text(response, content), phrases) == []


def test_csv_without_day_and_start_columns_keeps_the_start_of_the_sessions_it_updates(client, login):
    event = _organizer(login)
    _confirm(client, _upload(client, CSV))

    preview = _upload(client, "ref,title,duration\nS1,Opening of the conference (revised),30\n")
    text = page_text(preview)

    assert "1 session will be updated" in text
    assert "H.E. Ms. Ada Lovelace; Mr. Alan Turing Title Upload another file" in text  # only the title changes
    _confirm(client, preview)
    db.session.expire_all()
    opening = db.session.scalar(select(AgendaSession).filter_by(event_id=event.id, import_key="S1"))
    assert opening.title == "Opening of the conference (revised)"
    assert opening.starts_at == datetime(2021, 10, 25, 13, 0, tzinfo=UTC)
    assert [p.speaker.full_name for p in opening.participations] == ["H.E. Ms. Ada Lovelace", "Mr. Alan Turing"]


def test_a_schedule_imported_on_the_command_line_is_matched_again_on_the_page(client, login, app, tmp_path):
    """Both doors key a schedule's sessions by their guid: the page updates what `confman import-schedule` made,
    never adds it twice."""
    data = _prepcon_export(client, "json")
    prepcon = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    published = [s for s in prepcon.sessions if s.starts_at is not None and not s.is_cancelled]
    (tmp_path / "schedule.json").write_bytes(data)
    result = app.test_cli_runner().invoke(args=["import-schedule", str(tmp_path / "schedule.json"),
                                                "--event", "from-cli"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(select(Event).filter_by(slug="from-cli"))
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    login(organizer)

    text = page_text(_upload(client, data, "schedule.json", slug="from-cli"))

    assert "0 sessions will be added" in text and f"{len(published)} sessions are unchanged" in text
    assert _count(AgendaSession, event) == len(published)
