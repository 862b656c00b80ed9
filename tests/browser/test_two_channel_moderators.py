"""Two moderators in two browsers run the demo event's two channels at once, from `make serve`'s data: they act
alternately on the consoles they loaded (start, delay, undo); neither is refused, and undo undoes one's own only."""

import re

import pytest
from playwright.sync_api import expect

from confman.services import demo, sample

pytestmark = pytest.mark.browser
STALE = "Another moderator changed the running order"


def _console(browser, url: str, email: str, channel: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{url}/moderate/{demo.DEMO_SLUG}/?channel={channel}")
    expect(page.get_by_role("heading", name="Run of show: Demo conference")).to_be_visible()
    return context, page


def _done(page, text: str) -> None:
    expect(page.locator(".flash-success", has_text=text)).to_be_visible()
    expect(page.get_by_text(STALE)).to_have_count(0)


def _stays_loaded(page, other, action) -> None:
    """`action` on the other channel leaves this console as it was loaded: it does not even refresh itself."""
    page.evaluate("window.untouchedSinceLoad = true")
    action()
    other.wait_for_timeout(4_000)  # longer than the console's 3-second poll of its channel's version
    assert page.evaluate("window.untouchedSinceLoad === true")


def test_two_moderators_on_two_channels_act_alternately_and_undo_only_their_own(browser, serve):
    plenary_context, plenary = _console(browser, serve.url, sample.SAMPLE_ACCOUNTS["moderator"], "plenary")
    side_context, side = _console(browser, serve.url, sample.SAMPLE_ACCOUNTS["organizer"], "side-room")
    expect(plenary.get_by_role("heading", name="Next").locator("xpath=..")).to_contain_text("Technology and safety")
    expect(side.get_by_role("heading", name="Next").locator("xpath=..")).to_contain_text("Community engagement")

    def start_on_plenary():
        plenary.get_by_role("button", name="Start “Technology and safety”").click()
        _done(plenary, "Started “Technology and safety”.")

    _stays_loaded(side, plenary, start_on_plenary)
    side.get_by_role("button", name="Start “Community engagement”").click()
    _done(side, "Started “Community engagement”.")

    plenary.get_by_label("Running late by (minutes)").fill("10")
    plenary.get_by_role("button", name="Announce delay").click()
    _done(plenary, "Running late by 10 min before “Break”.")
    side.get_by_role("button", name="Start “Women, peace and security”").click()
    _done(side, "Started “Women, peace and security”.")

    side.get_by_role("button", name=re.compile(r"^Undo: ")).click()
    _done(side, "Undone: Started “Women, peace and security”.")
    expect(side.get_by_role("region", name="Now")).to_contain_text("Community engagement")
    plenary.reload()
    expect(plenary.get_by_role("button", name=re.compile(r"^Undo: "))).to_have_text(
        "Undo: Running late by 10 min before “Break”")
    plenary.get_by_role("button", name=re.compile(r"^Undo: ")).click()
    _done(plenary, "Undone: Running late by 10 min before “Break”.")

    expect(plenary.get_by_role("region", name="Now")).to_contain_text("Technology and safety")
    expect(side.get_by_role("button", name=re.compile(r"^Undo: "))).to_have_text(
        "Undo: Started “Community engagement”")
    live = plenary.request.get(f"{serve.url}/events/{demo.DEMO_SLUG}/live.json").json()
    assert {c["name"]: c["now"]["title"] for c in live["channels"]} == {
        "Plenary": "Technology and safety", "Side room": "Community engagement"}
    plenary_context.close()
    side_context.close()
