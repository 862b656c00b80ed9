"""Property: whatever moderators do, in whatever order, a channel's expected times stay consistent."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confman.extensions import db
from confman.models import SessionKind, SessionStatus
from confman.services import live, publication

from factories import make_channel, make_event, make_moderator, make_participation, make_session, make_speaker

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)
DAY = date(2021, 10, 25)

ACTIONS = ["start", "end", "next_speaker", "delay", "break", "up", "down", "skip", "cancel", "undo", "reschedule"]
steps = st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 6), st.integers(0, 40), st.integers(0, 25)),
                 max_size=14)
plans = st.lists(st.tuples(st.integers(0, 20), st.integers(5, 60), st.booleans(), st.booleans()),
                 min_size=2, max_size=6)


def _build(plan):
    event = make_event()
    channel = make_channel(event)
    moderator = make_moderator(event)
    start, items = T0, []
    for gap, length, is_break, is_fixed in plan:
        start += timedelta(minutes=gap)
        item = make_session(event, channel=channel, starts_at=start, duration=timedelta(minutes=length),
                            kind=SessionKind.BREAK if is_break else SessionKind.PLENARY, is_fixed=is_fixed)
        make_participation(item, make_speaker(event), time_limit=timedelta(minutes=5))
        items.append(item)
        start += timedelta(minutes=length)
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=1))
    return event, channel, moderator, items


def _apply(kind, item, minutes, event, channel, moderator, now, *, aim):
    version = live.state_version(event, channel.id)
    if aim:  # half the time act on the session a moderator would: the next one, or the live one
        rundown = live.load_rundown(event, channel.id, DAY, now=now)
        item = (rundown.next if kind == "start" else rundown.live) or item
    common = {"actor": moderator, "now": now, "version": version}
    match kind:
        case "start":
            live.start_session(item, **common)
        case "end":
            live.end_session(item, **common)
        case "next_speaker":
            live.next_speaker(item, **common)
        case "delay":
            live.announce_delay(event, channel.id, DAY, minutes, **common)
        case "break":
            live.insert_break(item, max(1, minutes), **common)
        case "up" | "down":
            live.move_session(item, -1 if kind == "up" else 1, **common)
        case "skip":
            live.skip_session(item, **common)
        case "cancel":
            live.cancel_session(item, **common)
        case "undo":
            live.undo_last(event, channel.id, **common)
        case "reschedule":
            live.reschedule(event, channel.id, DAY, **common)


def _check(event, channel, fixed_starts, now):
    rundown = live.load_rundown(event, channel.id, DAY, now=now)
    active = [i for i in rundown.items if i.status != SessionStatus.CANCELLED]
    timings = [rundown.timings[i.id] for i in active]
    for t in timings:
        assert t.starts_at <= t.ends_at
    for before, after in zip(timings, timings[1:], strict=False):
        assert before.ends_at <= after.starts_at, "expected times overlap or are out of order"
    statuses = [i.status for i in active]
    assert statuses == sorted(statuses, key=[SessionStatus.DONE, SessionStatus.LIVE, SessionStatus.SCHEDULED].index)
    assert statuses.count(SessionStatus.LIVE) <= 1
    begun = any(i.actual_started_at for i in active)
    for item in active:
        if item.is_fixed:
            assert item.starts_at == fixed_starts[item.id], "a fixed session was moved"
            if item.status == SessionStatus.SCHEDULED:
                assert rundown.timings[item.id].starts_at == (max(item.starts_at, now) if begun else item.starts_at)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans, script=steps)
def test_any_sequence_of_actions_keeps_the_running_order_consistent(app, plan, script):
    event, channel, moderator, items = _build(plan)
    fixed_starts = {i.id: i.starts_at for i in items if i.is_fixed}
    now = T0 - timedelta(minutes=10)
    try:
        for kind, index, minutes, advance in script:
            now += timedelta(minutes=advance)
            try:
                _apply(kind, items[index % len(items)], minutes, event, channel, moderator, now, aim=index % 2 == 0)
            except live.LiveError:
                pass
            _check(event, channel, fixed_starts, now)
    finally:
        db.session.rollback()
