"""A delegate registers in a real browser (CSRF on, a real PDF upload); the organizer approves them in the table."""

from datetime import UTC, datetime, timedelta

import pytest
from registration_helpers import PDF
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event
from confman.services import sample

pytestmark = pytest.mark.browser


def open_registration(live_server) -> None:
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
        event.registration_opens_at = datetime.now(UTC) - timedelta(days=1)
        event.registration_closes_at = datetime.now(UTC) + timedelta(days=30)
        db.session.commit()
        db.session.remove()


def test_delegate_registers_and_organizer_approves(page, live_server, tmp_path):
    open_registration(live_server)
    note = tmp_path / "note-verbale.pdf"
    note.write_bytes(PDF)

    page.goto(f"{live_server.url}/events/{sample.PREPCON_SLUG}/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Honorific").fill("Col.")
    page.get_by_label("Full name").fill("Amina Browser")
    page.get_by_label("Email").fill("amina@mission.example")
    page.get_by_label("Organization or delegation").select_option(label="Republic of Rwanda")
    page.get_by_label("Category").select_option(label="Member State delegate")
    page.get_by_label("Note verbale or nomination letter (PDF)").set_input_files(str(note))
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()

    assert page.get_by_role("heading", name="Check your mail").is_visible()

    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/manage/events/{sample.PREPCON_SLUG}/registrations?q=amina")
    page.get_by_label("Select Amina Browser").check()
    page.get_by_label("With the selected registrations").select_option("approve")
    page.get_by_role("button", name="Apply to selected").click()

    assert page.get_by_text("1 registration approved.").is_visible()
    row = page.locator("tr", has_text="Amina Browser")
    assert row.locator(".status").inner_text() == "Approved"
