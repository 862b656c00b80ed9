"""The timetable editor in Chromium on the large event's first day (6 channels x 18 sessions): how long the grid
takes to draw, how soon a drag is on screen, and the server's what-if check and save. Issue 21's target: the grid
renders and answers a drag within 100 ms. Also: laying out the sample's first day from unscheduled sessions, by
dragging on the grid against the move form, in actions and seconds.

Needs Playwright and Chromium (/usr/bin/chromium, or CONFMAN_TEST_CHROMIUM); prints a note and skips without.
"""

from __future__ import annotations

import logging
import os
import statistics
import threading
import time
from datetime import datetime

from sqlalchemy import select
from werkzeug.serving import make_server

from bench.bench_manage import PASSWORD, _organizer_client
from confman.extensions import db
from confman.models import AgendaSession, Event, EventRole, Role
from confman.services import sample, users
from confman.timeutil import utcnow

CHROMIUM = os.environ.get("CONFMAN_TEST_CHROMIUM", "/usr/bin/chromium")
DAY = "2021-10-25"
ROUNDS = 7

# Records, for every pointermove the browser delivers, the time from the event to the frame after the editor's
# handler ran (capture phase on the editor root, so it is installed before the editor's own bubble listener).
WATCH_DRAG = """() => {
  window.__latencies = [];
  document.getElementById('tt-editor').addEventListener('pointermove', (event) => {
    const t0 = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__latencies.push(performance.now() - t0), 0));
  }, true);
}"""


def _serve(app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the table
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _log_in(page, url, email, password):
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _grid_figures(page, url, slug) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"load": [], "draw": [], "drag": [], "check": [], "save": [], "items": []}
    for _ in range(ROUNDS):
        page.goto(f"{url}/manage/events/{slug}/timetable?day={DAY}")
        page.wait_for_selector("#tt-editor[data-ready]")
        marks = page.evaluate("""() => ({
          ready: performance.getEntriesByName('timetable-editor-ready')[0].startTime,
          fetched: performance.getEntriesByName('timetable-editor-fetched')[0].startTime})""")
        figures["load"].append(marks["ready"])
        figures["draw"].append(marks["ready"] - marks["fetched"])
        figures["items"] = [page.locator(".tte-grid .tte-item").count()]
    page.evaluate(WATCH_DRAG)
    item = page.locator(".tte-grid .tte-item").nth(40)
    item.scroll_into_view_if_needed()
    box = item.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 10
    page.mouse.move(x, y)
    page.mouse.down()
    for n in range(1, 41):  # a slow drag: 40 moves of 3 px, across snapping steps and into the next channel
        page.mouse.move(x + n * 4, y + n * 3)
        page.wait_for_timeout(15)
    page.wait_for_timeout(300)  # let the last what-if check come back
    started = time.perf_counter()
    page.mouse.up()
    page.locator(".tte-live").filter(has_text="Saved").wait_for()
    figures["save"].append((time.perf_counter() - started) * 1000)
    figures["drag"] = page.evaluate("() => window.__latencies")
    figures["check"] = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/timetable/check')).map((e) => e.duration)""")
    return figures


def _row(label, samples) -> str:
    if not samples:
        return f"{label:<44} {'-':>6}"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{label:<44} {len(samples):>6} {statistics.median(samples):>10.1f} {p95:>9.1f} {max(samples):>9.1f}"


def _sample_day(app):
    """Load the PrepCon sample (once), make the bench organizer its organizer, and take its first day's sessions
    off the grid. Returns the slug, the sessions' (id, title, start, duration) to put back in start order, and the
    event's zone."""
    with app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
        if event is None:
            sample.load_sample(now=utcnow())
            event = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
        items = [i for i in db.session.scalars(select(AgendaSession).filter_by(event_id=event.id)
                                                .order_by(AgendaSession.starts_at))
                 if i.starts_at is not None and i.starts_at.astimezone(event.tz).date().isoformat() == DAY]
        plan = [(i.id, i.title, i.starts_at, i.duration) for i in items]
        for item in items:
            item.starts_at = None
            item.is_fixed = False  # the opening's lock is a separate click; measure the layout itself
        user = users.find_by_email("bench-organizer@example.org")
        if not any(r.event_id == event.id for r in user.roles):
            db.session.add(EventRole(user=user, event=event, role=Role.ORGANIZER))
        db.session.commit()
        return event.slug, plan, event.tz


