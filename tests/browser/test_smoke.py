"""A first journey in a real browser: read the sample agenda, log in as the organizer."""

import pytest
from playwright.sync_api import expect

from confman.services import sample

pytestmark = pytest.mark.browser


def test_delegate_reads_the_agenda_and_organizer_logs_in(page, live_server):
    page.goto(f"{live_server.url}/events/prepcon-2021/agenda")

    assert page.get_by_role("heading", name="Agenda", exact=True).is_visible()
    assert page.get_by_role("heading", name="Monday 25 October 2021").is_visible()
    assert page.get_by_text("Opening of the Preparatory Conference").is_visible()

    page.get_by_label("Show times in").fill("Asia/Karachi")
    page.get_by_role("button", name="Show").click()
    opening = page.locator("li.agenda-item", has_text="Opening of the Preparatory Conference")
    expect(opening.locator(".agenda-time")).to_contain_text("17:00")

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("Welcome, Sample organizer.")).to_be_visible()
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name="UN Peacekeeping Preparatory Conference (PrepCon)", exact=False).click()
    expect(page.get_by_role("heading", name="Build the agenda")).to_be_visible()
