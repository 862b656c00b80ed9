"""Arabic in a real browser: the PrepCon agenda and registration form with ?lang=ar are laid out right to left
(header, navigation, agenda rows, form labels mirrored), times and e-mail addresses stay left to right inside them,
nothing overflows sideways, and axe finds nothing blocking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from axe_support import ARTIFACTS, blocking, describe, require_axe, run_axe
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event
from confman.services import sample

pytestmark = pytest.mark.browser

EVENT = f"/events/{sample.PREPCON_SLUG}"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture
def context(browser, request):
    """A browser whose own language is English: only ?lang=ar makes the pages Arabic. CSP bypassed for axe only."""
    contexts = []

    def make(viewport):
        contexts.append(browser.new_context(viewport=viewport, locale="en-GB", bypass_csp=True))
        page = contexts[-1].new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    report = getattr(request.node, "rep_call", None)
    for n, ctx in enumerate(contexts):
        if report is not None and report.failed and ctx.pages:
            ARTIFACTS.mkdir(exist_ok=True)
            ctx.pages[0].screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
        ctx.close()


def _open_registration(live_server) -> None:
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
        event.registration_opens_at = datetime.now(UTC) - timedelta(days=1)
        event.registration_closes_at = datetime.now(UTC) + timedelta(days=30)
        db.session.commit()
        db.session.remove()


def _html_attributes(page) -> tuple[str, str]:
    return tuple(page.evaluate("[document.documentElement.dir, document.documentElement.lang]"))


def _overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (a right-to-left page overflows to the left)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, locator
    return {**box, "right": box["x"] + box["width"]}


def _text_box(page, selector: str) -> dict:
    """Where an element's text is drawn (a label is as wide as its field; its words are not)."""
    return page.evaluate(
        """(selector) => { const r = document.createRange();
                           r.selectNodeContents(document.querySelector(selector));
                           const box = r.getBoundingClientRect(); return {x: box.left, right: box.right}; }""",
        selector,
    )


def _reads_left_to_right(page, selector: str) -> bool:
    """The first character of the element's text is drawn left of its last one (e.g. "08" left of "30")."""
    return page.evaluate(
        """(selector) => {
             const node = document.querySelector(selector).firstChild, n = node.textContent.length;
             const at = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                                 return r.getBoundingClientRect().left; };
             return n > 1 && at(0) < at(n - 1);
           }""",
        selector,
    )


def test_agenda_in_arabic_is_laid_out_right_to_left(context, live_server):
    require_axe()
    page = context(DESKTOP)
    page.goto(f"{live_server.url}{EVENT}/agenda?lang=ar")

    assert _html_attributes(page) == ("rtl", "ar")
    wrap = _box(page.locator(".header-row"))
    brand = _box(page.locator(".brand"))
    assert abs(brand["right"] - (wrap["right"] - 20)) < 2  # the brand at the right edge (the wrap's padding)
    links = page.locator(".event-nav a")
    first, second = _box(links.nth(0)), _box(links.nth(1))
    nav = _box(page.locator(".event-nav ul"))
    assert abs(first["right"] - nav["right"]) < 2 and second["right"] < first["x"]  # the first item at the right
    language = _box(page.locator(".language-nav"))
    assert language["right"] < brand["x"]  # the language switcher on the left, across from the brand
    row = page.locator(".agenda-item").first
    time_cell, body = _box(row.locator(".agenda-time")), _box(row.locator(".agenda-body"))
    assert time_cell["x"] > body["right"]  # the time column at the right, the title left of it
    assert page.evaluate("getComputedStyle(document.querySelector('.agenda-item')).borderRightWidth") == "5px"
    assert page.eval_on_selector(".agenda-time time", "e => getComputedStyle(e).direction") == "ltr"
    assert _reads_left_to_right(page, ".agenda-time time")
    assert _overflow(page) == 0
    violations = blocking(run_axe(page))
    assert not violations, describe(violations)


def test_registration_form_in_arabic_has_its_labels_on_the_right(context, live_server):
    require_axe()
    _open_registration(live_server)
    page = context(DESKTOP)
    page.goto(f"{live_server.url}{EVENT}/register?lang=ar")

    assert _html_attributes(page) == ("rtl", "ar")
    for name in ("name", "email", "category"):
        label, field = _text_box(page, f"label[for={name}]"), _box(page.locator(f"#{name}"))
        assert abs(label["right"] - field["right"]) < 2 and label["x"] > field["x"] + 1, name
    consent, box = _text_box(page, "label[for=consent]"), _box(page.locator("#consent"))
    assert box["x"] > consent["right"]  # the tick box first, at the right, and its sentence left of it
    assert page.eval_on_selector("#email", "e => getComputedStyle(e).direction") == "ltr"  # an address stays LTR
    assert _overflow(page) == 0
    violations = blocking(run_axe(page))
    assert not violations, describe(violations)

    phone = context(PHONE)
    phone.goto(f"{live_server.url}{EVENT}/register?lang=ar")
    assert _overflow(phone) == 0
    label, field = _text_box(phone, "label[for=organization]"), _box(phone.locator("#organization"))
    assert field["x"] >= 0 and abs(label["right"] - field["right"]) < 2
