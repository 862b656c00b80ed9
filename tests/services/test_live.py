"""Moderators' live actions on a channel's running order: expected vs planned times, undo, stale actions."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AuditEntry, SessionKind, SessionStatus, Webhook, WebhookDelivery
from confman.services import live, publication

from factories import make_channel, make_event, make_moderator, make_participation, make_session, make_speaker

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)  # 08:00 in New York, the factories' event zone
DAY = date(2021, 10, 25)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def mins(n: int) -> timedelta:
    return timedelta(minutes=n)


@pytest.fixture
def show(app):
    """A published channel's morning: opening 08:00-08:30, panel 08:30-09:30, break, keynote (fixed), closing."""
    event = make_event()
    channel = make_channel(event)
    moderator = make_moderator(event)

    def session(title, start, length, **kw):
        return make_session(event, channel=channel, title=title, starts_at=at(start), duration=mins(length), **kw)

    items = {
        "opening": session("Opening", 0, 30),
        "panel": session("Panel", 30, 60),
        "break": session("Break", 90, 15, kind=SessionKind.BREAK),
        "keynote": session("Keynote", 105, 30, is_fixed=True),
        "closing": session("Closing", 135, 30),
    }
    publication.publish_agenda(event, actor=None, now=at(-600))
    db.session.expire_all()
    return event, channel, moderator, items


def act(fn, *args, event, **kw):
    return fn(*args, version=live.state_version(event, event.channels[0].id), **kw)


def test_start_and_end_record_actual_times_and_push_expected_times(show):
    event, channel, moderator, items = show

    act(live.start_session, items["opening"], event=event, actor=moderator, now=at(5))
    act(live.end_session, items["opening"], event=event, actor=moderator, now=at(45))

    opening, panel = items["opening"], items["panel"]
    assert (opening.status, opening.actual_started_at, opening.actual_ended_at) == (SessionStatus.DONE, at(5), at(45))
    assert panel.expected_starts_at == at(45)
    assert (panel.starts_at, panel.sequence) == (at(30), 0)


def test_delay_changes_expected_times_only_and_breaks_absorb_it(show):
    event, channel, moderator, items = show
    act(live.start_session, items["opening"], event=event, actor=moderator, now=at(0))

    act(live.announce_delay, event, channel.id, DAY, 10, event=event, actor=moderator, now=at(20))

    rundown = live.load_rundown(event, channel.id, DAY, now=at(20))
    assert rundown.timings[items["panel"].id].starts_at == at(40)
    assert rundown.timings[items["break"].id].shortened_by == mins(10)
    assert rundown.timings[items["keynote"].id].starts_at == at(105)
    assert items["panel"].starts_at == at(30)
    assert items["panel"].sequence == 0
    assert publication.public_agenda(event).version == 1
    assert rundown.late_by == mins(10)


def test_delay_into_a_fixed_session_is_reported_not_propagated(show):
    event, channel, moderator, items = show
    act(live.start_session, items["opening"], event=event, actor=moderator, now=at(0))
    act(live.start_session, items["panel"], event=event, actor=moderator, now=at(50))

    before_its_start = live.load_rundown(event, channel.id, DAY, now=at(100))
    past_its_start = live.load_rundown(event, channel.id, DAY, now=at(120))

    keynote = before_its_start.timings[items["keynote"].id]
    assert (keynote.starts_at, keynote.collision) == (at(105), mins(5))
    assert [i.title for i, _ in before_its_start.collisions()] == ["Keynote"]
    assert before_its_start.timings[items["panel"].id].ends_at == at(105)
    assert past_its_start.timings[items["keynote"].id].starts_at == at(120)  # it cannot start in the past


def test_cancel_is_a_real_change_carried_into_the_public_agenda(show):
    event, channel, moderator, items = show

    act(live.cancel_session, items["panel"], event=event, actor=moderator, now=at(1))

    public = publication.public_agenda(event)
    assert public.session(items["panel"].id).status == SessionStatus.CANCELLED
    assert items["panel"].sequence == 1
    assert public.version == 2
    assert publication.latest_version(event).changelog[0]["change"] == "cancelled"


def test_moving_up_swaps_planned_slots_and_bumps_sequence(show):
    event, channel, moderator, items = show

    act(live.move_session, items["panel"], -1, event=event, actor=moderator, now=at(-10))

    assert items["panel"].starts_at == at(0)
    assert items["opening"].starts_at == at(60)
    assert (items["panel"].sequence, items["opening"].sequence) == (1, 1)
    assert publication.public_agenda(event).session(items["opening"].id).starts_at == at(60)


