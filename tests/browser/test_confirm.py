"""Destructive buttons ask first: dismissing the question changes nothing, accepting it goes ahead."""

import pytest
from playwright.sync_api import expect

from confman.services import sample

pytestmark = pytest.mark.browser


def test_removing_a_co_host_asks_for_confirmation_first(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/manage/events/{sample.PREPCON_SLUG}/co-hosts/")
    rows = page.locator("table tbody tr")
    before = rows.count()
    first = rows.first.locator("td").nth(1).inner_text().split(" Names in other languages")[0].strip()
    questions = []

    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    rows.first.get_by_role("button", name=f"Remove {first}").click()
    expect(rows).to_have_count(before)
    page.once("dialog", lambda d: (questions.append(d.message), d.accept()))
    rows.first.get_by_role("button", name=f"Remove {first}").click()

    expect(rows).to_have_count(before - 1)
    assert questions == [f"Remove {first} from the co-hosts?"] * 2
