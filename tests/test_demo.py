"""The demo event: after `confman demo` registration is open and something is on now; reloading re-dates it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, AgendaVersion, Event, EventRole, Speaker
from confman.services import demo, registration, sample

from conftest import page_text


def _sessions(event):
    return db.session.scalars(select(AgendaSession).filter_by(event_id=event.id).order_by(AgendaSession.id)).all()


def _demo():
    return db.session.scalar(select(Event).filter_by(slug=demo.DEMO_SLUG))


def test_demo_command_loads_a_demo_event_that_is_open_and_live_now(app, client):
    result = app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    assert "created  event demo (dated around today)" in result.output
    assert "http://confman.test/events/demo/" in result.output
    event = _demo()
    assert registration.is_open(event, datetime.now(UTC))
    live = client.get("/events/demo/live.json").get_json()
    assert [c["name"] for c in live["channels"]] == ["Plenary", "Side room"]
    assert all(c["now"] is not None for c in live["channels"]), live
    assert all(c["next"] is not None for c in live["channels"]), live
    assert "Register" in page_text(client.get("/events/demo/"))


def test_demo_command_twice_changes_nothing_and_keeps_prepcon(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m))
              for m in (Event, AgendaSession, Speaker, EventRole, AgendaVersion)}

    second = runner.invoke(args=["demo"])

    assert second.exit_code == 0, second.output
    assert "exists   event demo (already dated around today)" in second.output
    assert {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Event, AgendaSession, Speaker, EventRole, AgendaVersion)} == counts
    prepcon = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
    assert (prepcon.starts_on.isoformat(), prepcon.agenda_version) == ("2021-10-25", 1)


def test_demo_is_laid_out_yesterday_to_tomorrow_in_its_own_zone(app):
    now = datetime(2026, 3, 29, 0, 40, tzinfo=UTC)  # 02:40 in Geneva, the night clocks go forward

    demo.load_demo(now=now)

    event = _demo()
    assert (event.starts_on.isoformat(), event.ends_on.isoformat()) == ("2026-03-28", "2026-03-30")
    items = _sessions(event)
    on_now = [i for i in items if i.starts_at <= now < i.ends_at]
    assert sorted(i.channel.name for i in on_now) == ["Plenary", "Side room"]
    assert {t.name for t in event.themes} == {"Safety and Security", "Protection"}
    assert any(i.is_fixed and i.kind.value == "opening" for i in items)
    assert any(i.kind.value == "break" for i in items)
    videos = [i.video_message for i in items if i.video_message]
    assert sorted(v.status.value for v in videos) == ["approved", "requested"]
    assert all(v.deadline_at > now for v in videos if v.status.value == "requested")


@pytest.mark.parametrize("hour", [0, 5, 12, 22, 23])
def test_demo_has_a_session_on_in_each_channel_at_any_hour(app, hour):
    now = datetime(2026, 7, 1, hour, 59, tzinfo=UTC)

    demo.load_demo(now=now)

    on_now = [i for i in _sessions(_demo()) if i.starts_at <= now < i.ends_at]
    assert sorted(i.channel.slug for i in on_now) == ["plenary", "side-room"]


def test_demo_reload_the_next_day_re_dates_without_duplicates(app, client):
    first = datetime(2026, 5, 4, 9, 10, tzinfo=UTC)
    demo.load_demo(now=first)
    db.session.commit()
    before = {i.title: (i.id, i.sequence) for i in _sessions(_demo())}
    later = first + timedelta(days=3, hours=2)

    report = demo.load_demo(now=later)
    db.session.commit()

    items = _sessions(_demo())
    assert {i.title: i.id for i in items} == {t: v[0] for t, v in before.items()}
    assert report.moved == len(before) and report.version == 2
    assert all(i.sequence == before[i.title][1] + 1 for i in items)
    assert (_demo().starts_on.isoformat(), _demo().ends_on.isoformat()) == ("2026-05-06", "2026-05-08")
    assert sorted(i.channel.slug for i in items if i.starts_at <= later < i.ends_at) == ["plenary", "side-room"]
    assert registration.is_open(_demo(), later)


def test_demo_gives_the_sample_organizer_and_moderator_their_roles(app, client):
    app.test_cli_runner().invoke(args=["demo"])
    organizer = db.session.scalar(select(EventRole).join(Event).where(Event.slug == demo.DEMO_SLUG,
                                                                      EventRole.role == "organizer")).user

    response = client.post("/login", data={"email": organizer.email, "password": sample.SAMPLE_PASSWORD})

    assert response.status_code == 302
    assert client.get("/manage/events/demo/").status_code == 200
    assert client.get("/moderate/demo/").status_code == 200
