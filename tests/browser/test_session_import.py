"""An organizer imports sessions from a CSV in a real browser: uploads it, reads the preview, confirms."""

import pytest

from confman.services import sample

pytestmark = pytest.mark.browser

CSV = ("ref,title,kind,day,start,duration,channel,speakers\n"
       "NB-1,Networking break,break,2021-10-26,13:00,30,Plenary,\n"
       "SE-1,Side event on women in peacekeeping,panel,2021-10-26,13:30,45,Plenary,"
       "Ms. Grace Hopper; H.E. Mr. Alan Turing\n")


def test_organizer_uploads_a_csv_sees_the_preview_and_confirms(page, live_server, tmp_path):
    upload = tmp_path / "side-events.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/manage/events/prepcon-2021/sessions/")

    page.locator("a.button", has_text="Import sessions").click()
    page.get_by_label("File (CSV, schedule.xml or schedule.json)").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the import").click()

    assert page.get_by_text("2 sessions will be added").is_visible()
    assert page.get_by_text("New speakers: Ms. Grace Hopper, H.E. Mr. Alan Turing").is_visible()
    to_add = page.locator("section", has=page.get_by_role("heading", name="To add (2)"))
    assert "Side event on women in peacekeeping" in to_add.inner_text()
    assert "13:30" in to_add.inner_text()

    page.get_by_role("button", name="Confirm the import").click()

    assert page.get_by_text("Imported from side-events.csv: 2 sessions added, 0 updated.").is_visible()
    assert page.get_by_role("link", name="Side event on women in peacekeeping").is_visible()
    page.get_by_role("link", name="Side event on women in peacekeeping").click()
    assert page.get_by_role("link", name="Ms. Grace Hopper").is_visible()