def test_fixed_sessions_refuse_moving_and_skipping(show):
    event, channel, moderator, items = show

    with pytest.raises(live.SessionIsFixed, match="fixed start"):
        act(live.move_session, items["closing"], -1, event=event, actor=moderator, now=at(0))
    with pytest.raises(live.SessionIsFixed):
        act(live.skip_session, items["keynote"], event=event, actor=moderator, now=at(0))

    assert items["keynote"].starts_at == at(105)
    assert live.state_version(event, channel.id) == 0


def test_skip_moves_a_session_to_the_end_of_the_day(show):
    event, channel, moderator, items = show

    act(live.skip_session, items["opening"], event=event, actor=moderator, now=at(-1))

    rundown = live.load_rundown(event, channel.id, DAY, now=at(-1))
    assert [i.title for i in rundown.items] == ["Panel", "Break", "Keynote", "Closing", "Opening"]
    assert items["opening"].starts_at == at(165)


def test_a_stale_action_is_refused_and_changes_nothing(show):
    event, channel, moderator, items = show
    seen = live.state_version(event, channel.id)
    live.start_session(items["opening"], actor=moderator, now=at(0), version=seen)

    with pytest.raises(live.StaleState, match="Another moderator changed the running order"):
        live.announce_delay(event, channel.id, DAY, 15, actor=moderator, now=at(1), version=seen)

    assert items["panel"].announced_delay is None
    assert live.state_version(event, channel.id) == seen + 1


def test_undo_puts_back_the_last_action_then_the_one_before(show):
    event, channel, moderator, items = show
    act(live.start_session, items["opening"], event=event, actor=moderator, now=at(0))
    act(live.start_session, items["panel"], event=event, actor=moderator, now=at(35))

    act(live.undo_last, event, channel.id, event=event, actor=moderator, now=at(36))
    undone_once = (items["opening"].status, items["panel"].status, items["opening"].actual_ended_at)
    act(live.undo_last, event, channel.id, event=event, actor=moderator, now=at(37))

    assert undone_once == (SessionStatus.LIVE, SessionStatus.SCHEDULED, None)
    assert (items["opening"].status, items["opening"].actual_started_at) == (SessionStatus.SCHEDULED, None)
    with pytest.raises(live.NothingToUndo):
        act(live.undo_last, event, channel.id, event=event, actor=moderator, now=at(38))


def test_undoing_a_cancellation_reinstates_it_for_calendars_too(show):
    event, channel, moderator, items = show
    act(live.cancel_session, items["closing"], event=event, actor=moderator, now=at(0))

    act(live.undo_last, event, channel.id, event=event, actor=moderator, now=at(1))

    assert items["closing"].status == SessionStatus.SCHEDULED
    assert items["closing"].sequence == 2
    assert publication.public_agenda(event).session(items["closing"].id).status == SessionStatus.SCHEDULED


def test_next_speaker_records_speaking_times_and_counts_down(show):
    event, channel, moderator, items = show
    panel = items["panel"]
    first = make_participation(panel, make_speaker(event, name="A"), time_limit=mins(5))
    second = make_participation(panel, make_speaker(event, name="B"), time_limit=mins(5))
    act(live.start_session, items["opening"], event=event, actor=moderator, now=at(0))
    act(live.start_session, panel, event=event, actor=moderator, now=at(30))

    act(live.next_speaker, panel, event=event, actor=moderator, now=at(31))
    clock_a = live.current_speaker(panel, now=at(35) + timedelta(seconds=30))
    act(live.next_speaker, panel, event=event, actor=moderator, now=at(37))

    assert (first.actual_started_at, first.actual_ended_at) == (at(31), at(37))
    assert second.actual_started_at == at(37)
    assert clock_a.state == "wrap-up"
    assert live.current_speaker(panel, now=at(43)).state == "overrun"


def test_actions_are_audited_and_queue_webhooks_without_sending(show):
    event, channel, moderator, items = show
    db.session.add(Webhook(event=event, url="http://127.0.0.1:9/hook", secret="s", kinds=["session.started"],
                           created_at=at(0)))
    db.session.flush()

    act(live.start_session, items["opening"], event=event, actor=moderator, now=at(0))

    actions = db.session.scalars(select(AuditEntry.action).filter_by(event_id=event.id)).all()
    deliveries = db.session.scalars(select(WebhookDelivery)).all()
    assert "live.started" in actions
    assert [(d.kind, d.attempts) for d in deliveries] == [("session.started", 0)]


def test_reschedule_adopts_expected_times_as_the_plan(show):
    event, channel, moderator, items = show
    act(live.announce_delay, event, channel.id, DAY, 20, event=event, actor=moderator, now=at(-30))

    act(live.reschedule, event, channel.id, DAY, event=event, actor=moderator, now=at(-29))

    assert items["opening"].starts_at == at(20)
    assert items["opening"].sequence == 1
    assert items["keynote"].starts_at == at(105)
    assert publication.public_agenda(event).session(items["panel"].id).starts_at == at(50)
