"""The timetable editor in a real browser: drag to move and resize, drop from the unscheduled list, a clash shown
while dragging, the keyboard path, a version conflict from a second page, undo, speakers in bulk, and axe."""

import re

import pytest
from axe_support import BLOCKING, require_axe, run_axe
from playwright.sync_api import expect
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Channel, Event, Participation
from confman.services import sample

pytestmark = pytest.mark.browser

DAY = "2021-10-25"


@pytest.fixture
def editor(live_server):
    """The sample with a second channel, so sessions can change channel."""
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
        event.channels.append(Channel(slug="side-room", name="Side room", position=1))
        db.session.commit()
        db.session.remove()
    return live_server


def _session(server, title):
    with server.app.app_context():
        item = db.session.scalar(select(AgendaSession).filter_by(title=title))
        values = (item.id, item.starts_at, item.duration, item.channel.name if item.channel else None, item.version)
        db.session.remove()
        return values


TRAINING = "Training and capacity building"  # 08:45–10:15 in New York, Plenary
TECHNOLOGY = "Technology and the safety of peacekeepers"  # 10:30–12:00
OPENING = "Opening of the Preparatory Conference"  # a fixed start


def _open(page, server, context=None):
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{server.url}/manage/events/prepcon-2021/timetable?day={DAY}")
    page.wait_for_selector("#tt-editor[data-ready]")
    return page


def _item(page, title):
    return page.locator(".tte-grid .tte-item", has_text=title)


def _drag(page, locator, dx, dy, *, handle=False, steps=8, during=None):
    target = locator.locator(".tte-resize") if handle else locator
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    x = box["x"] + box["width"] / 2
    y = box["y"] + (box["height"] / 2 if handle else min(12, box["height"] / 2))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=steps)
    if during:
        during()
    page.mouse.up()


def _says(page, pattern):
    """Wait until the live region announces `pattern` (a regular expression)."""
    expect(page.locator(".tte-live")).to_have_text(re.compile(pattern))


def _live(page):
    return page.locator(".tte-live")


def test_drag_a_session_to_another_time_and_channel_then_undo(page, editor):
    _open(page, editor)
    title = TRAINING
    _, start, duration, channel, version = _session(editor, title)
    item = _item(page, title)
    side = page.locator(".tte-col[data-channel]").nth(1).bounding_box()
    box = item.bounding_box()

    # 2 px a minute: 60 px down is 30 minutes later; over to the second column.
    _drag(page, item, side["x"] + side["width"] / 2 - (box["x"] + box["width"] / 2), 60)
    _says(page, "^Saved")

    moved = _session(editor, title)
    assert (moved[1] - start).total_seconds() == 30 * 60
    assert moved[3] == "Side room" and moved[4] == version + 1
    assert "Saved: " + title in _live(page).inner_text()

    page.get_by_role("button", name="Undo the last change").click()
    _says(page, "^Undone")
    undone = _session(editor, title)
    assert (undone[1], undone[3]) == (start, channel) and undone[4] == version + 2


def test_resize_by_dragging_the_lower_edge(page, editor):
    _open(page, editor)
    title = TECHNOLOGY
    _, start, duration, channel, version = _session(editor, title)

    _drag(page, _item(page, title), 0, 20, handle=True)  # 10 minutes longer
    _says(page, "^Saved")

    resized = _session(editor, title)
    assert resized[2].total_seconds() == duration.total_seconds() + 600 and resized[1] == start


