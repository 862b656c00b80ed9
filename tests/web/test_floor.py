"""The list of speakers through the real doors: organizers open it, focal points inscribe, the chair calls it, and
everyone reads it (HTML, JSON, CSV, live.json)."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AuditEntry, Inscription, InscriptionStatus, OrganizationKind, SpeakersList
from confman.services import live, publication

from conftest import page_text
from factories import (
    make_channel,
    make_delegation,
    make_event,
    make_moderator,
    make_organization,
    make_organizer,
    make_session,
    make_speakers_list,
    make_user,
)

T0 = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)
CLOCK = {"now": T0 - timedelta(days=1)}


@pytest.fixture
def app_config():
    return {"TESTING_NOW": lambda: CLOCK["now"], "LIVE_STATE_TTL_SECONDS": 0}


@pytest.fixture
def floor_world(app):
    CLOCK["now"] = T0 - timedelta(days=1)
    event = make_event(slug="prepcon")
    channel = make_channel(event, slug="plenary", name="Plenary")
    item = make_session(event, channel=channel, title="General debate", starts_at=T0, duration=timedelta(hours=2))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=2))
    speakers_list = make_speakers_list(item)
    people = {"organizer": make_organizer(event), "moderator": make_moderator(event)}
    delegations = {}
    for name, code in (("Ghana", "GH"), ("Peru", "PE"), ("Fiji", "FJ")):
        focal = make_user(f"focal.{code.lower()}@example.org")
        delegations[name] = make_delegation(event, make_organization(name=name, country_code=code,
                                                                     kind=OrganizationKind.MEMBER_STATE),
                                            focal_point=focal)
        people[name] = focal
    db.session.commit()
    return event, item, speakers_list, people, delegations


def inscribe(client, item, delegation, name, rank="other", **extra):
    return client.post(f"/account/events/prepcon/sessions/{item.id}/inscribe", data={
        "delegation": delegation.id, "speaker_name": name, "honorific": "H.E.", "speaker_title": "Minister",
        "protocol_rank": rank, **extra})


def test_focal_point_inscribes_and_the_public_list_follows_protocol_order(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    for country, rank in (("Ghana", "permanent_representative"), ("Peru", "minister"), ("Fiji", "other")):
        login(people[country])
        assert inscribe(client, item, delegations[country], f"Speaker of {country}", rank).status_code == 303
        CLOCK["now"] += timedelta(minutes=1)
    client.post("/logout")

    page = client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers")
    data = client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers.json").get_json()
    rows = list(csv.reader(io.StringIO(
        client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers.csv").get_data(as_text=True)[1:])))

    assert page.status_code == 200
    text = page_text(page)
    assert text.index("H.E. Speaker of Peru") < text.index("H.E. Speaker of Ghana") < text.index(
        "H.E. Speaker of Fiji")
    assert [(e["place"], e["delegations"], e["status"]) for e in data["entries"]] == [
        (1, ["Peru"], "pending"), (2, ["Ghana"], "pending"), (3, ["Fiji"], "pending")]
    assert [r[:3] for r in rows[1:]] == [["1", "Peru", "H.E. Speaker of Peru"], ["2", "Ghana", "H.E. Speaker of Ghana"],
                                         ["3", "Fiji", "H.E. Speaker of Fiji"]]


def test_second_inscription_of_a_delegation_is_refused_and_outsiders_get_404(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    login(people["Ghana"])
    inscribe(client, item, delegations["Ghana"], "First")

    again = inscribe(client, item, delegations["Ghana"], "Second")
    outsider_user = make_user("someone@example.org")
    db.session.commit()
    login(outsider_user)
    outsider = client.get(f"/account/events/prepcon/sessions/{item.id}/inscribe")

    assert again.status_code == 400
    assert "Ghana is already inscribed on this list." in page_text(again)
    assert outsider.status_code == 404
    assert db.session.scalar(select(func.count(Inscription.id))) == 1


def test_a_focal_point_cannot_inscribe_another_delegation(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    login(people["Ghana"])

    response = inscribe(client, item, delegations["Peru"], "Usurper")

    assert response.status_code == 400  # Peru is not among the form's choices
    assert db.session.scalar(select(func.count(Inscription.id))) == 0


def test_full_list_and_closed_window_refuse_cleanly(client, login, floor_world):
    event, item, speakers_list, people, delegations = floor_world
    speakers_list.cap = 1
    db.session.commit()
    login(people["Ghana"])
    inscribe(client, item, delegations["Ghana"], "First")
    login(people["Peru"])

    full = inscribe(client, item, delegations["Peru"], "Second")
    db.session.get(SpeakersList, item.id).cap = None
    db.session.get(SpeakersList, item.id).closes_at = CLOCK["now"] - timedelta(minutes=1)
    db.session.commit()
    closed = inscribe(client, item, delegations["Peru"], "Second")

    assert full.status_code == 400 and "is full (1 entries)" in page_text(full)
    assert closed.status_code == 400 and "are not open now" in page_text(closed)
    assert db.session.scalar(select(func.count(Inscription.id))) == 1


def test_joint_statement_is_one_entry_naming_every_delegation(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    login(people["Ghana"])

    inscribe(client, item, delegations["Ghana"], "Group speaker", joint=[delegations["Fiji"].id])
    login(people["Fiji"])
    fiji_alone = inscribe(client, item, delegations["Fiji"], "Fiji speaker")

    entries = client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers.json").get_json()["entries"]
    assert [e["delegations"] for e in entries] == [["Ghana", "Fiji"]]
    assert "Fiji is already inscribed" in page_text(fiji_alone)


def test_focal_point_changes_and_withdraws_until_the_window_closes(client, login, floor_world):
    event, item, speakers_list, people, delegations = floor_world
    login(people["Ghana"])
    inscribe(client, item, delegations["Ghana"], "First speaker")
    entry = db.session.scalar(select(Inscription))

    changed = client.post(f"/account/events/prepcon/inscriptions/{entry.id}", data={
        "speaker_name": "Other speaker", "honorific": "Ms.", "speaker_title": "", "protocol_rank": "minister"})
    mine = page_text(client.get("/account/events/prepcon/inscriptions"))
    db.session.get(SpeakersList, item.id).closes_at = CLOCK["now"]
    db.session.commit()
    late = client.post(f"/account/events/prepcon/inscriptions/{entry.id}/withdraw", follow_redirects=True)

    assert changed.status_code == 303
    assert "Ms. Other speaker" in mine
    assert "The inscription window has closed" in page_text(late)
    db.session.expire_all()
    assert db.session.get(Inscription, entry.id).status == InscriptionStatus.PENDING
    db.session.get(SpeakersList, item.id).closes_at = None
    db.session.commit()
    client.post(f"/account/events/prepcon/inscriptions/{entry.id}/withdraw")
    db.session.expire_all()
    assert db.session.get(Inscription, entry.id).status == InscriptionStatus.WITHDRAWN
    assert client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers.json").get_json()["entries"] == []


def test_approved_delegates_inscribe_only_where_the_list_allows_it(client, login, floor_world):
    from confman.models import RegistrationStatus

    from factories import make_registration

    event, item, speakers_list, people, delegations = floor_world
    member = make_user("member@example.org")
    make_registration(event, user=member, email=member.email, delegation=delegations["Peru"],
                      status=RegistrationStatus.APPROVED)
    db.session.commit()
    login(member)

    refused = client.get(f"/account/events/prepcon/sessions/{item.id}/inscribe")
    db.session.get(SpeakersList, item.id).delegates_may_inscribe = True
    db.session.commit()
    allowed = inscribe(client, item, delegations["Peru"], "Member speaker")

    assert refused.status_code == 404
    assert allowed.status_code == 303


def test_organizer_configures_the_list_and_a_bad_window_changes_nothing(client, login, floor_world):
    event, item, _, people, _ = floor_world
    other = make_session(event, title="Panel")
    db.session.commit()
    login(people["organizer"])
    url = f"/manage/events/prepcon/sessions/{other.id}/list-of-speakers"
    form = {"is_open": "y", "opens_at": "2021-10-20T09:00", "closes_at": "2021-10-24T18:00",
            "categories": ["member_state", "observer"], "time_limit_minutes": "5", "max_per_delegation": "1",
            "cap": "120"}

    bad = client.post(url, data={**form, "closes_at": "2021-10-19T09:00"})
    good = client.post(url, data=form)

    assert bad.status_code == 400 and "must close after it opens" in page_text(bad)
    assert good.status_code == 303
    saved = db.session.get(SpeakersList, other.id)
    assert (saved.cap, saved.categories, saved.default_time_limit) == (120, ["member_state", "observer"],
                                                                      timedelta(minutes=5))
    assert saved.closes_at == datetime(2021, 10, 24, 22, 0, tzinfo=UTC)  # 18:00 in New York
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "floor.list_configured"


def test_organizer_moves_an_entry_with_a_reason_and_undoes_it(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    for country in ("Ghana", "Peru"):
        login(people[country])
        inscribe(client, item, delegations[country], country)
        CLOCK["now"] += timedelta(minutes=1)
    peru = db.session.scalar(select(Inscription).where(Inscription.speaker_name == "Peru"))
    login(people["organizer"])
    base = f"/manage/events/prepcon/sessions/{item.id}/list-of-speakers"

    no_reason = client.post(f"{base}/{peru.id}/move", data={f"move-{peru.id}-position": "1"}, follow_redirects=True)
    client.post(f"{base}/{peru.id}/move", data={f"move-{peru.id}-position": "1",
                                               f"move-{peru.id}-reason": "Minister leaves for a vote"})
    moved = client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers.json").get_json()["entries"]
    client.post(f"{base}/undo")
    undone = client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers.json").get_json()["entries"]

    assert "Give the reason" in page_text(no_reason)
    assert [e["delegations"][0] for e in moved] == ["Peru", "Ghana"]
    assert [e["delegations"][0] for e in undone] == ["Ghana", "Peru"]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("floor.%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["floor.inscription_moved", "floor.move_undone"]


def test_moderator_calls_the_list_and_live_json_shows_who_speaks_and_the_next_three(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    for country in ("Ghana", "Peru", "Fiji"):
        login(people[country])
        inscribe(client, item, delegations[country], f"Speaker {country}")
        CLOCK["now"] += timedelta(seconds=30)
    CLOCK["now"] = T0 + timedelta(minutes=1)
    login(people["moderator"])
    live.start_session(item, actor=people["moderator"], now=T0, version=live.state_version(event, item.channel_id))
    db.session.commit()
    before = client.get("/events/prepcon/live.json")

    console = client.get("/moderate/prepcon/?channel=plenary&day=2021-10-25")
    called = client.post("/moderate/prepcon/floor", data={
        "action": "call_next", "session_id": item.id, "version": live.state_version(event, item.channel_id),
        "channel": "plenary", "day": "2021-10-25"})
    after = client.get("/events/prepcon/live.json", headers={"If-None-Match": before.headers["ETag"]})
    page = client.get("/events/prepcon/live")

    assert "Call next from the list (3 waiting)" in page_text(console)
    assert called.status_code == 303
    assert after.status_code == 200
    floor_now = after.get_json()["channels"][0]["now"]["floor"]
    assert floor_now["speaking"]["name"] == "H.E. Speaker Ghana"
    assert floor_now["speaking"]["delegations"] == ["Ghana"]
    assert [p["name"] for p in floor_now["next"]] == ["H.E. Speaker Peru", "H.E. Speaker Fiji"]
    assert "Now speaking: H.E. Speaker Ghana (Ghana)" in page_text(page)


def test_moderator_marks_turns_adds_from_the_floor_and_a_stale_console_is_refused(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    login(people["Ghana"])
    inscribe(client, item, delegations["Ghana"], "Ghana speaker")
    CLOCK["now"] = T0 + timedelta(minutes=1)
    login(people["moderator"])
    base = {"session_id": item.id, "channel": "plenary", "day": "2021-10-25"}
    version = live.state_version(event, item.channel_id)
    client.post("/moderate/prepcon/floor", data={**base, "action": "call_next", "version": version})
    ghana = db.session.scalar(select(Inscription))

    stale = client.post("/moderate/prepcon/floor", data={**base, "action": "yielded", "version": version,
                                                         "inscription_id": ghana.id}, follow_redirects=True)
    version = live.state_version(event, item.channel_id)
    client.post("/moderate/prepcon/floor", data={**base, "action": "yielded", "version": version,
                                                 "inscription_id": ghana.id})
    client.post("/moderate/prepcon/floor", data={
        **base, "action": "late", "version": version + 1, "delegation": delegations["Fiji"].id,
        "speaker_name": "Floor speaker", "honorific": "", "speaker_title": "", "protocol_rank": "other"})

    assert "Another moderator changed the list" in page_text(stale)
    entries = client.get(f"/events/prepcon/sessions/{item.id}/list-of-speakers.json").get_json()["entries"]
    assert [(e["delegations"], e["status"], e["from_floor"]) for e in entries] == [
        (["Ghana"], "yielded", False), (["Fiji"], "pending", True)]


def test_list_json_answers_304_until_the_list_changes(client, login, floor_world):
    event, item, _, people, delegations = floor_world
    url = f"/events/prepcon/sessions/{item.id}/list-of-speakers.json"
    first = client.get(url)
    same = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    login(people["Ghana"])
    inscribe(client, item, delegations["Ghana"], "Speaker")

    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert (same.status_code, changed.status_code) == (304, 200)
    assert len(changed.get_json()["entries"]) == 1


def test_list_of_a_session_without_one_or_unpublished_is_404(client, floor_world):
    event, item, *_ = floor_world
    draft = make_session(event, title="Unpublished")
    make_speakers_list(draft)
    db.session.commit()

    assert client.get(f"/events/prepcon/sessions/{draft.id}/list-of-speakers").status_code == 404
    assert client.get("/events/prepcon/sessions/999999/list-of-speakers.json").status_code == 404


def test_a_french_focal_point_reads_the_lists_refusals_in_french(client, login, floor_world):
    _, item, _, people, delegations = floor_world
    login(people["Ghana"])
    inscribe(client, item, delegations["Ghana"], "First")

    again = client.post(f"/account/events/prepcon/sessions/{item.id}/inscribe?lang=fr", data={
        "delegation": delegations["Ghana"].id, "speaker_name": "Second", "honorific": "H.E.",
        "speaker_title": "Minister", "protocol_rank": "other"})

    assert again.status_code == 400
    assert "Ghana est déjà inscrit(e) sur cette liste." in page_text(again)
    assert "already inscribed" not in page_text(again)
