"""The public live page on a day without sessions says when the next event day is, and "next" names its date."""

from datetime import UTC, datetime

import pytest

from confman.extensions import db
from confman.services import sample

from conftest import page_text

CLOCK = {"now": datetime(2021, 10, 24, 15, 0, tzinfo=UTC)}  # the Sunday before PrepCon, in New York


@pytest.fixture
def app_config():
    return {"TESTING_NOW": lambda: CLOCK["now"], "LIVE_STATE_TTL_SECONDS": 0}


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=datetime(2021, 10, 18, tzinfo=UTC))
    db.session.commit()


def test_live_page_before_the_event_names_the_next_event_day_and_the_next_sessions_date(client, prepcon):
    CLOCK["now"] = datetime(2021, 10, 24, 15, 0, tzinfo=UTC)

    data = client.get("/events/prepcon-2021/live.json").get_json()
    text = page_text(client.get("/events/prepcon-2021/live"))

    assert data["next_day"] == "2021-10-25"
    assert data["channels"][0]["next"]["day"] == "2021-10-25"
    assert "Nothing is on today. The next event day is Monday 25 October 2021." in text
    assert "Next Monday 25 October 2021 Opening of the Preparatory Conference" in text


def test_live_page_on_an_event_day_says_nothing_about_a_next_day(client, prepcon):
    CLOCK["now"] = datetime(2021, 10, 25, 12, 10, tzinfo=UTC)  # 08:10 in New York, the opening is on

    data = client.get("/events/prepcon-2021/live.json").get_json()
    text = page_text(client.get("/events/prepcon-2021/live"))

    assert data["next_day"] is None
    assert data["channels"][0]["next"]["day"] == "2021-10-25"
    assert "The next event day is" not in text
