"""A delegate's whole journey in a real browser: registers for a full event, is waitlisted, is promoted when the
organizer declines someone, picks sessions, downloads their personal calendar and opens the printable programme."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from registration_helpers import PDF
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, Registration, RegistrationStatus
from confman.services import registration, sample, users
from confman.web import mailer

pytestmark = pytest.mark.browser
SLUG = sample.PREPCON_SLUG


def _full_event_without_approval(live_server) -> str:
    """Registration open, no approval step, and every seat taken: the next delegate is waitlisted.
    Returns the name of an approved delegate the organizer can decline."""
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        event.registration_opens_at = datetime.now(UTC) - timedelta(days=1)
        event.registration_closes_at = datetime.now(UTC) + timedelta(days=30)
        event.needs_approval = False
        event.capacity = registration.seats_taken(event)
        name = db.session.scalar(select(Registration.name).filter_by(
            event_id=event.id, status=RegistrationStatus.APPROVED).order_by(Registration.id))
        db.session.commit()
        db.session.remove()
    return name


def _sign_in_link(live_server, email: str) -> str:
    """The link of the "check your mail" message (the outbox goes nowhere in tests)."""
    with live_server.app.test_request_context():
        token = mailer.sign_in_token(users.find_by_email(email))
        db.session.remove()
    return f"{live_server.url}/account/sign-in/{token}?next=/account/events/{SLUG}/"


def test_delegate_is_waitlisted_promoted_picks_sessions_and_downloads_their_calendar(page, browser, live_server,
                                                                                     tmp_path):
    other = _full_event_without_approval(live_server)
    note = tmp_path / "note-verbale.pdf"
    note.write_bytes(PDF)

    page.goto(f"{live_server.url}/events/{SLUG}/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Full name").fill("Kofi Waiting")
    page.get_by_label("Email").fill("kofi@mission.example")
    page.get_by_label("Organization or delegation").select_option(label="Republic of Rwanda")
    page.get_by_label("Category").select_option(label="Member State delegate")
    page.get_by_label("Note verbale or nomination letter (PDF)").set_input_files(str(note))
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    page.goto(_sign_in_link(live_server, "kofi@mission.example"))
    page.get_by_role("button").filter(has_text="Sign in").click()
    expect(page.get_by_role("heading", name="Status: Waitlisted")).to_be_visible()
    expect(page.get_by_text("You are number 1 on the waiting list")).to_be_visible()

    organizer_context = browser.new_context(locale="en-GB")
    organizer = organizer_context.new_page()
    organizer.goto(f"{live_server.url}/login")
    organizer.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    organizer.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    organizer.get_by_role("button", name="Log in").click()
    organizer.goto(f"{live_server.url}/manage/events/{SLUG}/registrations?q={other.split()[-1]}")
    organizer.get_by_label(f"Select {other}").check()
    organizer.get_by_label("With the selected registrations").select_option("decline")
    organizer.get_by_role("button", name="Apply to selected").click()
    expect(organizer.get_by_text("1 registration declined.")).to_be_visible()
    organizer_context.close()

    page.reload()
    expect(page.get_by_role("heading", name="Status: Approved")).to_be_visible()
    page.get_by_role("link", name="Pick the sessions you will attend").click()
    page.get_by_label("Opening of the Preparatory Conference", exact=False).check()
    page.get_by_label("Training and capacity building", exact=False).check()
    page.get_by_role("button", name="Save my agenda").click()
    expect(page.get_by_text("Your agenda was saved.")).to_be_visible()

    page.get_by_role("link", name="My registration").click()
    expect(page.get_by_text("You picked 2 sessions.")).to_be_visible()
    calendar_url = page.locator("code.copy-field").inner_text()  # made at registration
    feed = page.request.get(calendar_url)
    assert feed.ok
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert body.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Opening of the Preparatory Conference" in body
    assert "SUMMARY:Training and capacity building" in body

    page.goto(f"{live_server.url}/events/{SLUG}/agenda")
    page.get_by_role("link", name="Printable programme").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peacekeeping")
    expect(page.locator("body")).to_contain_text("Training and capacity building")
