"""The floor in three browsers: a focal point inscribes and files a statement, the chair calls the list with its
countdown, a delegate's live page follows without a reload, and the statement goes public once delivered."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, OrganizationKind
from confman.services import sample

from factories import PASSWORD, make_delegation, make_organization, make_speakers_list, make_user

pytestmark = pytest.mark.browser

STATEMENT = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _log_in(page, url, email, password, next_path):
    page.goto(f"{url}/login?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_inscription_call_and_delivery_reach_every_browser(page, browser, live_server):
    app = live_server.app
    app.config["TESTING_NOW"] = datetime(2021, 10, 25, 12, 5, tzinfo=UTC)  # 08:05 in New York: the opening is on
    with app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
        opening = db.session.scalar(select(AgendaSession).filter_by(
            event_id=event.id, title="Opening of the Preparatory Conference"))
        make_speakers_list(opening)
        make_delegation(event, make_organization(name="Ghana", country_code="GH", kind=OrganizationKind.MEMBER_STATE),
                        focal_point=make_user("focal.gh@example.org"))
        db.session.commit()
        opening_id = opening.id
    url = live_server.url

    focal_context = browser.new_context(locale="en-GB")
    focal = focal_context.new_page()
    focal.set_default_timeout(10_000)
    _log_in(focal, url, "focal.gh@example.org", PASSWORD,
            f"/account/events/prepcon-2021/sessions/{opening_id}/inscribe")
    focal.get_by_label("Honorific").fill("H.E.")
    focal.get_by_label("Who speaks").fill("Kwame Mensah")
    focal.get_by_label("Title", exact=True).fill("Minister for Foreign Affairs")
    focal.get_by_label("Protocol rank").select_option("minister")
    focal.get_by_role("button", name="Inscribe").click()
    focal.get_by_text("Ghana is inscribed to speak in “Opening of the Preparatory Conference”").wait_for()
    focal.get_by_label("Statement (PDF, DOCX or ODT)").set_input_files(
        files=[{"name": "ghana-statement.pdf", "mimeType": "application/pdf", "buffer": STATEMENT}])
    focal.get_by_role("button", name="Upload the statement").click()
    focal.get_by_text("EN: ghana-statement.pdf").wait_for()

    viewer_context = browser.new_context(locale="en-GB")
    viewer = viewer_context.new_page()
    viewer.set_default_timeout(10_000)
    viewer.goto(f"{url}/events/prepcon-2021/statements")
    assert "ghana-statement.pdf" not in viewer.content()  # private until delivered
    viewer.goto(f"{url}/events/prepcon-2021/live")
    plenary = viewer.locator("section.live-channel", has_text="Plenary")
    plenary.get_by_text("On time").wait_for()
    viewer.evaluate("window.__notReloaded = true")

    _log_in(page, url, sample.SAMPLE_ACCOUNTS["moderator"], sample.SAMPLE_PASSWORD, "/moderate/prepcon-2021/")
    page.get_by_role("button", name="Start “Opening of the Preparatory Conference”").click()
    page.get_by_role("button", name="Call next from the list (1 waiting)").click()
    clock = page.locator(".console-floor .speaker-clock")
    assert "H.E. Kwame Mensah" in clock.locator(".speaker-now").inner_text()
    assert "left of 4:00" in clock.locator(".countdown").inner_text()  # the list's default time limit

    plenary.get_by_text("H.E. Kwame Mensah").wait_for(timeout=5_000)
    assert "Ghana" in plenary.inner_text()
    assert viewer.evaluate("window.__notReloaded") is True

    page.locator(".console-floor .speaker-clock").get_by_role("button", name="Delivered").click()
    page.locator(".console-floor .floor-order").get_by_text("delivered").wait_for()
    viewer.goto(f"{url}/events/prepcon-2021/statements")
    viewer.get_by_text("ghana-statement.pdf").wait_for()
    with viewer.expect_download() as download:
        viewer.get_by_role("link", name="ghana-statement.pdf").click()
    assert Path(download.value.path()).read_bytes() == STATEMENT
    focal_context.close()
    viewer_context.close()
