"""The live page in French stays French when its script re-renders it after a moderator's action (issue 13)."""

from datetime import UTC, datetime

import pytest

from confman.services import sample

pytestmark = pytest.mark.browser


def test_french_live_page_rerendered_by_its_script_is_french(page, browser, live_server):
    live_server.app.config["TESTING_NOW"] = datetime(2021, 10, 25, 12, 5, tzinfo=UTC)  # 08:05 in New York
    viewer_context = browser.new_context(locale="fr-FR", timezone_id="Asia/Karachi")
    viewer = viewer_context.new_page()
    viewer.set_default_timeout(10_000)
    viewer.goto(f"{live_server.url}/events/prepcon-2021/live?lang=fr")
    plenary = viewer.locator("section.live-channel", has_text="Plenary")
    plenary.get_by_text("À l’heure").wait_for()

    page.goto(f"{live_server.url}/login?next=/moderate/prepcon-2021/")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["moderator"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Start “Opening of the Preparatory Conference”").click()
    page.get_by_label("Running late by (minutes)").fill("15")
    page.get_by_role("button", name="Announce delay").click()

    plenary.get_by_text("15 minutes de retard").wait_for(timeout=5_000)
    text = plenary.text_content()  # as written, before CSS upper-cases headings
    zone_note = viewer.locator("#live-zone").inner_text()
    viewer_context.close()

    assert "(08:45, heure de l’événement)" in text
    assert "En cours" in text and "Suivante" in text and "Now" not in text and "Next" not in text
    assert "Ouverture" in text  # the session's kind, worded by the page's labels rather than live.json's English
    assert zone_note.startswith("Heures : Asia/Karachi (le fuseau horaire de votre appareil)")
