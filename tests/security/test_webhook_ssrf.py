"""Finding 2 of issue 19: an organizer's webhook must not reach into the server's own network, nor tell ports apart.

The attack: webhooks to 127.0.0.1:5432, [::1], 0x7f000001, 169.254.169.254 and the app's own port; the worker
POSTed to them and the delivery log showed "Connection refused" or "Remote end closed".
"""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import Event, Webhook
from confman.services import webhooks

from conftest import page_text
from factories import make_event, make_organizer

REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture
def receiver():
    """A loopback HTTP server counting the requests it gets; `answer` is (status, headers)."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.rfile.read(int(self.headers["Content-Length"]))
            status, headers = server.answer
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hits, server.answer = hits, (200, {})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def organizer_client(app, client, login):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)
    return client


def register(client, url):
    return client.post("/manage/events/prepcon/webhooks", data={"url": url, "kinds": ["session.started"]})


def deliver_and_read_log(app, client) -> str:
    event = db.session.scalar(select(Event).filter_by(slug="prepcon"))
    webhooks.enqueue(event, "session.started", {"session": 1}, now=datetime.now(UTC))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["webhooks", "deliver"])
    assert result.exit_code == 0, result.output
    return page_text(client.get("/manage/events/prepcon/webhooks"))


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:5432/", "http://[::1]/hook", "http://0x7f000001/", "http://2130706433/",
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/", "http://192.168.1.1/", "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/", "http://localhost:5000/", "http://0.0.0.0/", "http://100.64.0.1/",
])
def test_finding_2_a_webhook_into_a_private_or_local_network_is_refused_at_registration(organizer_client, url):
    response = register(organizer_client, url)

    assert response.status_code == 400
    assert "leads into a private or local network" in page_text(response)
    assert db.session.scalar(select(func.count(Webhook.id))) == 0


def test_finding_2_a_name_that_resolves_inward_at_send_time_is_not_contacted(app, organizer_client, receiver,
                                                                             monkeypatch):
    answer = {"rebind.example": "93.184.216.34"}  # public when registered ...

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answer:
            return REAL_GETADDRINFO(answer[host], port, *args, **kwargs)
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert register(organizer_client, f"http://rebind.example:{receiver.server_port}/hook").status_code == 303
    answer["rebind.example"] = "127.0.0.1"  # ... and loopback when the worker sends

    log = deliver_and_read_log(app, organizer_client)

    assert receiver.hits == []
    assert webhooks.FAILURE_PRIVATE in log


class TestAllowList:
    @pytest.fixture
    def app_config(self):
        return {"WEBHOOK_ALLOW": "127.0.0.1"}

    def test_finding_2_the_allow_list_lets_an_operator_reach_an_internal_receiver(self, app, organizer_client,
                                                                                   receiver):
        assert register(organizer_client, f"http://127.0.0.1:{receiver.server_port}/hook").status_code == 303

        log = deliver_and_read_log(app, organizer_client)

        assert receiver.hits == ["/hook"]
        assert "200" in log

    def test_finding_2_the_log_names_a_failure_class_not_the_sockets_words(self, app, organizer_client):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed_port = sock.getsockname()[1]
        register(organizer_client, f"http://127.0.0.1:{closed_port}/")

        log = deliver_and_read_log(app, organizer_client)

        assert "could not deliver (no HTTP answer)" in log
        assert "refused" not in log.replace(webhooks.FAILURE_PRIVATE, "").lower()
        assert "Errno" not in log

    def test_finding_2_a_redirect_is_not_followed(self, app, organizer_client, receiver):
        receiver.answer = (302, {"Location": "http://169.254.169.254/latest/meta-data/"})
        register(organizer_client, f"http://127.0.0.1:{receiver.server_port}/hook")

        log = deliver_and_read_log(app, organizer_client)

        assert receiver.hits == ["/hook"]
        assert "redirect not followed" in log
