"""The outbox sends through a real SMTP server (aiosmtpd, started by the test), and keeps what it cannot send."""

import socket
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from registration_helpers import OPEN, form, link_in, messages

from confman.extensions import db
from confman.models import OutboxStatus
from confman.services import outbox

from factories import make_event, make_organizer


class Recorder(Sink):
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield recorder
    controller.stop()


@pytest.fixture
def app_config(smtp_port):
    return {"SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?from=prepcon@confman.example"}


def register(client, email="ada@example.org"):
    return client.post("/events/prepcon/register", data=form(email=email), content_type="multipart/form-data")


def test_confirmation_is_sent_by_smtp_with_a_working_sign_in_link(client, app, smtp_server):
    make_event(slug="prepcon", **OPEN)
    db.session.commit()

    register(client)

    [message] = messages(to_email="ada@example.org")
    assert (message.status, message.attempts, message.sent_at is not None) == (OutboxStatus.SENT, 1, True)
    [envelope] = smtp_server.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("prepcon@confman.example", ["ada@example.org"])
    mail = message_from_bytes(envelope.content, policy=default)
    body = mail.get_content()
    assert mail["Subject"].startswith("Your registration for Event")
    assert outbox.SIGN_IN_PLACEHOLDER not in body
    path = link_in(body.split("sign in here:")[1])
    assert client.post(path).status_code == 302
    assert client.get("/account/events/prepcon/").status_code == 200


def test_a_message_that_cannot_be_sent_stays_queued_with_its_error_and_is_sent_later(client, login, app, smtp_port):
    event = make_event(slug="prepcon", **OPEN)
    organizer = make_organizer(event)
    db.session.commit()

    response = register(client)  # no server listens yet

    assert response.status_code == 302  # the registration itself is saved
    [message] = messages(to_email="ada@example.org")
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 1)
    assert "ConnectionRefusedError" in message.last_error
    login(organizer)
    assert "ConnectionRefusedError" in client.get("/manage/events/prepcon/outbox").get_data(as_text=True)

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        retry = client.post("/manage/events/prepcon/outbox/send", follow_redirects=True)
    finally:
        controller.stop()

    assert "1 message sent." in retry.get_data(as_text=True)
    [message] = messages(to_email="ada@example.org")
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, "")
    assert [e.rcpt_tos for e in recorder.envelopes] == [["ada@example.org"]]


def test_parse_smtp_url_reads_security_credentials_and_sender():
    settings = outbox.parse_smtp_url("smtp+starttls://user%40x:p%2Fw@mail.example:2525?from=a@b.example",
                                     default_sender="confman@localhost")

    assert settings == outbox.SmtpSettings("mail.example", 2525, "starttls", "user@x", "p/w", "a@b.example")


def test_parse_smtp_url_refuses_another_scheme():
    with pytest.raises(outbox.InvalidSmtpUrl):
        outbox.parse_smtp_url("http://mail.example", default_sender="x@y")