def test_a_speaker_clash_shows_while_dragging_and_after_the_drop(page, editor):
    with editor.app.app_context():  # a Training panelist also speaks in Technology
        training = db.session.scalar(select(AgendaSession).filter_by(title=TRAINING))
        technology = db.session.scalar(select(AgendaSession).filter_by(title=TECHNOLOGY))
        shared = training.participations[0].speaker
        technology.participations.append(Participation(speaker=shared, position=9, created_at=technology.created_at))
        db.session.commit()
        name = shared.full_name
        db.session.remove()
    _open(page, editor)
    seen = {}

    def look():
        expect(page.locator(".tte-drag-problems.has-problems")).to_be_visible()
        seen["text"] = page.locator(".tte-drag-problems").inner_text()

    item = _item(page, TECHNOLOGY)
    side = page.locator(".tte-col[data-channel]").nth(1).bounding_box()
    box = item.bounding_box()
    # 105 minutes earlier (210 px), into the second channel: only the speaker clashes.
    _drag(page, item, side["x"] + 40 - box["x"] - box["width"] / 2, -210, during=look)
    _says(page, "^Saved")

    clash = f"{name} is booked in two overlapping sessions: “{TRAINING}” and “{TECHNOLOGY}”."
    assert clash in seen["text"]
    assert "has-problem" in _item(page, TECHNOLOGY).get_attribute("class")
    page.goto(f"{editor.url}/manage/events/prepcon-2021/problems")
    assert clash in page.locator("main").inner_text()