def _lay_out_by_dragging(page, url, slug, plan) -> tuple[int, float]:
    page.goto(f"{url}/manage/events/{slug}/timetable?day={DAY}")
    page.wait_for_selector("#tt-editor[data-ready]")
    window_start = page.evaluate("""async () => (await (await fetch(
        document.getElementById('tt-editor').dataset.dayUrl)).json()).window.start""")
    origin = datetime.fromisoformat(window_start)
    actions = 0
    started = time.perf_counter()
    for _id, title, starts_at, _duration in plan:
        offset = (starts_at - origin).total_seconds() / 60 * 2  # 2 px a minute
        scroller = page.locator(".tte-grid-scroll")
        scroller.scroll_into_view_if_needed()
        scroller.evaluate("(node, y) => { node.scrollTop = y; }", max(0, offset - 200))
        target = page.locator(".tte-col").first.bounding_box()
        box = page.locator(".tte-unscheduled .tte-item", has_text=title).bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + 10)
        page.mouse.down()
        page.mouse.move(target["x"] + 40, target["y"] + offset + 2, steps=5)
        page.mouse.up()
        page.locator(".tte-grid .tte-item", has_text=title).first.wait_for()
        page.locator(".tte-live").filter(has_text="Saved").wait_for()
        actions += 1
    return actions, time.perf_counter() - started


def _lay_out_with_forms(page, url, slug, plan, tz) -> tuple[int, float]:
    actions = 0
    started = time.perf_counter()
    for session_id, _title, starts_at, _duration in plan:
        local = starts_at.astimezone(tz)
        page.goto(f"{url}/manage/events/{slug}/sessions/{session_id}/move")
        page.get_by_label("Day").select_option(local.date().isoformat())
        page.get_by_label("Start time").fill(local.strftime("%H:%M"))
        page.get_by_label("Channel").select_option(label="Plenary")
        page.get_by_role("button", name="Move").click()
        page.get_by_text("Moved").first.wait_for()
        actions += 5  # open the form, day, time, channel, submit
    return actions, time.perf_counter() - started


def run(app, events: dict[str, str]) -> list[str]:
    if not os.path.exists(CHROMIUM):
        return [f"skipped: no Chromium at {CHROMIUM}"]
    from playwright.sync_api import sync_playwright

    _organizer_client(app, list(events.values()))  # the bench organizer of both events
    server, url = _serve(app)
    lines = [f"{'large event, ' + DAY + ' (6 channels x 18 sessions)':<44} {'n':>6} {'median ms':>10} "
             f"{'p95 ms':>9} {'max ms':>9}"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
            page = context.new_page()
            _log_in(page, url, "bench-organizer@example.org", PASSWORD)
            figures = _grid_figures(page, url, events["large"])
            lines[0] = lines[0].replace("(6 channels x 18 sessions)", f"({figures['items'][0]} sessions, 6 channels)")
            lines += [
                _row("page load to grid ready (navigation start)", figures["load"]),
                _row("grid drawn from its JSON (script only)", figures["draw"]),
                _row("drag: pointermove to next frame", figures["drag"]),
                _row("what-if check request (server round trip)", figures["check"]),
                _row("drop to 'Saved' announced", figures["save"]),
            ]
            slug, plan, tz = _sample_day(app)
            drag_actions, drag_seconds = _lay_out_by_dragging(page, url, slug, plan)
            _sample_day(app)  # off the grid again
            form_actions, form_seconds = _lay_out_with_forms(page, url, slug, plan, tz)
            lines.append(f"sample's first day, {len(plan)} unscheduled sessions laid out: grid {drag_actions} "
                         f"actions in {drag_seconds:.1f} s; move form {form_actions} actions in {form_seconds:.1f} s "
                         "(scripted, so seconds are the app's and browser's, not a person's)")
            browser.close()
    finally:
        server.shutdown()
    return lines
