"""On a phone (390 × 844): the agenda's first screen shows a session, the live page's shows what is on now, and
axe finds nothing at that size. The samples are make serve's: PrepCon and the demo event dated around today."""

import pytest
from axe_support import blocking, describe, require_axe, run_axe
from playwright.sync_api import expect

from confman.services import demo

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _in_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= PHONE["height"]


@pytest.fixture
def phone(browser):
    # bypass_csp: axe is injected as an inline script, which the app's policy (rightly) refuses.
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_agenda_on_a_phone_shows_a_session_title_in_the_first_screen(phone, serve):
    require_axe()
    phone.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/agenda")

    first = phone.locator(".agenda-item h3").first
    expect(first).to_be_visible()
    assert _in_first_screen(first), first.bounding_box()
    violations = blocking(run_axe(phone))
    assert not violations, describe(violations)


def test_filters_fold_on_a_phone_and_open_when_a_filter_is_active(phone, serve):
    phone.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/agenda")
    folded = phone.get_by_label("Search").is_visible()
    phone.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/agenda?theme=protection")

    assert folded is False
    expect(phone.get_by_label("Theme")).to_be_visible()
    label, field = phone.locator("label[for=theme]").bounding_box(), phone.locator("#theme").bounding_box()
    assert label["y"] + label["height"] <= field["y"] + 1  # the label sits above its own field


def test_live_page_on_a_phone_shows_what_is_on_now_in_the_first_screen(phone, serve):
    phone.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/live")

    now = phone.locator(".live-now").first
    expect(now.locator(".live-title")).to_be_visible()
    assert _in_first_screen(now.locator(".live-title")), now.bounding_box()
    violations = blocking(run_axe(phone))
    assert not violations, describe(violations)
