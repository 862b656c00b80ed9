"""An organizer builds a new event from nothing in a real browser: co-hosts, themes, sessions, speakers, a conflict
seen and fixed, then publishes, and the public agenda shows it."""

import pytest
from playwright.sync_api import expect

from confman.services import sample

pytestmark = pytest.mark.browser


def _log_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _add_session(page, title: str, starts: str, theme: str, channel: str) -> None:
    nav = page.get_by_role("navigation", name="Manage this event")
    nav.get_by_role("link", name="Sessions", exact=True).click()
    page.goto(page.url.rstrip("/") + "/new")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Kind").select_option(label="Panel")
    page.get_by_label("Theme").select_option(label=theme)
    page.get_by_label("Starts").fill(starts)
    page.get_by_label("Duration (minutes)").fill("60")
    page.get_by_label("Channel", exact=True).select_option(label=channel)
    page.get_by_role("button", name="Add the session").click()


def test_organizer_builds_an_event_with_co_hosts_themes_sessions_and_speakers_and_publishes(page, live_server):
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/manage/events/new")
    page.get_by_label("Title", exact=True).fill("Women in Peacekeeping Ministerial")
    page.get_by_label("Short title").fill("WPK 2022")
    page.get_by_label("Address (slug)").fill("wpk-2022")
    page.get_by_label("First day").fill("2022-03-08")
    page.get_by_label("Last day").fill("2022-03-09")
    page.get_by_label("Time zone (IANA)").fill("Europe/Berlin")
    page.get_by_role("button", name="Create").click()
    nav = page.get_by_role("navigation", name="Manage this event")

    nav.get_by_role("link", name="Co-hosts").click()
    for name in ("Federal Republic of Germany", "Republic of Ghana"):
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_role("button", name="Add the organization").click()
        page.get_by_label("Organization", exact=True).select_option(label=name)
        page.get_by_role("button", name="Add", exact=True).click()
    hosts = page.locator("table tbody tr")
    assert hosts.count() == 2
    assert "Federal Republic of Germany" in hosts.nth(0).inner_text()
    assert "Republic of Ghana" in hosts.nth(1).inner_text()

    nav.get_by_role("link", name="Channels").click()
    page.get_by_label("Name").fill("Main hall")
    page.get_by_role("button", name="Add").click()
    nav.get_by_role("link", name="Themes").click()
    for theme, pattern in (("Leadership", "striped"), ("Safety and security", "dotted")):
        page.get_by_label("Name").fill(theme)
        page.get_by_label("Pattern").select_option(pattern)
        page.get_by_role("button", name="Add").click()
    themes = page.locator(".label-list")
    assert "Leadership" in themes.inner_text() and "Safety and security" in themes.inner_text()

    nav.get_by_role("link", name="Speakers", exact=True).click()
    page.get_by_role("link", name="Add a speaker").click()
    page.get_by_label("Honorific").fill("H.E.")
    page.get_by_label("Name").fill("Ama Mensah")
    page.get_by_label("Title", exact=True).fill("Minister of Defence")
    page.get_by_label("Protocol rank").select_option(label="Minister")
    page.get_by_role("button", name="Add the speaker").click()

    _add_session(page, "Women leading missions", "2022-03-08T10:00", "Leadership", "Main hall")
    _add_session(page, "Safe workplaces in the field", "2022-03-08T10:30", "Safety and security", "Main hall")
    expect(page.locator(".problems")).to_contain_text(
        "“Women leading missions” and “Safe workplaces in the field” overlap in Main hall.")

    page.get_by_role("link", name="Move to another slot or day").click()
    page.get_by_label("Start time").fill("11:00")
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_text("Moved “Safe workplaces in the field”.")).to_be_visible()
    expect(page.locator(".problems")).not_to_contain_text("overlap")
    page.get_by_label("Speakers of this event").select_option(label="H.E. Ama Mensah, Minister of Defence")
    page.get_by_role("button", name="Add to this session").click()
    expect(page.locator("#speakers-section table")).to_contain_text("Ama Mensah")

    nav.get_by_role("link", name="Publish").click()
    expect(page.get_by_text("Added “Safe workplaces in the field”, Tue 8 Mar 11:00–12:00")).to_be_visible()
    page.get_by_role("button", name="Publish the first version").click()
    expect(page.get_by_text("Published version 1")).to_be_visible()

    page.goto(f"{live_server.url}/events/wpk-2022/agenda")
    assert page.get_by_role("heading", name="Tuesday 8 March 2022").is_visible()
    safe = page.locator("li.agenda-item", has_text="Safe workplaces in the field")
    assert safe.locator(".agenda-time").inner_text().startswith("11:00")
    assert "Safety and security" in safe.inner_text()
    assert "Ama Mensah" in safe.inner_text()
    page.goto(f"{live_server.url}/events/wpk-2022/")
    expect(page.locator("body")).to_contain_text("Federal Republic of Germany")
    expect(page.locator("body")).to_contain_text("Republic of Ghana")
