"""The timetable editor's JSON endpoints: a day's grid, what-if checks, moving, resizing and creating sessions."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, AuditEntry, Participation, SessionKind
from confman.services import publication

from conftest import page_text
from factories import NOW, make_channel, make_event, make_organizer, make_session, make_speaker


@pytest.fixture
def grid(app):
    event = make_event(slug="grid", timezone="Europe/Amsterdam", starts_on=date(2021, 10, 25),
                       ends_on=date(2021, 10, 26))
    plenary = make_channel(event, name="Plenary")
    side = make_channel(event, name="Side room")
    minister = make_speaker(event, name="Ana Minister")
    opening = make_session(event, title="Opening", channel=plenary, kind=SessionKind.OPENING,
                           starts_at=datetime(2021, 10, 25, 7, 0, tzinfo=UTC), duration=timedelta(minutes=60))
    panel = make_session(event, title="Panel", channel=side, kind=SessionKind.PANEL,
                         starts_at=datetime(2021, 10, 25, 9, 0, tzinfo=UTC), duration=timedelta(minutes=60))
    for item in (opening, panel):
        item.participations.append(Participation(speaker=minister, created_at=NOW))
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    return event, plenary, side, opening, panel, organizer


def _fresh(item):
    db.session.expire_all()  # the requests ran in their own sessions
    return db.session.get(AgendaSession, item.id)


def _place(client, item, **values):
    body = {"version": item.version, "starts_at": item.starts_at.isoformat() if item.starts_at else None,
            "duration": int(item.duration.total_seconds() // 60), "channel_id": item.channel_id}
    body.update(values)
    return client.post(f"/manage/events/grid/timetable/sessions/{item.id}", json=body)


def test_the_day_lists_channels_sessions_and_the_window_in_the_event_zone(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)

    data = client.get("/manage/events/grid/timetable/day.json?day=2021-10-25").get_json()

    assert [c["name"] for c in data["channels"]] == ["Plenary", "Side room"]
    assert [(s["title"], s["starts_at"], s["duration"], s["channel_id"]) for s in data["sessions"]] == [
        ("Opening", "2021-10-25T07:00:00+00:00", 60, plenary.id), ("Panel", "2021-10-25T09:00:00+00:00", 60, side.id)]
    assert data["window"] == {"start": "2021-10-25T06:00:00+00:00", "end": "2021-10-25T17:00:00+00:00"}  # 08–19 CEST
    assert data["step"] == 5 and data["timezone"] == "Europe/Amsterdam"
    assert data["sessions"][0]["version"] == opening.version


def test_conflicts_json_says_what_the_problems_page_says(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)
    opening.starts_at = panel.starts_at  # the minister in two places at once
    db.session.commit()

    data = client.get("/manage/events/grid/timetable/day.json?day=2021-10-25").get_json()
    page = page_text(client.get("/manage/events/grid/problems"))

    messages = [p["message"] for p in data["problems"]]
    assert "Ana Minister is booked in two overlapping sessions: “Opening” and “Panel”." in messages
    for message in messages:
        assert message in page


def test_a_what_if_check_finds_the_clash_of_a_proposed_drop_and_changes_nothing(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)
    body = {"session_id": opening.id, "starts_at": "2021-10-25T09:30:00+00:00", "duration": 60,
            "channel_id": side.id}

    problems = client.post("/manage/events/grid/timetable/check", json=body).get_json()["problems"]

    assert {p["message"] for p in problems} >= {
        "Ana Minister is booked in two overlapping sessions: “Panel” and “Opening”.",
        "“Panel” and “Opening” overlap in Side room.",
    }
    assert _fresh(opening).starts_at == datetime(2021, 10, 25, 7, 0, tzinfo=UTC)
    # The same placement, saved, gives the problems page the same words.
    _place(client, opening, starts_at="2021-10-25T09:30:00+00:00", channel_id=side.id)
    page = page_text(client.get("/manage/events/grid/problems"))
    assert all(p["message"] in page for p in problems)


def test_moving_and_resizing_save_through_the_session_services_with_the_version(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)
    version, sequence = opening.version, opening.sequence

    moved = _place(client, opening, starts_at="2021-10-25T10:15:00+02:00", channel_id=side.id)
    resized = _place(client, _fresh(opening), duration=45)

    item = _fresh(opening)
    assert moved.status_code == 200 and resized.status_code == 200
    assert (item.starts_at, item.channel_id, item.duration) == (
        datetime(2021, 10, 25, 8, 15, tzinfo=UTC), side.id, timedelta(minutes=45))
    assert item.version == version + 2 and item.sequence == sequence + 2
    assert resized.get_json()["session"]["version"] == item.version
    actions = db.session.scalars(select(AuditEntry.action).filter_by(target_id=item.id)).all()
    assert actions[-2:] == ["session.moved", "session.updated"]
    # Unpublished until Publish: the public agenda still has the old time.
    public = publication.public_agenda(event)
    assert public is None or all(s.starts_at != item.starts_at for s in public.sessions)


def test_a_stale_version_is_refused_with_both_values(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)
    stale = opening.version
    _place(client, opening, starts_at="2021-10-25T08:00:00+00:00")

    response = _place(client, opening, version=stale, starts_at="2021-10-25T12:00:00+00:00", duration=30)

    data = response.get_json()
    assert response.status_code == 409 and data["conflict"]
    assert data["mine"] == {"starts_at": "2021-10-25T12:00:00+00:00", "duration": 30, "channel_id": plenary.id}
    assert data["theirs"]["starts_at"] == "2021-10-25T08:00:00+00:00" and data["theirs"]["version"] == stale + 1
    assert "changed by someone else" in data["message"]
    assert [c["summary"] for c in data["changes"]] == ["Moved “Opening”"]
    assert _fresh(opening).starts_at == datetime(2021, 10, 25, 8, 0, tzinfo=UTC)


def test_a_fixed_start_moves_only_once_unlocked(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    opening.is_fixed = True
    db.session.commit()
    login(organizer)

    locked = _place(client, opening, starts_at="2021-10-25T08:00:00+00:00")
    resized = _place(client, opening, duration=90)
    unlocked = _place(client, _fresh(opening), starts_at="2021-10-25T08:00:00+00:00",
                      unlocked=True)

    assert locked.status_code == 409 and "fixed start" in locked.get_json()["error"]
    assert resized.status_code == 200 and unlocked.status_code == 200


@pytest.mark.parametrize(("values", "message"), [
    ({"starts_at": "10:00"}, "The start must be a date and time with its UTC offset."),
    ({"starts_at": "2021-10-25T10:00:00"}, "The start must be a date and time with its UTC offset."),
    ({"duration": 0}, "The duration must be between 1 and 1440 minutes."),
    ({"duration": "60"}, "“duration” must be a whole number."),
    ({"channel_id": 99999}, "Choose one of the event's channels."),
    ({"version": None}, "“version” must be a whole number."),
])
def test_a_bad_placement_is_refused_with_words_and_changes_nothing(client, login, grid, values, message):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)

    response = _place(client, opening, **values)

    assert response.status_code == 400 and response.get_json()["error"] == message
    assert _fresh(opening).version == opening.version


def test_creating_from_a_dragged_stretch(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)

    response = client.post("/manage/events/grid/timetable/sessions", json={
        "title": " Coffee ", "kind": "break", "starts_at": "2021-10-25T08:00:00+00:00", "duration": 20,
        "channel_id": plenary.id})
    empty = client.post("/manage/events/grid/timetable/sessions", json={
        "title": " ", "starts_at": "2021-10-25T08:00:00+00:00", "duration": 20, "channel_id": plenary.id})

    assert response.status_code == 201
    created = response.get_json()["session"]
    assert (created["title"], created["kind"], created["duration"]) == ("Coffee", "break", 20)
    assert empty.status_code == 400 and empty.get_json()["error"] == "A session needs a title."
    assert db.session.scalars(select(AuditEntry.action).filter_by(target_id=created["id"])).all() == [
        "session.created"]


def test_another_events_organizer_can_neither_read_nor_move(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    other = make_event(slug="other")
    outsider = make_organizer(other, "outsider@example.org")
    db.session.commit()
    login(outsider)

    assert client.get("/manage/events/grid/timetable/day.json").status_code in (403, 404)
    assert _place(client, opening, starts_at="2021-10-25T08:00:00+00:00").status_code in (403, 404)
    assert client.post(f"/manage/events/other/timetable/sessions/{opening.id}", json={}).status_code == 404
    assert _fresh(opening).version == opening.version


def test_a_change_without_the_csrf_header_is_refused(app, client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get(f"/manage/events/grid/sessions/{opening.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    refused = _place(client, opening, starts_at="2021-10-25T08:00:00+00:00")
    accepted = client.post(f"/manage/events/grid/timetable/sessions/{opening.id}", headers={"X-CSRFToken": token},
                           json={"version": opening.version, "starts_at": "2021-10-25T08:00:00+00:00",
                                 "duration": 60, "channel_id": plenary.id})

    assert refused.status_code == 400 and "Nothing was changed" in page_text(refused)
    assert accepted.status_code == 200


def test_a_session_taken_off_the_grid_waits_unscheduled(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)

    off = _place(client, opening, starts_at=None)
    data = client.get("/manage/events/grid/timetable/day.json?day=2021-10-25").get_json()
    problems = page_text(client.get("/manage/events/grid/problems"))
    edit = client.get(f"/manage/events/grid/sessions/{opening.id}")
    speakers_page = client.get("/manage/events/grid/speakers/")
    listed = page_text(client.get("/manage/events/grid/sessions/"))
    back = _place(client, _fresh(opening), starts_at="2021-10-25T08:00:00+00:00")

    assert off.status_code == 200 and off.get_json()["session"]["starts_at"] is None
    assert [s["title"] for s in data["unscheduled"]] == ["Opening"]
    assert [s["title"] for s in data["sessions"]] == ["Panel"]
    assert "“Opening”" not in problems  # a session without a slot clashes with nothing
    assert edit.status_code == 200 and "unscheduled" in page_text(edit)
    assert speakers_page.status_code == 200
    assert "Unscheduled These sessions have no start yet" in listed and "Opening (Opening, 1 h)" in listed
    assert back.status_code == 200 and _fresh(opening).starts_at == datetime(2021, 10, 25, 8, 0, tzinfo=UTC)


def test_without_javascript_the_session_form_schedules_an_unscheduled_session(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    login(organizer)
    _place(client, opening, starts_at=None)

    response = client.post(f"/manage/events/grid/sessions/{opening.id}", data={
        "title": "Opening", "kind": "opening", "theme_id": "None", "starts_at": "2021-10-25T11:00",
        "duration": "60", "channel_id": str(plenary.id), "description": "", "notes": "",
        "version": str(_fresh(opening).version)})

    assert response.status_code == 302
    assert _fresh(opening).starts_at == datetime(2021, 10, 25, 9, 0, tzinfo=UTC)  # 11:00 CEST


def test_an_unscheduled_session_leaves_the_public_agenda_only_when_published(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    publication.publish_agenda(event, actor=organizer, now=NOW)
    db.session.commit()
    login(organizer)

    _place(client, opening, starts_at=None)
    before = page_text(client.get("/events/grid/agenda"))
    pending = page_text(client.get("/manage/events/grid/publish"))
    publication.publish_agenda(_fresh(opening).event, actor=None, now=NOW + timedelta(hours=1))
    db.session.commit()
    after = page_text(client.get("/events/grid/agenda"))

    assert "Opening" in before and "Panel" in before
    assert "Removed “Opening”" in pending
    assert "Opening" not in after and "Panel" in after


def test_speakers_in_bulk_search_add_create_and_order(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    envoy = make_speaker(event, name="Bo Envoy", title="Special Envoy")
    make_speaker(event, name="Cy Other", title="Adviser")
    db.session.commit()
    login(organizer)
    base = f"/manage/events/grid/timetable/sessions/{opening.id}"

    found = client.get("/manage/events/grid/timetable/speakers.json?q=envo").get_json()["speakers"]
    added = client.post(f"{base}/speakers", json={"add": [envoy.id], "create": [
        {"honorific": "H.E.", "name": "Dee New", "title": "Minister"}]}).get_json()
    again = client.post(f"{base}/speakers", json={"add": [envoy.id]})
    ids = [s["id"] for s in added["speakers"]]
    ordered = client.post(f"{base}/speaking-order", json={"order": list(reversed(ids))}).get_json()
    partial = client.post(f"{base}/speaking-order", json={"order": ids[:1]})

    assert [s["name"] for s in found] == ["Bo Envoy"]
    assert added["names"] == ["Ana Minister", "Bo Envoy", "H.E. Dee New"]
    assert again.status_code == 400 and "already takes part" in again.get_json()["error"]
    assert ordered["names"] == ["H.E. Dee New", "Bo Envoy", "Ana Minister"]
    assert partial.status_code == 400
    session_page = page_text(client.get(f"/manage/events/grid/sessions/{opening.id}"))
    assert session_page.index("H.E. Dee New") < session_page.index("Bo Envoy") < session_page.index("Ana Minister")
    assert "order set by hand" in session_page


def test_speakers_of_another_event_cannot_be_added(client, login, grid):
    event, plenary, side, opening, panel, organizer = grid
    other = make_event(slug="other")
    stranger = make_speaker(other, name="Stranger")
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/grid/timetable/sessions/{opening.id}/speakers",
                           json={"add": [stranger.id]})

    assert response.status_code == 404
    assert [p.speaker_id for p in _fresh(opening).participations] != [stranger.id]
