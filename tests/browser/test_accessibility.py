"""WCAG 2.1 AA in a real browser: axe-core on the public pages, the registration form and the moderator console."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from axe_support import ARTIFACTS, blocking, by_impact, describe, require_axe, run_axe
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, Speaker
from confman.services import sample

pytestmark = pytest.mark.browser

EVENT = f"/events/{sample.PREPCON_SLUG}"


@pytest.fixture
def page(browser, request):
    """As conftest's page, but axe's script tag may bypass the site's CSP (the site's own scripts still obey it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def _ids(live_server) -> tuple[int, int]:
    with live_server.app.app_context():
        session_id = db.session.scalar(select(AgendaSession.id).where(AgendaSession.title.like("Opening%")))
        speaker_id = db.session.scalar(select(Speaker.id).order_by(Speaker.id))
        event = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
        event.registration_opens_at = datetime.now(UTC) - timedelta(days=1)
        event.registration_closes_at = datetime.now(UTC) + timedelta(days=30)
        db.session.commit()
        db.session.remove()
    return session_id, speaker_id


def _log_in(page, live_server, who: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/login?next={next_url}")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS[who])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_public_pages_registration_and_console_have_no_serious_axe_violations(page, live_server):
    require_axe()
    live_server.app.config["TESTING_NOW"] = datetime(2021, 10, 25, 12, 5, tzinfo=UTC)
    session_id, speaker_id = _ids(live_server)
    pages = {
        "event": f"{EVENT}/",
        "agenda": f"{EVENT}/agenda",
        "agenda grid": f"{EVENT}/agenda?view=grid",
        "agenda search, nothing found": f"{EVENT}/agenda?q=zebras&tag=technology",
        "session": f"{EVENT}/sessions/{session_id}",
        "speakers": f"{EVENT}/speakers/",
        "speaker": f"{EVENT}/speakers/{speaker_id}",
        "live": f"{EVENT}/live",
        "programme": f"{EVENT}/programme",
        "registration form": f"{EVENT}/register",
        "events": "/",
        "login": "/login",
    }
    found: dict[str, list[dict]] = {}

    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = run_axe(page)
    page.goto(f"{live_server.url}{EVENT}/register")
    page.get_by_role("button", name="Register").click()
    page.locator(".error").first.wait_for()
    found["registration form with errors"] = run_axe(page)
    _log_in(page, live_server, "moderator", f"/moderate/{sample.PREPCON_SLUG}/")
    page.get_by_role("heading", level=1).first.wait_for()
    found["moderator console"] = run_axe(page)

    print("\naxe (WCAG 2.1 A/AA) violations by impact:")
    for name, violations in found.items():
        print(f"  {name}: {by_impact(violations) or 'none'}")
        if violations:
            print("    " + describe(violations).replace("\n", "\n    "))
    failures = {name: describe(blocking(v)) for name, v in found.items() if blocking(v)}
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())
