"""Browser tests: the app served on a real port, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from confman.extensions import db
from confman.services import demo, sample
from confman.timeutil import utcnow

from conftest import make_app
from support import CHROMIUM

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path):
    """The PrepCon sample served on a free local port, with CSRF on as in production."""
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite3'}", WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    with app.app_context():
        db.create_all()
        sample.load_sample(now=utcnow())
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = server.url  # the port is known only now; links are built from this address
    yield server
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


# `make serve`'s data (both samples, the demo dated around today) for the newcomer journeys, with the console mail
# captured as the terminal running it shows it.
class Mailbox(logging.Handler):
    """The server's console mail, as the terminal running `make serve` shows it."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.mails: list[str] = []

    def emit(self, record):
        self.mails.append(record.getMessage())


@pytest.fixture
def serve(tmp_path):
    """What `make serve` serves: both samples, CSRF on, no mail server."""
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'serve.sqlite3'}", WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    with app.app_context():
        db.create_all()
        sample.load_sample(now=utcnow())
        demo.load_demo(now=utcnow())
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = server.url
    mailbox, logger = Mailbox(), logging.getLogger("confman.mail")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(mailbox)
    server.mailbox = mailbox
    yield server
    logger.removeHandler(mailbox)
    logger.setLevel(level)
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()
