"""Organizers configure webhooks through the manage pages; nobody else can."""

from sqlalchemy import select

from confman.extensions import db
from confman.models import Webhook

from conftest import page_text
from factories import make_event, make_moderator, make_organizer


def test_organizer_adds_a_webhook_and_sees_its_secret(client, login, app):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.post("/manage/events/prepcon/webhooks", follow_redirects=True, data={
        "url": "https://producer.example/hooks", "kinds": ["session.started", "delay.announced"]})

    hook = db.session.scalar(select(Webhook))
    assert "Webhook added." in page_text(response)
    assert hook.kinds == ["session.started", "delay.announced"]
    assert hook.secret in response.get_data(as_text=True)


def test_a_bad_address_is_refused_next_to_the_field(client, login, app):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.post("/manage/events/prepcon/webhooks", data={"url": "ftp://x", "kinds": ["session.started"]})

    assert response.status_code == 400
    assert "Invalid URL" in page_text(response) or "must start with https://" in page_text(response)
    assert db.session.scalar(select(Webhook)) is None


def test_moderators_cannot_configure_webhooks(client, login, app):
    event = make_event(slug="prepcon")
    moderator = make_moderator(event)
    db.session.commit()
    login(moderator)

    response = client.post("/manage/events/prepcon/webhooks", data={"url": "https://x.example/",
                                                                     "kinds": ["session.started"]})

    assert response.status_code == 403
    assert db.session.scalar(select(Webhook)) is None
