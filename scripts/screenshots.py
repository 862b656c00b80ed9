"""Take the README's screenshots (docs/screenshots/*.png) of the PrepCon sample and the demo event in headless Chromium.

    .venv/bin/python scripts/screenshots.py [--chromium /usr/bin/chromium] [NAME ...]

With names (such as `agenda-ar registration-ar`), takes only those of the PrepCon public pages' shots.

Serves the samples from a scratch SQLite database on a free local port, with the clock pinned (PrepCon: its first
morning; the demo: a fixed day it is loaded around), so the live pages and the console show sessions running,
then stops.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from werkzeug.serving import make_server

from confman import create_app
from confman.extensions import db
from confman.models import AgendaSession, Event
from confman.services import demo, sample
from confman.timeutil import utcnow

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SLUG = sample.PREPCON_SLUG
EVENT_MORNING = datetime(2021, 10, 25, 12, 20, tzinfo=UTC)  # 08:20 in New York, the first morning
DEMO_MOMENT = datetime(2026, 12, 2, 9, 40, tzinfo=UTC)  # 10:40 in Geneva, as if `make serve` ran then


def serve(workdir: Path, now: datetime = EVENT_MORNING):
    app = create_app({
        "TESTING": True,  # lets the screenshot pin the clock (TESTING_NOW) for the live page
        "TESTING_NOW": now,
        "SECRET_KEY": "screenshots",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'screenshots.sqlite3'}",
        "UPLOAD_FOLDER": str(workdir / "uploads"),
        "EXPORT_CACHE_FOLDER": str(workdir / "export-cache"),
        "RATELIMIT_ENABLED": False,
    })
    with app.app_context():
        db.create_all()
        sample.load_sample(now=utcnow())
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        event.registration_opens_at = utcnow() - timedelta(days=1)
        event.registration_closes_at = utcnow() + timedelta(days=30)
        session_id = db.session.scalar(select(AgendaSession.id).where(AgendaSession.title.like("Opening%")))
        demo.load_demo(now=now)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}", session_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("names", nargs="*", help="take only these of the PrepCon public pages' shots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server, url, session_id = serve(Path(tmp))
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-GB")
        shots = {
            "event": f"/events/{SLUG}/",
            "agenda": f"/events/{SLUG}/agenda",
            "timetable": f"/events/{SLUG}/agenda?view=grid&day=2021-10-25",
            "session": f"/events/{SLUG}/sessions/{session_id}",
            "registration": f"/events/{SLUG}/register",
            "live": f"/events/{SLUG}/live",
            "programme": f"/events/{SLUG}/programme",
            # Right to left: the interface in Arabic (the sample's texts have no Arabic, so they stay English).
            "agenda-ar": f"/events/{SLUG}/agenda?lang=ar",
            "registration-ar": f"/events/{SLUG}/register?lang=ar",
        }
        if unknown := set(args.names) - set(shots):
            parser.error(f"no such shot: {', '.join(sorted(unknown))} (choose from {', '.join(shots)})")
        for name, path in shots.items():
            if args.names and name not in args.names:
                continue
            page.goto(url + path)
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"docs/screenshots/{name}.png")
        if args.names:
            server.shutdown()
            browser.close()
            return
        page.goto(f"{url}/login?next=/moderate/{SLUG}/")
        page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["moderator"])
        page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("button", name="Start “Opening of the Preparatory Conference”").click()
        page.screenshot(path=str(OUT / "moderator-console.png"))
        print("docs/screenshots/moderator-console.png")
        organizer = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        organizer.goto(f"{url}/login")
        organizer.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
        organizer.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
        organizer.get_by_role("button", name="Log in").click()
        organizer.goto(f"{url}/manage/events/{SLUG}/timetable?day=2021-10-25")
        organizer.wait_for_selector("#tt-editor[data-ready]")
        organizer.locator(".tte-grid .tte-item", has_text="Training and capacity building").click()
        organizer.locator(".tte-help summary").click()
        organizer.locator("#tt-editor").screenshot(path=str(OUT / "timetable-editor.png"))
        print("docs/screenshots/timetable-editor.png")
        server.shutdown()
        demo_shots(browser, Path(tmp) / "demo")
        browser.close()


def demo_shots(browser, workdir: Path) -> None:
    """The demo event as a newcomer meets it after `make serve`: open registration, a session on now per channel."""
    workdir.mkdir()
    server, url, _ = serve(workdir, now=DEMO_MOMENT)
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-GB")
    for name, path in {"demo-live": "/live", "demo-agenda": "/agenda", "demo-registration": "/register"}.items():
        page.goto(f"{url}/events/{demo.DEMO_SLUG}{path}")
        page.screenshot(path=str(OUT / f"{name}.png"))
        print(f"docs/screenshots/{name}.png")
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(sample.SAMPLE_ACCOUNTS["organizer"])
    page.get_by_label("Password").fill(sample.SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{url}/manage/events/{demo.DEMO_SLUG}/team")
    page.screenshot(path=str(OUT / "demo-team.png"))
    print("docs/screenshots/demo-team.png")
    server.shutdown()


if __name__ == "__main__":
    main()
