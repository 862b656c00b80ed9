"""Keyboard-only use (Tab, Shift+Tab, Enter, Space and typing; no mouse) of the registration form and the
moderator console; the live page's polite announcer; themes that are not told apart by colour alone."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from registration_helpers import PDF
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event
from confman.services import sample

pytestmark = pytest.mark.browser
SLUG = sample.PREPCON_SLUG


def tab_to(page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible name (label, text or aria-label) starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
            return (el.getAttribute("aria-label") || label || el.innerText || "").trim();
        }""")
        if focused.startswith(name):
            return
    raise AssertionError(f"Tab never reached “{name}”")


def test_registration_form_works_with_the_keyboard_alone(page, live_server, tmp_path):
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        event.registration_opens_at = datetime.now(UTC) - timedelta(days=1)
        event.registration_closes_at = datetime.now(UTC) + timedelta(days=30)
        db.session.commit()
        db.session.remove()
    note = tmp_path / "note-verbale.pdf"
    note.write_bytes(PDF)
    page.goto(f"{live_server.url}/events/{SLUG}/")

    tab_to(page, "Register")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Register for")).to_be_visible()
    tab_to(page, "Full name")
    page.keyboard.type("Lena Keyboard")
    tab_to(page, "Email")
    page.keyboard.type("lena@mission.example")
    tab_to(page, "Organization or delegation")
    page.keyboard.type("Republic of Rwanda")
    tab_to(page, "Category")
    page.keyboard.type("Member State")
    tab_to(page, "Note verbale")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(note))
    tab_to(page, "I have read the privacy notice")
    page.keyboard.press("Space")
    tab_to(page, "Register")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()


def test_registration_form_errors_are_reachable_by_keyboard(page, live_server):
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        event.registration_opens_at = datetime.now(UTC) - timedelta(days=1)
        event.registration_closes_at = datetime.now(UTC) + timedelta(days=30)
        db.session.commit()
        db.session.remove()
    page.goto(f"{live_server.url}/events/{SLUG}/register")

    tab_to(page, "Register")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below")
    tab_to(page, "Full name")
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert page.locator(f"#{described}").inner_text().strip() != ""
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"


def test_moderator_console_works_with_the_keyboard_alone(page, live_server):
    live_server.app.config["TESTING_NOW"] = datetime(2021, 10, 25, 12, 5, tzinfo=UTC)  # 08:05 in New York
    page.goto(f"{live_server.url}/login?next=/moderate/{SLUG}/")
    tab_to(page, "Email")
    page.keyboard.type(sample.SAMPLE_ACCOUNTS["moderator"])
    tab_to(page, "Password")
    page.keyboard.type(sample.SAMPLE_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/moderate/{SLUG}/")

    tab_to(page, "Start “Opening of the Preparatory Conference”")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Started “Opening of the Preparatory Conference”.")).to_be_visible()
    tab_to(page, "Running late by (minutes)")
    page.keyboard.type("10")
    tab_to(page, "Announce delay")
    page.keyboard.press("Space")

    expect(page.get_by_text("Running 10 minutes late", exact=False).first).to_be_visible()


def test_live_page_announces_changes_politely(page, live_server):
    live_server.app.config["TESTING_NOW"] = datetime(2021, 10, 25, 12, 5, tzinfo=UTC)
    page.goto(f"{live_server.url}/events/{SLUG}/live")
    announcer = page.locator("[aria-live]#live-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    before = announcer.inner_text()

    live_server.app.config["TESTING_NOW"] = datetime(2021, 10, 25, 13, 5, tzinfo=UTC)  # an hour later

    expect(announcer).not_to_have_text(before, timeout=15_000)
    assert announcer.inner_text().strip() != ""


def test_themes_are_named_and_patterned_not_only_coloured(page, live_server):
    page.goto(f"{live_server.url}/events/{SLUG}/agenda")

    badges = page.locator(".agenda-item .theme-badge")
    names = {badges.nth(i).inner_text().strip() for i in range(badges.count())}
    marks = {badges.nth(i).inner_text().strip(): badges.nth(i).evaluate(
        "el => getComputedStyle(el, '::before').backgroundImage") for i in range(badges.count())}

    assert len(names) >= 2 and "" not in names
    assert "gradient" in marks["Protection"]  # the striped theme's swatch is a pattern, not a flat colour
    assert len(set(marks.values())) == len(names)  # each theme's swatch differs in pattern, not only in colour
