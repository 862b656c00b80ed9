"""The viewer's own time zone, detected in the browser and offered beside the event's zone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def karachi_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  timezone_id="Asia/Karachi")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_agenda_offers_the_viewers_zone_and_keeps_the_events_zone(karachi_page, live_server):
    page = karachi_page
    page.goto(f"{live_server.url}/events/prepcon-2021/agenda")
    offer = page.get_by_role("link", name="Show times in your time zone (Asia/Karachi)")

    offer.click()

    opening = page.locator("li.agenda-item", has_text="Opening of the Preparatory Conference")
    expect(opening.locator(".agenda-time")).to_contain_text("17:00")
    expect(page.locator(".zone-note")).to_contain_text("America/New_York")
    expect(page.get_by_role("link", name="Show times in your time zone (Asia/Karachi)")).to_have_count(0)


def test_session_page_offers_the_viewers_zone(karachi_page, live_server):
    page = karachi_page
    page.goto(f"{live_server.url}/events/prepcon-2021/agenda")
    page.get_by_role("link", name="Opening of the Preparatory Conference").click()

    page.get_by_role("link", name="Show times in your time zone (Asia/Karachi)").click()

    expect(page.locator(".session-when")).to_contain_text("17:00")
    expect(page.locator(".session-when")).to_contain_text("America/New_York")


def test_no_offer_when_the_viewer_is_in_the_events_zone(browser, live_server):
    context = browser.new_context(timezone_id="America/New_York")
    same_zone = context.new_page()

    same_zone.goto(f"{live_server.url}/events/prepcon-2021/agenda")

    expect(same_zone.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    expect(same_zone.locator(".tz-offer")).to_be_hidden()
    context.close()


def test_programme_offers_the_viewers_zone(karachi_page, live_server):
    page = karachi_page
    page.goto(f"{live_server.url}/events/prepcon-2021/programme")

    page.get_by_role("link", name="Show times in your time zone (Asia/Karachi)").click()

    expect(page.locator(".day-zone").first).to_contain_text("Asia/Karachi")
    expect(page.locator("li.programme-item", has_text="Opening of the Preparatory Conference")
           .locator(".programme-time")).to_contain_text("17:00")


def test_the_offer_speaks_the_pages_language(karachi_page, live_server):
    page = karachi_page
    page.goto(f"{live_server.url}/events/prepcon-2021/agenda?lang=fr")

    page.get_by_role("link", name="Afficher les heures dans votre fuseau horaire (Asia/Karachi)").click()

    expect(page.locator(".agenda-item").first.locator(".agenda-time")).to_contain_text("17:00")
