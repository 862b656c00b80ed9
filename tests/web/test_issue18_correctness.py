"""Issue 18, section 6: what was wrong on the way (cloning, filtered calendar links, video links, delegations)."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, SessionStatus
from confman.services import publication, sample

from conftest import page_text
from factories import make_event, make_organizer, make_session


def test_clone_leaves_cancelled_sessions_behind_and_plans_from_the_release_not_the_live_day(client, login, app):
    event = make_event(slug="prepcon")
    t0 = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)
    kept = make_session(event, title="Kept", starts_at=t0)
    make_session(event, title="Dropped", starts_at=t0 + timedelta(hours=2), status=SessionStatus.CANCELLED)
    publication.publish_agenda(event, actor=None, now=t0 - timedelta(days=3))
    kept.starts_at = t0 + timedelta(minutes=40)  # what a live reorder on the day writes
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.post("/manage/events/prepcon/clone", data={"title": "Next", "starts_on": "2022-10-25",
                                                                  "slug": "next"}, follow_redirects=True)

    clone = db.session.scalar(select(Event).filter_by(slug="next"))
    items = db.session.scalars(select(AgendaSession).filter_by(event_id=clone.id)).all()
    assert [(i.title, i.status, i.starts_at.astimezone(event.tz).strftime("%H:%M")) for i in items] == [
        ("Kept", SessionStatus.SCHEDULED, t0.astimezone(event.tz).strftime("%H:%M"))]
    assert "Add its speakers." in page_text(response) and "co-hosts." not in page_text(response)


def test_calendar_links_of_a_filtered_agenda_carry_the_filter(client, app):
    sample.load_sample(now=datetime(2021, 10, 18, tzinfo=UTC))
    db.session.commit()

    html = client.get("/events/prepcon-2021/agenda?tag=technology").get_data(as_text=True)
    [link] = set(re.findall(r'webcal://[^"]+', html))
    feed = client.get(link.replace("webcal://confman.test", "").replace("&amp;", "&")).get_data(as_text=True)
    whole = client.get("/events/prepcon-2021/agenda.ics").get_data(as_text=True)

    assert "tag=technology" in link
    assert feed.count("BEGIN:VEVENT") == 1 and "Technology and the safety of peacekeepers" in feed
    assert whole.count("BEGIN:VEVENT") == 11
    assert client.get("/events/prepcon-2021/agenda.ics?tag=nope").status_code == 404
    assert client.get("/events/prepcon-2021/agenda.ics?speaker=x").status_code == 400
