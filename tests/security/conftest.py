"""Shared by the security regression tests (issue 19): a real SMTP server that records what confman sends."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from support import postgres_server_url, scratch_postgres_database


class Mailbox(Sink):
    """Every message the SMTP server accepted, as text (headers and body)."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    def texts(self, to: str | None = None) -> list[str]:
        found = []
        for envelope in self.envelopes:
            if to is None or to in envelope.rcpt_tos:
                message = message_from_bytes(envelope.content, policy=default)
                found.append(str(message["Subject"]) + "\n" + message.get_body(("plain",)).get_content())
        return found


@pytest.fixture
def own_postgres_url():
    """A PostgreSQL database for this test alone: these tests kill connections and drop tables, which must not
    touch the schema the rest of a PostgreSQL run shares."""
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers (set CONFMAN_TEST_POSTGRES_URL, or start one at 127.0.0.1:5432)")
    with scratch_postgres_database(server) as url:
        yield url


@pytest.fixture
def smtp_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailbox(smtp_port):
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield box
    controller.stop()
