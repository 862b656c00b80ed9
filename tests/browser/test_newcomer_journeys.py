"""A newcomer's first hour, from `make serve`'s data (PrepCon and the demo event dated around today), in Chromium:
an organizer starts an event from /manage/ and publishes it once; a delegate registers on the demo event and signs
in with the link of the console mail; an organizer makes an existing account moderator, who opens the console."""

import re

import pytest
from playwright.sync_api import expect
from registration_helpers import PDF

from confman.services import demo, sample

pytestmark = pytest.mark.browser


def _log_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_organizer_creates_an_event_from_manage_and_publishes_it_once(page, serve):
    _log_in(page, serve.url, sample.SAMPLE_ACCOUNTS["organizer"])
    page.goto(f"{serve.url}/manage/")
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title", exact=True).fill("Women in Peacekeeping")
    page.get_by_label("Address (slug)").fill("wpk-2030")
    page.get_by_label("First day").fill("2030-03-08")
    page.get_by_label("Last day").fill("2030-03-09")
    page.get_by_label("Time zone (IANA)").fill("Europe/Berlin")
    page.get_by_role("button", name="Create the event").click()
    checklist = page.get_by_role("region", name="First steps")
    expect(checklist.get_by_role("listitem").filter(has_text="Add sessions")).to_contain_text("to do")

    checklist.get_by_role("link", name="Open registration (opening and closing times)").click()
    page.get_by_label("Registration opens").fill("2030-01-10T09:00")
    page.get_by_label("Registration closes").fill("2030-03-01T18:00")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("region", name="First steps").get_by_role("link", name="Add sessions").click()
    page.get_by_label("Title", exact=True).fill("Opening by the Foreign Minister")
    page.get_by_label("Kind").select_option(label="Opening")
    page.get_by_label("Starts").fill("2030-03-08T09:00")
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Fixed start: never moved when earlier sessions run late").check()
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_label("Fixed start: never moved when earlier sessions run late")).to_be_checked()
    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Dashboard").click()
    checklist = page.get_by_role("region", name="First steps")
    expect(checklist.get_by_role("listitem").filter(has_text="Add sessions")).to_contain_text("done")
    expect(checklist.get_by_role("listitem").filter(has_text="Open registration")).to_contain_text("done")
    expect(page.get_by_text("Draft: the public sees nothing of this event yet.")).to_be_visible()

    checklist.get_by_role("link", name="Publish the event and its agenda").click()
    expect(page.get_by_label("Also make the event public")).to_be_checked()
    page.get_by_role("button", name="Publish the first version").click()

    expect(page.get_by_text("The event and its agenda are public now")).to_be_visible()
    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_text("Everything is published: the public sees version 1")).to_be_visible()
    checklist = page.get_by_role("region", name="First steps")
    expect(checklist.get_by_role("listitem").filter(has_text="Publish the event")).to_contain_text("done")
    expect(checklist.get_by_role("listitem").filter(has_text="Add the co-hosts")).to_contain_text("to do")
    visitor = page.context.browser.new_context()
    public = visitor.new_page()
    public.goto(f"{serve.url}/events/wpk-2030/agenda")
    expect(public.get_by_text("Opening by the Foreign Minister").first).to_be_visible()
    visitor.close()


def test_new_delegate_registers_on_the_demo_event_and_signs_in_with_the_console_mail(page, serve, tmp_path):
    note = tmp_path / "note-verbale.pdf"
    note.write_bytes(PDF)
    page.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/")
    page.get_by_role("link", name="Register").first.click()
    page.get_by_label("Full name").fill("Efua Newcomer")
    page.get_by_label("Email").fill("efua@mission.example")
    page.get_by_label("Organization or delegation").select_option(label="Republic of Ghana (demo)")
    page.get_by_label("Category").select_option(label="Member State delegate")
    page.get_by_label("Note verbale or nomination letter (PDF)").set_input_files(str(note))
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    expect(page.get_by_text("printed in the server's console")).to_be_visible()

    [mail] = [m for m in serve.mailbox.mails if "To: efua@mission.example" in m]
    link = re.search(r"http://127\.0\.0\.1:\d+/account/sign-in/\S+", mail).group(0)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="My registration", exact=True)).to_be_visible()
    assert page.url.endswith(f"/account/events/{demo.DEMO_SLUG}/")
    expect(page.get_by_role("heading", name="Status: Approved")).to_be_visible()


def test_organizer_makes_an_existing_account_moderator_who_opens_the_console(page, browser, serve):
    _log_in(page, serve.url, sample.SAMPLE_ACCOUNTS["organizer"])
    page.goto(f"{serve.url}/manage/events/{demo.DEMO_SLUG}/")
    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Team").click()
    page.get_by_label("Email of the person").fill(sample.SAMPLE_ACCOUNTS["delegate"])
    page.get_by_label("Role").select_option(label="Moderator")
    page.get_by_role("button", name="Give the role").click()
    expect(page.get_by_text(f"{sample.SAMPLE_ACCOUNTS['delegate']} is moderator now")).to_be_visible()

    other = browser.new_context()
    moderator = other.new_page()
    _log_in(moderator, serve.url, sample.SAMPLE_ACCOUNTS["delegate"])
    moderator.goto(f"{serve.url}/manage/")
    moderator.get_by_role("link", name="Run of show").first.click()

    expect(moderator.get_by_role("heading", name="Run of show: Demo conference")).to_be_visible()
    other.close()


def test_demo_live_page_shows_what_is_on_now_in_each_channel(page, serve):
    page.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/live")

    expect(page.get_by_text("Technology and safety").first).to_be_visible()
    expect(page.get_by_text("Community engagement").first).to_be_visible()


def test_a_rehearsal_in_the_browser_leaves_the_public_agenda_and_feed_untouched(page, serve):
    feed = page.request.get(f"{serve.url}/events/{demo.DEMO_SLUG}/agenda.ics").body()
    _log_in(page, serve.url, sample.SAMPLE_ACCOUNTS["moderator"])
    page.goto(f"{serve.url}/moderate/{demo.DEMO_SLUG}/")

    page.get_by_role("button", name="Rehearse this day").click()
    expect(page.get_by_role("region", name="Rehearsal")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Start “")).first.click()
    expect(page.locator(".flash-success", has_text="Started “")).to_be_visible()
    page.get_by_role("button", name="End the rehearsal").click()

    expect(page.get_by_text("The rehearsal is over")).to_be_visible()
    assert page.request.get(f"{serve.url}/events/{demo.DEMO_SLUG}/agenda.ics").body() == feed
    live = page.request.get(f"{serve.url}/events/{demo.DEMO_SLUG}/live.json").json()
    assert all(c["now"] is None or c["now"]["status"] == "scheduled" for c in live["channels"])
