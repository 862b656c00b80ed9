"""Outgoing webhooks against a real HTTP receiver on 127.0.0.1: signed, stored first, retried with back-off."""

import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import WebhookDelivery, WebhookDeliveryStatus
from confman.services import live, publication, webhooks

from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def app_config():
    return {"WEBHOOK_ALLOW": "127.0.0.1"}  # the receiver runs on loopback, which webhooks may not reach by default


@pytest.fixture
def receiver():
    """A real HTTP server that records what it gets and answers with the next status in `answers` (then 200)."""
    received, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received, server.answers = received, answers
    server.url = f"http://127.0.0.1:{server.server_port}/hooks/confman"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def show(app):
    event = make_event(slug="prepcon")
    channel = make_channel(event)
    opening = make_session(event, channel=channel, title="Opening", starts_at=T0, duration=timedelta(minutes=30))
    return event, opening, make_moderator(event)


def test_a_moderator_action_is_delivered_signed_to_the_receiver(show, receiver):
    event, opening, moderator = show
    hook = webhooks.add_webhook(event, url=receiver.url, kinds=["session.started"], actor=None, now=T0)
    live.start_session(opening, actor=moderator, now=T0, version=0)
    assert receiver.received == []  # the action itself sends nothing

    attempted = webhooks.deliver_due(now=T0 + timedelta(seconds=1))

    headers, body = receiver.received[0]
    assert [d.status for d in attempted] == [WebhookDeliveryStatus.SENT]
    assert headers["X-Confman-Event"] == "session.started"
    assert webhooks.verify(hook.secret, headers["X-Confman-Timestamp"], body, headers["X-Confman-Signature"])
    assert not webhooks.verify("another secret", headers["X-Confman-Timestamp"], body,
                               headers["X-Confman-Signature"])
    assert b'"title": "Opening"' in body


def test_a_failing_receiver_is_retried_with_back_off(show, receiver):
    event, opening, moderator = show
    webhooks.add_webhook(event, url=receiver.url, kinds=["session.started"], actor=None, now=T0)
    live.start_session(opening, actor=moderator, now=T0, version=0)
    receiver.answers.extend([500, 503])

    first = webhooks.deliver_due(now=T0)
    too_early = webhooks.deliver_due(now=T0 + timedelta(seconds=20))
    second = webhooks.deliver_due(now=T0 + timedelta(seconds=31))
    third = webhooks.deliver_due(now=T0 + timedelta(seconds=31 + 61))

    delivery = db.session.scalar(select(WebhookDelivery))
    assert (len(first), len(too_early), len(second), len(third)) == (1, 0, 1, 1)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (WebhookDeliveryStatus.SENT, 3, 200)
    assert len(receiver.received) == 3
    assert len({h["X-Confman-Delivery"] for h, _ in receiver.received}) == 1


def test_an_unreachable_receiver_is_given_up_after_the_last_retry(show):
    event, opening, moderator = show
    webhooks.add_webhook(event, url="http://127.0.0.1:9/nobody-listens", kinds=["session.started"], actor=None,
                         now=T0)
    live.start_session(opening, actor=moderator, now=T0, version=0)

    now = T0
    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.deliver_due(now=now)
        now += timedelta(hours=1)

    delivery = db.session.scalar(select(WebhookDelivery))
    assert (delivery.status, delivery.attempts) == (WebhookDeliveryStatus.FAILED, webhooks.MAX_ATTEMPTS)
    assert delivery.last_error != ""


def test_publishing_and_cancelling_notify_only_the_kinds_a_webhook_wants(show):
    event, opening, moderator = show
    webhooks.add_webhook(event, url="https://producer.example/hook", kinds=["agenda.published", "session.cancelled"],
                         actor=None, now=T0)

    publication.publish_agenda(event, actor=None, now=T0)
    live.announce_delay(event, opening.channel_id, T0.date(), 5, actor=moderator, now=T0, version=0)
    live.cancel_session(opening, actor=moderator, now=T0, version=1)

    kinds = db.session.scalars(select(WebhookDelivery.kind).order_by(WebhookDelivery.id)).all()
    assert kinds == ["agenda.published", "agenda.published", "session.cancelled"]


def test_a_webhook_address_must_be_http(show):
    event, opening, moderator = show

    with pytest.raises(webhooks.InvalidWebhookUrl):
        webhooks.add_webhook(event, url="file:///etc/passwd", kinds=["session.started"], actor=None, now=T0)


def test_the_deliver_command_sends_what_is_due(app, show, receiver):
    event, opening, moderator = show
    webhooks.add_webhook(event, url=receiver.url, kinds=["session.started"], actor=None, now=T0)
    live.start_session(opening, actor=moderator, now=T0, version=0)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["webhooks", "deliver"])

    assert result.exit_code == 0, result.output
    assert "sent     session.started" in result.output
    assert len(receiver.received) == 1
