"""A live day's programme PDF: a burst of amendments renders it once, and delegates meanwhile get the last one."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from confman.exports import programme_pdf
from confman.extensions import db
from confman.models import Job, JobStatus
from confman.services import jobs, publication
from confman.web.programme import RENDER_JOB

from factories import make_channel, make_event, make_moderator, make_session

T0 = datetime(2021, 10, 25, 8, 0, tzinfo=UTC)


class Clock:
    """The app's clock (TESTING_NOW), moved by the test."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(T0)


@pytest.fixture
def app_config(clock):
    return {"TESTING_NOW": clock, "PROGRAMME_RENDER_DELAY_SECONDS": 5}


@pytest.fixture
def live_day(app):
    event = make_event(slug="live-day", title="Live day", starts_on=T0.date(), ends_on=T0.date(), timezone="UTC")
    channel = make_channel(event, slug="plenary", name="Plenary")
    make_session(event, channel=channel, title="Opening", starts_at=T0 + timedelta(hours=1),
                 duration=timedelta(minutes=30))
    make_session(event, channel=channel, title="Panel", starts_at=T0 + timedelta(hours=1, minutes=30),
                 duration=timedelta(minutes=60))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
    moderator = make_moderator(event)
    db.session.commit()
    return event, moderator


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The first session's title in each PDF typeset (the renderer itself still runs)."""
    seen: list[str] = []
    real = programme_pdf.render_pdf

    def counting(text, **options):
        seen.append(text["days"][0]["sessions"][0]["title"])
        return real(text, **options)

    monkeypatch.setattr(programme_pdf, "render_pdf", counting)
    return seen


def _first_title(response) -> str:
    text = PdfReader(io.BytesIO(response.data)).pages[1].extract_text()
    return "Opening" if text.index("Opening") < text.index("Panel") else "Panel"


def test_ten_amendments_in_a_burst_render_the_programme_pdf_at_most_twice(app, client, login, clock, live_day,
                                                                          renders):
    event, moderator = live_day
    login(moderator)
    before = client.get("/events/live-day/programme.pdf")
    served = []

    for n in range(10):  # one amendment a second: the opening swaps places with the panel each time
        clock.now = T0 + timedelta(seconds=n)
        action = client.post("/moderate/live-day/act", data={
            "action": "down" if n % 2 == 0 else "up", "session_id": str(_opening_id(event)), "version": str(n),
            "channel": "plenary", "day": T0.date().isoformat()})
        assert action.status_code == 303
        jobs.run_due("test-worker", now=clock.now)
        response = client.get("/events/live-day/programme.pdf")
        served.append((response.headers["ETag"], _first_title(response)))
    clock.now = T0 + timedelta(seconds=20)  # the burst is over: the last job comes due
    jobs.run_due("test-worker", now=clock.now)
    after = client.get("/events/live-day/programme.pdf")

    ran = db.session.scalars(select(Job).filter_by(kind=RENDER_JOB, status=JobStatus.DONE)).all()
    assert _first_title(before) == "Opening" and renders[0] == "Opening"
    assert len(renders) - 1 == len(ran) == 2  # after the first delegate's copy, one render per burst window
    assert publication.public_agenda(event).version == 11
    assert _first_title(after) == "Opening"  # ten swaps: back where it started, as the live agenda has it
    assert after.headers["ETag"] not in {etag for etag, _ in served}  # the live version, not a stale one
    assert client.get("/events/live-day/programme.pdf",
                      headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


def test_while_a_render_is_due_delegates_get_the_last_pdf_and_never_a_staler_one(app, client, login, clock,
                                                                                 live_day, renders):
    event, moderator = live_day
    login(moderator)
    first = client.get("/events/live-day/programme.pdf")
    clock.now = T0
    client.post("/moderate/live-day/act", data={"action": "down", "session_id": str(_opening_id(event)),
                                                 "version": "0", "channel": "plenary", "day": "2021-10-25"})

    clock.now = T0 + timedelta(seconds=3)
    meanwhile = client.get("/events/live-day/programme.pdf")
    same = client.get("/events/live-day/programme.pdf", headers={"If-None-Match": first.headers["ETag"]})
    clock.now = T0 + timedelta(minutes=5)  # no worker took the job: past its due time and the grace, render now
    late = client.get("/events/live-day/programme.pdf")

    assert (meanwhile.headers["ETag"], _first_title(meanwhile)) == (first.headers["ETag"], "Opening")
    assert same.status_code == 304
    assert late.headers["ETag"] != first.headers["ETag"] and _first_title(late) == "Panel"
    assert renders == ["Opening", "Panel"]


def _opening_id(event) -> int:
    return next(s.id for s in event.sessions if s.title == "Opening")


def test_the_render_job_renders_the_programme_in_each_of_the_events_languages(app, client, clock, live_day,
                                                                              renders):
    from confman.web.programme import queue_programme_render

    event, _moderator = live_day
    event.languages = ["en", "fr"]
    db.session.commit()
    queue_programme_render(event, now=clock.now, live=False)
    db.session.commit()

    jobs.run_due("test-worker", now=clock.now)
    french = client.get("/events/live-day/programme.pdf?lang=fr")
    english = client.get("/events/live-day/programme.pdf")

    assert len(renders) == 2  # one per language, by the job: both requests were served from the cache
    assert french.headers["Content-Language"] == "fr" and english.headers["Content-Language"] == "en"
    assert "lundi 25 octobre 2021" in " ".join(PdfReader(io.BytesIO(french.data)).pages[0].extract_text().split())
