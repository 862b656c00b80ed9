"""An organizer adds a session, sees the conflict it causes, fixes it and publishes, in a real browser."""

import pytest

from confman.services import sample

pytestmark = pytest.mark.browser


def test_organizer_creates_a_session_fixes_a_conflict_and_publishes(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/manage/events/prepcon-2021/")
    page.get_by_role("link", name="add a session").click()

    page.get_by_label("Title", exact=True).fill("Networking break")
    page.get_by_label("Kind").select_option(label="Break")
    page.get_by_label("Starts").fill("2021-10-25T09:00")
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Channel", exact=True).select_option(label="Plenary")
    page.get_by_role("button", name="Add the session").click()

    warning = page.locator(".problems")
    assert "“Training and capacity building” and “Networking break” overlap in Plenary." in warning.inner_text()

    page.get_by_role("link", name="Move to another slot or day").click()
    page.get_by_label("Day").select_option(label="Tuesday 26 October 2021")
    page.get_by_label("Start time").fill("13:00")
    page.get_by_role("button", name="Move").click()
    assert page.get_by_text("Moved “Networking break”.").is_visible()
    assert page.locator(".problems").count() == 0

    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Publish").click()
    assert page.get_by_text("Added “Networking break”, Tue 26 Oct 13:00–13:30").is_visible()
    page.get_by_label("Note for delegates (optional)").fill("A networking break after the closing.")
    page.get_by_role("button", name="Publish version 2").click()
    assert page.get_by_text("Published version 2 with 1 change.").is_visible()

    page.goto(f"{live_server.url}/events/prepcon-2021/")
    changes = page.locator("section.what-changed")
    assert changes.get_by_role("heading", name="What changed").is_visible()
    assert "Added “Networking break”, Tue 26 Oct 13:00–13:30" in changes.inner_text()
    page.goto(f"{live_server.url}/events/prepcon-2021/agenda?view=grid")
    assert page.locator(".tt-item", has_text="Networking break").is_visible()
