"""A moderator's action in one browser appears on another browser's live page, without a reload."""

from datetime import UTC, datetime

import pytest

from confman.services import sample

pytestmark = pytest.mark.browser


def test_moderator_action_appears_on_the_live_page_without_reload(page, browser, live_server):
    live_server.app.config["TESTING_NOW"] = datetime(2021, 10, 25, 12, 5, tzinfo=UTC)  # 08:05 in New York
    viewer_context = browser.new_context(locale="en-GB", timezone_id="Asia/Karachi")
    viewer = viewer_context.new_page()
    viewer.set_default_timeout(10_000)
    viewer.goto(f"{live_server.url}/events/prepcon-2021/live")
    plenary = viewer.locator("section.live-channel", has_text="Plenary")
    plenary.get_by_text("On time").wait_for()
    viewer.evaluate("window.__notReloaded = true")

    page.goto(f"{live_server.url}/login?next=/moderate/prepcon-2021/")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["moderator"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Start “Opening of the Preparatory Conference”").click()
    assert page.get_by_text("Started “Opening of the Preparatory Conference”.").is_visible()
    page.get_by_label("Running late by (minutes)").fill("15")
    page.get_by_role("button", name="Announce delay").click()

    plenary.get_by_text("Running 15 minutes late").wait_for(timeout=5_000)
    next_block = plenary.locator(".live-next")
    assert "Video message: Minister of Defence of Pakistan" in next_block.inner_text()
    assert "17:45" in next_block.inner_text()  # 08:45 New York, in the viewer's own zone (Karachi)
    assert "(08:45 event time)" in next_block.inner_text()
    assert viewer.evaluate("window.__notReloaded") is True
    assert "Running 15 minutes late" in viewer.locator("#live-announcer").inner_text()
    viewer_context.close()
