"""The run-of-show console through its doors: who may act, CSRF, stale actions, what the console shows."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, AuditEntry, SessionStatus
from confman.services import live, publication

from conftest import page_text
from factories import make_channel, make_event, make_moderator, make_organizer, make_session, make_user

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)  # 08:00 in New York


@pytest.fixture
def app_config():
    return {"TESTING_NOW": T0 + timedelta(minutes=5)}


@pytest.fixture
def show(app):
    event = make_event(slug="prepcon")
    channel = make_channel(event, slug="plenary", name="Plenary")
    opening = make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(minutes=30))
    make_session(event, channel=channel, title="Panel", starts_at=T0 + timedelta(minutes=30),
                 duration=timedelta(minutes=60))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
    db.session.commit()
    return event, channel, opening


def start_form(item, version=0, **extra):
    return {"action": "start", "session_id": str(item.id), "version": str(version), "channel": "plenary",
            "day": "2021-10-25", **extra}


def test_console_shows_the_running_order_to_a_moderator(client, login, show):
    event, channel, opening = show
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)

    response = client.get("/moderate/prepcon/")

    text = page_text(response)
    assert response.status_code == 200
    assert "Run of show" in text
    assert "Next Opening Expected 08:00" in text


def test_moderator_starts_a_session_and_it_is_audited(client, login, show):
    event, channel, opening = show
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)

    response = client.post("/moderate/prepcon/act", data=start_form(opening), follow_redirects=True)

    assert "Started “Opening”." in page_text(response)
    row = db.session.execute(select(AgendaSession.status, AgendaSession.actual_started_at)
                             .filter_by(id=opening.id)).one()
    assert tuple(row) == (SessionStatus.LIVE, T0 + timedelta(minutes=5))
    audited = select(AuditEntry.action).filter_by(target_type="agenda_session", target_id=opening.id)
    assert db.session.scalar(audited) == "live.started"


def test_organizers_may_moderate_too(client, login, show):
    event, channel, opening = show
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.post("/moderate/prepcon/act", data=start_form(opening))

    assert response.status_code == 303
    assert status_of(opening) == SessionStatus.LIVE


@pytest.mark.parametrize("who", ["delegate", "other_moderator"])
def test_delegates_and_moderators_of_another_event_cannot_act(client, login, show, who):
    event, channel, opening = show
    other = make_event(slug="other")
    user = make_user() if who == "delegate" else make_moderator(other)
    db.session.commit()
    login(user)

    console = client.get("/moderate/prepcon/")
    action = client.post("/moderate/prepcon/act", data=start_form(opening))

    assert (console.status_code, action.status_code) == (403, 403)
    assert status_of(opening) == SessionStatus.SCHEDULED


def test_anonymous_users_are_sent_to_log_in(client, show):
    event, channel, opening = show

    response = client.post("/moderate/prepcon/act", data=start_form(opening))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert status_of(opening) == SessionStatus.SCHEDULED


def test_a_stale_console_action_is_refused_with_a_clear_message(client, login, show):
    event, channel, opening = show
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)
    client.post("/moderate/prepcon/act", data=start_form(opening, version=0))

    response = client.post("/moderate/prepcon/act", data={
        "action": "delay", "minutes": "15", "version": "0", "channel": "plenary", "day": "2021-10-25"},
        follow_redirects=True)

    assert "Another moderator changed the running order" in page_text(response)
    assert db.session.scalar(select(AgendaSession.announced_delay).filter_by(title="Panel")) is None
    assert live.state_version(event, channel.id) == 1


def test_an_action_on_another_events_session_is_not_found(client, login, show):
    event, channel, opening = show
    other = make_event(slug="other")
    foreign = make_session(other, title="Foreign")
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)

    response = client.post("/moderate/prepcon/act", data=start_form(foreign))

    assert response.status_code == 404


def test_a_refused_action_says_why_and_changes_nothing(client, login, show):
    event, channel, opening = show
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)
    panel = db.session.scalar(select(AgendaSession).filter_by(title="Panel"))

    response = client.post("/moderate/prepcon/act", data=start_form(panel), follow_redirects=True)

    assert "Nothing was changed: “Opening” comes first in the running order" in page_text(response)
    assert live.state_version(event, channel.id) == 0


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True, "TESTING_NOW": T0}

    def test_an_action_without_csrf_token_is_refused(self, client, show):
        event, channel, opening = show
        moderator = make_moderator(event)
        db.session.commit()
        login_page = client.get("/login")
        token = page_token(login_page)
        client.post("/login", data={"email": moderator.email, "password": "correct horse battery",
                                    "csrf_token": token})

        refused = client.post("/moderate/prepcon/act", data=start_form(opening))
        console = client.get("/moderate/prepcon/")
        accepted = client.post("/moderate/prepcon/act", data=start_form(opening, csrf_token=page_token(console)),
                               follow_redirects=True)

        assert refused.status_code == 400
        assert "Started “Opening”." in page_text(accepted)
        assert status_of(opening) == SessionStatus.LIVE


def status_of(item) -> SessionStatus:
    """Read afresh: the request changed the row behind this test's session."""
    return db.session.scalar(select(AgendaSession.status).filter_by(id=item.id))


def page_token(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)
