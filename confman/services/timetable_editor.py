"""The interactive timetable's server side: the window of a day the grid shows, and "what if" placements.

The grid never judges a placement itself. It asks the server, which puts the proposed start, duration and channel
into the schedule and runs the very check the problems page runs (conflicts.check_agenda), so the rules and the
words exist once. Pure: no Flask, no queries; the caller loads the schedule (agenda.load_schedule).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from confman.services.conflicts import Problem, Report
from confman.timeutil import local_day_bounds

DAY_OPENS, DAY_CLOSES = 8, 19  # local hours shown on an empty day; sessions outside widen the window


def day_window(day: date, tz: ZoneInfo, sessions: Sequence) -> tuple[datetime, datetime]:
    """The UTC span the grid of `day` shows: 08:00–19:00 local, widened to whole hours to hold every session that
    starts that day, never beyond the day itself (a session crossing midnight is cut at the grid's foot)."""
    day_start, day_end = local_day_bounds(day, tz)
    opens = datetime.combine(day, datetime.min.time(), tz).replace(hour=DAY_OPENS)
    closes = datetime.combine(day, datetime.min.time(), tz).replace(hour=DAY_CLOSES)
    start, end = _utc(opens), _utc(closes)
    for item in sessions:
        if item.starts_at is not None and day_start <= item.starts_at < day_end:
            start, end = min(start, item.starts_at), max(end, item.ends_at)
    start = _floor_hour(start, tz)
    end = _ceil_hour(min(end, day_end), tz)
    return max(start, day_start), min(end, day_end)


def sessions_of_day(sessions: Sequence, day: date, tz: ZoneInfo) -> list:
    start, end = local_day_bounds(day, tz)
    return [s for s in sessions if s.starts_at is not None and start <= s.starts_at < end]


def propose(schedule: Sequence, session_id: int, *, starts_at: datetime, duration: timedelta,
            channel_id: int | None, channels: dict[int, object]) -> list:
    """The schedule as it would be with session `session_id` at `starts_at` for `duration` in `channel_id`.
    The other rows are the same objects; the moved one is a copy. Raises KeyError for an unknown session."""
    rows = list(schedule)
    index = next(n for n, row in enumerate(rows) if row.id == session_id)
    rows[index] = dataclasses.replace(rows[index], starts_at=starts_at, duration=duration, channel_id=channel_id,
                                      channel=channels.get(channel_id))
    return rows


def problem_json(problem: Problem, word: Callable[[Problem], str]) -> dict:
    """`word` is the web layer's sentence for a problem (conflicts return codes and values, not words)."""
    return {"kind": problem.kind.value, "message": word(problem), "session_ids": list(problem.session_ids),
            "notice": problem.is_notice}


def report_json(report: Report, word: Callable[[Problem], str]) -> list[dict]:
    return [problem_json(p, word) for p in report.problems]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _floor_hour(moment: datetime, tz: ZoneInfo) -> datetime:
    local = moment.astimezone(tz)
    return _utc(local - timedelta(minutes=local.minute, seconds=local.second, microseconds=local.microsecond))


def _ceil_hour(moment: datetime, tz: ZoneInfo) -> datetime:
    floored = _floor_hour(moment, tz)
    return floored if floored == moment else floored + timedelta(hours=1)
