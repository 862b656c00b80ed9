"""Two moderators running two channels of one event: their live states, versions and undo logs are their own."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, SessionStatus
from confman.services import publication

from conftest import PASSWORD, page_text
from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)  # 08:00 in New York
DAY = "2021-10-25"


@pytest.fixture
def app_config():
    return {"TESTING_NOW": T0 + timedelta(minutes=5), "LIVE_STATE_TTL_SECONDS": 0}


@pytest.fixture
def two_channels(app):
    event = make_event(slug="prepcon")
    plenary = make_channel(event, slug="plenary", name="Plenary")
    side = make_channel(event, slug="side", name="Side room")
    for channel, prefix in ((plenary, "Plenary"), (side, "Side")):
        make_session(event, channel=channel, title=f"{prefix} opening", starts_at=T0, duration=timedelta(minutes=30))
        make_session(event, channel=channel, title=f"{prefix} panel", starts_at=T0 + timedelta(minutes=30),
                     duration=timedelta(minutes=60))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
    moderators = [make_moderator(event, email=f"{name}@example.org") for name in ("amina", "bruno", "chen")]
    db.session.commit()
    clients = []
    for moderator in moderators:
        client = app.test_client()
        assert client.post("/login", data={"email": moderator.email, "password": PASSWORD}).status_code == 302
        clients.append(client)
    return event, clients


def console(client, channel):
    """The console of a channel as its moderator loads it, and the live-state version its buttons carry."""
    page = client.get(f"/moderate/prepcon/?channel={channel}&day={DAY}")
    versions = set(re.findall(r'name="version" value="(\d+)"', page.get_data(as_text=True)))
    assert len(versions) == 1
    return page, int(versions.pop())


def act(client, channel, version, action, title=None, **extra):
    data = {"action": action, "version": str(version), "channel": channel, "day": DAY, **extra}
    if title is not None:
        data["session_id"] = str(db.session.scalar(select(AgendaSession.id).filter_by(title=title)))
    return page_text(client.post("/moderate/prepcon/act", data=data, follow_redirects=True))


def status(title):
    db.session.expire_all()
    return db.session.scalar(select(AgendaSession.status).filter_by(title=title))


def test_moderators_of_two_channels_act_on_the_versions_they_loaded_and_both_succeed(two_channels):
    event, (amina, bruno, _) = two_channels
    _, plenary_version = console(amina, "plenary")
    _, side_version = console(bruno, "side")

    started_plenary = act(amina, "plenary", plenary_version, "start", "Plenary opening")
    started_side = act(bruno, "side", side_version, "start", "Side opening")
    delayed_plenary = act(amina, "plenary", plenary_version + 1, "delay", minutes="10")
    delayed_side = act(bruno, "side", side_version + 1, "delay", minutes="5")

    assert "Started “Plenary opening”." in started_plenary
    assert "Started “Side opening”." in started_side
    assert "Running late by 10 min before “Plenary panel”." in delayed_plenary
    assert "Running late by 5 min before “Side panel”." in delayed_side
    for text in (started_plenary, started_side, delayed_plenary, delayed_side):
        assert "Another moderator changed the running order" not in text
    assert (status("Plenary opening"), status("Side opening")) == (SessionStatus.LIVE, SessionStatus.LIVE)
    assert console(amina, "plenary")[1] == 2
    assert console(bruno, "side")[1] == 2


def test_undo_on_a_channel_undoes_that_channels_last_action_only(two_channels):
    event, (amina, bruno, _) = two_channels
    act(bruno, "side", 0, "start", "Side opening")
    act(amina, "plenary", 0, "start", "Plenary opening")  # the event's last action: on the other channel
    page, side_version = console(bruno, "side")

    assert "Undo: Started “Side opening”" in page_text(page)
    undone = act(bruno, "side", side_version, "undo")

    assert "Undone: Started “Side opening”." in undone
    assert status("Side opening") == SessionStatus.SCHEDULED
    assert status("Plenary opening") == SessionStatus.LIVE
    assert "Undo: Started “Plenary opening”" in page_text(console(amina, "plenary")[0])
    assert "Undo:" not in page_text(console(bruno, "side")[0])


def test_a_stale_action_on_the_same_channel_is_refused_with_the_stale_message(two_channels):
    event, (amina, bruno, chen) = two_channels
    _, seen_by_amina = console(amina, "plenary")
    _, seen_by_chen = console(chen, "plenary")
    act(bruno, "side", console(bruno, "side")[1], "start", "Side opening")

    applied = act(amina, "plenary", seen_by_amina, "start", "Plenary opening")
    refused = act(chen, "plenary", seen_by_chen, "delay", minutes="15")

    assert "Started “Plenary opening”." in applied
    assert ("Another moderator changed the running order after this page was loaded, so your action was not "
            "applied.") in refused
    assert db.session.scalar(select(AgendaSession.announced_delay).filter_by(title="Plenary panel")) is None


def test_live_json_changes_its_etag_on_either_channels_action_and_answers_304_otherwise(two_channels):
    event, (amina, bruno, _) = two_channels
    public = amina.application.test_client()
    first = public.get("/events/prepcon/live.json")

    unchanged = public.get("/events/prepcon/live.json", headers={"If-None-Match": first.headers["ETag"]})
    act(bruno, "side", 0, "start", "Side opening")
    after_side = public.get("/events/prepcon/live.json", headers={"If-None-Match": first.headers["ETag"]})
    act(amina, "plenary", 0, "start", "Plenary opening")
    after_plenary = public.get("/events/prepcon/live.json", headers={"If-None-Match": after_side.headers["ETag"]})
    act(bruno, "side", 1, "undo")
    after_undo = public.get("/events/prepcon/live.json", headers={"If-None-Match": after_plenary.headers["ETag"]})
    still = public.get("/events/prepcon/live.json", headers={"If-None-Match": after_undo.headers["ETag"]})

    assert unchanged.status_code == 304
    assert (after_side.status_code, after_plenary.status_code, after_undo.status_code) == (200, 200, 200)
    assert len({first.headers["ETag"], after_side.headers["ETag"], after_plenary.headers["ETag"],
                after_undo.headers["ETag"]}) == 4
    assert still.status_code == 304
    channels = {c["name"]: c for c in after_plenary.get_json()["channels"]}
    assert channels["Side room"]["now"]["title"] == "Side opening"
    assert channels["Plenary"]["now"]["title"] == "Plenary opening"


def test_each_channels_console_polls_its_own_version(two_channels):
    event, (amina, bruno, _) = two_channels
    act(amina, "plenary", 0, "start", "Plenary opening")
    act(amina, "plenary", 1, "delay", minutes="5")

    plenary = amina.get("/moderate/prepcon/version.json?channel=plenary").get_json()
    side = bruno.get("/moderate/prepcon/version.json?channel=side").get_json()

    assert (plenary, side) == ({"version": 2}, {"version": 0})
