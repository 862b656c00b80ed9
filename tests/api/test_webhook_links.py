"""Webhook deliveries link to the API resource they describe, and the link answers with that resource."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from confman.extensions import db
from confman.models import WebhookDelivery
from confman.services import live, publication, webhooks

from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)


def _payloads() -> list[dict]:
    return [json.loads(p) for p in db.session.scalars(select(WebhookDelivery.payload).order_by(WebhookDelivery.id))]


def test_deliveries_link_to_the_agenda_version_and_the_session_they_are_about(app, client):
    event = make_event(slug="prepcon")
    opening = make_session(event, channel=make_channel(event), title="Opening", starts_at=T0,
                           duration=timedelta(minutes=30))
    moderator = make_moderator(event)
    webhooks.add_webhook(event, url="https://producer.example/hook", kinds=list(webhooks.KINDS), actor=None, now=T0)
    publication.publish_agenda(event, actor=None, now=T0)
    live.start_session(opening, actor=moderator, now=T0, version=0)
    db.session.commit()

    published, started = _payloads()[:2]
    link = urlsplit(published["links"]["agenda"])
    agenda = client.get(f"{link.path}?{link.query}")
    session = client.get(urlsplit(started["links"]["session"]).path)

    assert published["links"]["agenda"] == "http://confman.test/api/v1/events/prepcon/agenda?version=1"
    assert started["links"]["session"] == f"http://confman.test/api/v1/events/prepcon/agenda/sessions/{opening.id}"
    assert started["links"]["live"] == "http://confman.test/api/v1/events/prepcon/live"
    assert agenda.get_json()["version"] == 1
    assert session.get_json()["title"] == "Opening"


def test_the_delivery_log_links_each_delivery_to_its_api_resource(app, client, login):
    from factories import make_organizer

    event = make_event(slug="prepcon")
    opening = make_session(event, channel=make_channel(event), title="Opening", starts_at=T0,
                           duration=timedelta(minutes=30))
    webhooks.add_webhook(event, url="https://producer.example/hook", kinds=["session.started"], actor=None, now=T0)
    live.start_session(opening, actor=make_moderator(event), now=T0, version=0)
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    page = client.get("/manage/events/prepcon/webhooks").get_data(as_text=True)

    assert f'href="http://confman.test/api/v1/events/prepcon/agenda/sessions/{opening.id}"' in page
