"""Delay propagation without a database: overruns, announced delays, breaks absorbing delay, fixed starts."""

from datetime import UTC, datetime, timedelta

from confman.models import SessionStatus
from confman.services.live.timeline import Slot, compute_timeline

T0 = datetime(2021, 10, 25, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def mins(n: int) -> timedelta:
    return timedelta(minutes=n)


def slot(id_, start, length, **kw) -> Slot:
    return Slot(id=id_, starts_at=at(start), duration=mins(length), **kw)


def starts(timeline) -> dict[int, datetime]:
    return {sid: t.starts_at for sid, t in timeline.items()}


def test_timeline_on_time_equals_the_plan():
    slots = [slot(1, 0, 30), slot(2, 30, 30), slot(3, 60, 30)]

    timeline = compute_timeline(slots, now=at(-60))

    assert starts(timeline) == {1: at(0), 2: at(30), 3: at(60)}
    assert all(t.delay == timedelta(0) for t in timeline.values())


def test_timeline_measured_overrun_pushes_the_following_sessions():
    slots = [slot(1, 0, 30, status=SessionStatus.LIVE, actual_started_at=at(0)), slot(2, 30, 30), slot(3, 60, 30)]

    timeline = compute_timeline(slots, now=at(40))

    assert timeline[1].ends_at == at(40)
    assert starts(timeline) == {1: at(0), 2: at(40), 3: at(70)}
    assert timeline[3].delay == mins(10)


def test_timeline_break_absorbs_delay_before_later_sessions_move():
    slots = [slot(1, 0, 30, status=SessionStatus.LIVE, actual_started_at=at(10)), slot(2, 30, 15, is_break=True),
             slot(3, 45, 30)]

    timeline = compute_timeline(slots, now=at(12))

    assert timeline[2].starts_at == at(40)
    assert timeline[2].ends_at == at(45)
    assert timeline[2].shortened_by == mins(10)
    assert timeline[3].starts_at == at(45)
    assert timeline[3].delay == timedelta(0)


def test_timeline_delay_longer_than_the_break_moves_what_follows_by_the_rest():
    slots = [slot(1, 0, 30, announced_delay=mins(25)), slot(2, 30, 15, is_break=True), slot(3, 45, 30)]

    timeline = compute_timeline(slots, now=at(-5))

    assert timeline[2].starts_at == at(55)
    assert timeline[2].ends_at == at(55)
    assert timeline[3].starts_at == at(55)
    assert timeline[3].delay == mins(10)


def test_timeline_fixed_session_keeps_its_start_and_reports_the_collision():
    slots = [slot(1, 0, 30, status=SessionStatus.LIVE, actual_started_at=at(0)), slot(2, 30, 20),
             slot(3, 50, 10, is_fixed=True), slot(4, 60, 30)]

    timeline = compute_timeline(slots, now=at(45))

    assert timeline[3].starts_at == at(50)
    assert timeline[3].collision == mins(15)
    assert (timeline[2].starts_at, timeline[2].ends_at) == (at(45), at(50))
    assert timeline[2].squeezed_by == mins(15)
    assert timeline[4].starts_at == at(60)


def test_timeline_inserted_break_delays_the_session_it_precedes():
    slots = [slot(1, 0, 30, status=SessionStatus.DONE, actual_started_at=at(0), actual_ended_at=at(30)),
             slot(2, 30, 30, break_before=mins(10)), slot(3, 60, 30)]

    timeline = compute_timeline(slots, now=at(30))

    assert timeline[2].break_starts_at == at(30)
    assert timeline[2].starts_at == at(40)
    assert timeline[3].starts_at == at(70)


def test_timeline_sessions_never_start_early_and_cancelled_ones_are_left_out():
    slots = [slot(1, 0, 30, status=SessionStatus.DONE, actual_started_at=at(0), actual_ended_at=at(20)),
             slot(2, 30, 30, status=SessionStatus.CANCELLED), slot(3, 60, 30)]

    timeline = compute_timeline(slots, now=at(21))

    assert set(timeline) == {1, 3}
    assert timeline[3].starts_at == at(60)


def test_timeline_once_the_day_has_begun_nothing_waiting_is_expected_in_the_past():
    slots = [slot(1, 0, 30, status=SessionStatus.DONE, actual_started_at=at(0), actual_ended_at=at(30)),
             slot(2, 30, 30)]

    timeline = compute_timeline(slots, now=at(42))

    assert timeline[2].starts_at == at(42)
    assert timeline[2].delay == mins(12)
