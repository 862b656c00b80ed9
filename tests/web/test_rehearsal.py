"""A rehearsal runs the console on a sandbox of one day: the real agenda, feeds, SEQUENCE and webhooks never move."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, Event, OutboxMessage, SessionStatus, Webhook, WebhookDelivery

from conftest import page_text
from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)  # 08:00 in New York
NOW = datetime(2026, 12, 3, 13, 5, tzinfo=UTC)  # 08:05 in New York, years later


@pytest.fixture
def app_config():
    return {"TESTING_NOW": NOW}


@pytest.fixture
def real(app, client, login):
    from confman.services import publication

    event = make_event(slug="prepcon", timezone="America/New_York")
    channel = make_channel(event, slug="plenary", name="Plenary")
    make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(minutes=30))
    make_session(event, channel=channel, title="Panel", starts_at=T0 + timedelta(minutes=30),
                 duration=timedelta(minutes=60))
    db.session.add(Webhook(event=event, url="https://hooks.example.org/x", secret="s" * 32,
                           kinds=["session.started", "agenda.published"]))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)
    return event


def _state(client):
    db.session.expire_all()
    return {
        "sessions": [(i.title, i.status, i.sequence, i.version) for i in db.session.scalars(
            select(AgendaSession).join(Event).where(Event.slug == "prepcon").order_by(AgendaSession.id))],
        "ics": client.get("/events/prepcon/agenda.ics").get_data(),
        "deliveries": db.session.scalar(select(func.count()).select_from(WebhookDelivery)),
        "outbox": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
        "agenda_version": db.session.scalar(select(Event.agenda_version).filter_by(slug="prepcon")),
    }


def _act(client, slug, action, item_id, version):
    return client.post(f"/moderate/{slug}/act", data={"action": action, "session_id": str(item_id),
                                                       "version": str(version), "channel": "plenary",
                                                       "day": "2026-12-03", "minutes": "10"},
                       follow_redirects=True)


def test_a_rehearsal_acts_on_a_sandbox_and_leaves_the_real_event_untouched(client, real):
    before = _state(client)

    opened = client.post("/moderate/prepcon/rehearsal", data={"action": "start", "day": "2021-10-25"},
                         follow_redirects=True)
    sandbox = db.session.scalar(select(Event).filter_by(rehearsal_of_id=real.id))
    opening, panel = db.session.scalars(select(AgendaSession).filter_by(event_id=sandbox.id)
                                        .order_by(AgendaSession.starts_at)).all()
    started = _act(client, sandbox.slug, "start", opening.id, 0)
    delayed = _act(client, sandbox.slug, "delay", panel.id, 1)
    cancelled = _act(client, sandbox.slug, "cancel", panel.id, 2)

    assert "Rehearsal of Monday 25 October 2021 ready" in page_text(opened)
    assert "Nothing you do here is published" in page_text(opened)
    assert opening.starts_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # today, at the same local time
    assert "Started “Opening”." in page_text(started)
    assert "Nothing was changed" not in page_text(delayed) + page_text(cancelled)
    assert _state(client) == before
    assert client.get(f"/events/{sandbox.slug}/").status_code == 200  # staff only: a draft
    client.post("/logout")
    assert client.get(f"/events/{sandbox.slug}/").status_code == 404


def test_a_rehearsal_can_be_reset_and_ended(client, real):
    client.post("/moderate/prepcon/rehearsal", data={"action": "start", "day": "2021-10-25"})
    sandbox = db.session.scalar(select(Event).filter_by(rehearsal_of_id=real.id))
    opening = db.session.scalar(select(AgendaSession).filter_by(event_id=sandbox.id, title="Opening"))
    _act(client, sandbox.slug, "start", opening.id, 0)

    client.post("/moderate/prepcon/rehearsal", data={"action": "start", "day": "2021-10-25"})
    db.session.expire_all()
    statuses = [i.status for i in db.session.scalars(select(AgendaSession).join(Event).where(
        Event.rehearsal_of_id == real.id))]
    ended = client.post("/moderate/prepcon/rehearsal", data={"action": "end"}, follow_redirects=True)

    assert statuses == [SessionStatus.SCHEDULED, SessionStatus.SCHEDULED]
    assert "The rehearsal is over" in page_text(ended)
    db.session.expire_all()
    assert db.session.scalar(select(Event).filter_by(rehearsal_of_id=real.id)) is None
    assert client.get("/manage/").status_code == 200  # the moderator's event list has no dangling role
    assert "Rehearse this day" in page_text(client.get("/moderate/prepcon/"))


def test_a_rehearsal_of_a_day_outside_the_event_is_refused(client, real):
    response = client.post("/moderate/prepcon/rehearsal", data={"action": "start", "day": "2021-11-30"},
                           follow_redirects=True)

    assert "2021-11-30 is not a day of" in page_text(response)
    assert db.session.scalar(select(Event).filter_by(rehearsal_of_id=real.id)) is None