def test_drop_an_unscheduled_session_into_the_grid(page, editor):
    _open(page, editor)
    title = TECHNOLOGY
    page.locator(".tte-grid .tte-item", has_text=title).click()
    page.get_by_role("button", name="Unschedule").click()
    _says(page, "unscheduled")
    assert _session(editor, title)[1] is None
    waiting = page.locator(".tte-unscheduled .tte-item", has_text=title)
    column = page.locator(".tte-col[data-channel]").nth(1).bounding_box()
    box = waiting.bounding_box()

    # Drop it at 120 px (60 minutes) below the top of the second column.
    page.mouse.move(box["x"] + 20, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(column["x"] + 40, column["y"] + 120, steps=10)
    page.mouse.up()
    _says(page, "^Saved")

    _, start, _, channel, _ = _session(editor, title)
    assert channel == "Side room" and start is not None
    assert page.locator(".tte-unscheduled .tte-item", has_text=title).count() == 0


def test_drag_a_session_out_of_the_grid_to_the_unscheduled_list(page, editor):
    _open(page, editor)
    item = _item(page, TRAINING)
    item.scroll_into_view_if_needed()
    box = item.bounding_box()
    aside = page.locator(".tte-unscheduled").bounding_box()

    page.mouse.move(box["x"] + 30, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(aside["x"] + 30, aside["y"] + 30, steps=10)
    page.mouse.up()
    _says(page, "is now unscheduled")

    assert _session(editor, TRAINING)[1] is None
    assert page.locator(".tte-unscheduled .tte-item", has_text=TRAINING).is_visible()
    page.get_by_role("button", name="Undo the last change").click()
    _says(page, "^Undone")
    assert _session(editor, TRAINING)[1] is not None


def test_a_fixed_start_moves_only_after_unlocking(page, editor):
    _open(page, editor)
    _, start, *_ = _session(editor, OPENING)
    item = _item(page, OPENING)

    _drag(page, item, 0, 40)
    _says(page, "has a fixed start")
    assert _session(editor, OPENING)[1] == start
    item.click()
    page.get_by_role("button", name="Unlock the fixed start").click()
    _drag(page, item, 0, 40)  # 20 minutes later
    _says(page, "^Saved")

    assert (_session(editor, OPENING)[1] - start).total_seconds() == 20 * 60


def test_the_keyboard_moves_a_session_a_step_and_a_channel_and_enter_saves(page, editor):
    _open(page, editor)
    _item(page, OPENING).focus()
    page.keyboard.press("Enter")
    _says(page, "has a fixed start. Unlock it to move it.")
    title = TRAINING
    _, start, duration, channel, version = _session(editor, title)
    item = _item(page, title)
    item.focus()

    page.keyboard.press("Enter")
    _says(page, "picked up")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    _says(page, "Side room")
    page.keyboard.press("Enter")
    _says(page, "^Saved")

    moved = _session(editor, title)
    assert (moved[1] - start).total_seconds() == 10 * 60
    assert moved[2].total_seconds() == duration.total_seconds() + 300 and moved[3] == "Side room"

    item.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Escape")
    _says(page, "^Cancelled")
    assert _session(editor, title)[1] == moved[1]


def test_a_change_made_meanwhile_in_another_page_is_shown_and_asked_about(page, editor, browser):
    _open(page, editor)
    title = TRAINING
    _, start, *_ = _session(editor, title)
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    try:
        _open(other, editor)
        _item(other, title).focus()
        for key in ("Enter", "ArrowDown", "ArrowDown", "ArrowDown", "Enter"):
            other.keyboard.press(key)
        _says(other, "^Saved")
    finally:
        other.context.close()
    theirs = _session(editor, title)

    _item(page, title).focus()
    for key in ("Enter", "ArrowDown", "ArrowDown", "ArrowDown", "ArrowDown", "ArrowDown", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    prompt = page.get_by_role("alertdialog")
    prompt.wait_for()

    assert "Someone else changed " + title in prompt.inner_text()
    assert "Moved “" + title + "”" in prompt.inner_text()
    assert _session(editor, title)[1] == theirs[1]  # nothing of ours was saved
    page.get_by_role("button", name="Save mine over theirs").click()
    _says(page, "^Saved")
    assert (_session(editor, title)[1] - start).total_seconds() == 30 * 60


def test_create_by_dragging_over_an_empty_stretch(page, editor):
    _open(page, editor)
    column = page.locator(".tte-col[data-channel]").nth(1).bounding_box()

    page.mouse.move(column["x"] + 30, column["y"] + 40)
    page.mouse.down()
    page.mouse.move(column["x"] + 30, column["y"] + 100, steps=6)  # 30 minutes
    page.mouse.up()
    page.locator(".tte-create").get_by_label("Title").fill("Side event on medical support")
    page.locator(".tte-create").get_by_label("Kind").select_option(label="Panel")
    page.locator(".tte-create").get_by_role("button", name="Add the session").click()
    _says(page, "^Added")

    _, start, duration, channel, _ = _session(editor, "Side event on medical support")
    assert channel == "Side room" and duration.total_seconds() == 30 * 60
    assert _item(page, "Side event on medical support").is_visible()


def test_speakers_in_bulk_from_the_grid_and_reordered_with_the_keyboard(page, editor):
    _open(page, editor)
    title = TRAINING
    _item(page, title).click()
    panel = page.locator(".tte-speakers")
    panel.get_by_label("Find speakers to add").fill("de Graaf")
    panel.get_by_role("button", name="Choose Dr. Pieter de Graaf").click()
    panel.get_by_text("New speaker").click()
    panel.get_by_label("Name", exact=True).fill("Amina Test")
    panel.get_by_label("Title", exact=True).fill("Adviser")
    panel.get_by_role("button", name="Add to the list").click()
    panel.get_by_role("button", name="Add the chosen speakers").click()
    _says(page, "^Added to")

    names = panel.locator(".tte-speaker-order li").all_inner_texts()
    assert any("Pieter de Graaf" in n for n in names) and "Amina Test" in names[-1]
    panel.get_by_role("button", name="Move Amina Test up").focus()
    page.keyboard.press("Enter")
    _says(page, "^Speaking order")
    names = panel.locator(".tte-speaker-order li").all_inner_texts()
    assert "Amina Test" in names[-2]
    with editor.app.app_context():
        item = db.session.scalar(select(AgendaSession).filter_by(title=title))
        order = [p.speaker.name for p in sorted(item.participations, key=lambda p: p.position)]
        db.session.remove()
    assert order[-2] == "Amina Test"


def test_the_editor_has_no_serious_accessibility_issue(browser, editor):
    require_axe()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True)
    page = _open(context.new_page(), editor)
    _item(page, TRAINING).click()

    violations = run_axe(page)
    context.close()

    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], [(v["id"], v["nodes"][0]["target"], v["nodes"][0].get("failureSummary")) for v in blocking]


def test_without_javascript_the_static_grid_and_forms_remain(browser, editor):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _open_no_js = page.goto(f"{editor.url}/login")
        assert _open_no_js.ok
        page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
        page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{editor.url}/manage/events/prepcon-2021/timetable?day={DAY}")
        assert page.locator("#tt-editor").is_hidden()
        title = TRAINING
        page.locator(".tt-static .tt-item", has_text=title).click()
        assert page.get_by_role("link", name="Move to another slot or day").is_visible()
    finally:
        context.close()
