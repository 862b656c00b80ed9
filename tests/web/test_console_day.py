"""The console never starts a session of another day by accident, and asks before cancelling."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, SessionStatus
from confman.services import publication

from conftest import page_text
from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)  # 08:00 in New York
TODAY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def app_config():
    return {"TESTING_NOW": TODAY}


@pytest.fixture
def moderator_of_2021(app, login):
    event = make_event(slug="prepcon")
    channel = make_channel(event, slug="plenary", name="Plenary")
    opening = make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(minutes=30))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)
    return opening


def _start(client, item, **extra):
    return client.post("/moderate/prepcon/act", data={"action": "start", "session_id": str(item.id), "version": "0",
                                                      "channel": "plenary", "day": "2021-10-25", **extra},
                       follow_redirects=True)


def test_starting_a_session_of_another_day_is_refused_without_confirmation(client, moderator_of_2021):
    response = _start(client, moderator_of_2021)

    assert ("Nothing was started: “Opening” is planned for Monday 25 October 2021, not today. Confirm to start it "
            "anyway.") in page_text(response)
    db.session.expire_all()
    assert db.session.scalar(select(AgendaSession.status)) == SessionStatus.SCHEDULED


def test_starting_a_session_of_another_day_works_when_confirmed(client, moderator_of_2021):
    response = _start(client, moderator_of_2021, confirmed="y")

    assert "Started “Opening”." in page_text(response)


def test_console_buttons_ask_before_starting_another_days_session_and_before_cancelling(client, moderator_of_2021):
    html = client.get("/moderate/prepcon/?day=2021-10-25").get_data(as_text=True)

    assert "is planned for Monday 25 October 2021, not today. Start it anyway?" in html
    assert "Cancel “Opening”? Delegates see it as cancelled at once." in html


def test_audit_entries_of_live_actions_read_as_sentences(client, login, moderator_of_2021, app):
    from confman.models import Role

    from factories import make_user

    _start(client, moderator_of_2021, confirmed="y")
    organizer = make_user("org@example.org", roles=((moderator_of_2021.event, Role.ORGANIZER),))
    db.session.commit()
    login(organizer)

    text = page_text(client.get("/manage/events/prepcon/audit"))

    assert "“Opening”: status scheduled → live; started — → Thu 3 Dec 2026 10:00." in text
    assert "'status'" not in text and "participations" not in text
