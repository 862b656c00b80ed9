"""The agenda as a day-by-day grid: channels as columns, time as rows. Pure layout, for organizers and the public.

Rows count elapsed time from the first session of the day, not wall-clock minutes, so a day with a daylight-saving
change lays out correctly (the repeated hour appears twice, the skipped one not at all). Sessions overlapping in one
channel get side-by-side lanes instead of hiding each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

STEP = timedelta(minutes=5)
NO_CHANNEL = "none"


@dataclass(frozen=True)
class Column:
    key: int | str
    name: str
    first: int  # first grid column (1 is the time column)
    lanes: int


@dataclass(frozen=True)
class Placed:
    item: object
    row: int  # first grid row (1 is the header row)
    span: int
    column: int


@dataclass
class TimetableDay:
    day: date
    starts_at: datetime
    rows: int
    columns: list[Column]
    placed: list[Placed] = field(default_factory=list)
    marks: list[tuple[int, datetime]] = field(default_factory=list)  # (row, instant) at each local full hour

    @property
    def width(self) -> int:
        return sum(c.lanes for c in self.columns)


def build_timetable(sessions: Sequence, channels: Sequence, tz: ZoneInfo, *, step: timedelta = STEP,
                    days: Sequence[date] | None = None) -> list[TimetableDay]:
    """Sessions (with starts_at, ends_at, channel) laid out per local day in `tz`; `channels` (with id, name) in
    column order. Days without sessions are left out unless listed in `days`."""
    by_day: dict[date, list] = {d: [] for d in days or ()}
    for item in sessions:
        by_day.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
    return [_lay_out(day, items, channels, tz, step) for day, items in sorted(by_day.items())]


def _channel_key(item) -> int | str:
    channel = getattr(item, "channel", None)
    return channel.id if channel is not None else NO_CHANNEL


def _lay_out(day: date, items: list, channels: Sequence, tz: ZoneInfo, step: timedelta) -> TimetableDay:
    if items:
        first = min(i.starts_at for i in items).astimezone(tz)
        start = (first - timedelta(minutes=first.minute, seconds=first.second, microseconds=first.microsecond))
        end = max(i.ends_at for i in items)
    else:
        start = datetime.combine(day, datetime.min.time(), tz).replace(hour=9)
        end = start.astimezone(UTC) + timedelta(hours=8)
    start = start.astimezone(UTC)  # arithmetic in UTC: elapsed time, not wall-clock time
    rows = max(1, math.ceil((end - start) / step))

    # Lanes: greedy interval partitioning per channel, in start order.
    lanes_of: dict[int | str, list[datetime]] = {}
    lane_by_item: dict[int, tuple[int | str, int]] = {}
    for item in sorted(items, key=lambda i: (i.starts_at, i.ends_at, i.id)):
        key = _channel_key(item)
        ends = lanes_of.setdefault(key, [])
        lane = next((n for n, busy_until in enumerate(ends) if busy_until <= item.starts_at), len(ends))
        if lane == len(ends):
            ends.append(item.ends_at)
        else:
            ends[lane] = item.ends_at
        lane_by_item[id(item)] = (key, lane)

    columns: list[Column] = []
    next_column = 2
    known = [(c.id, c.name) for c in channels]
    if NO_CHANNEL in lanes_of:
        known.append((NO_CHANNEL, "No channel"))
    for key, name in known:
        lanes = max(1, len(lanes_of.get(key, ())))
        columns.append(Column(key, name, next_column, lanes))
        next_column += lanes
    first_column = {c.key: c.first for c in columns}

    placed = []
    for item in items:
        key, lane = lane_by_item[id(item)]
        row = int((item.starts_at - start) // step) + 2
        span = max(1, math.ceil((item.ends_at - item.starts_at) / step))
        placed.append(Placed(item, row, span, first_column[key] + lane))
    marks = []
    for n in range(rows):
        instant = (start + n * step).astimezone(tz)
        if instant.minute == 0 and instant.second == 0:
            marks.append((n + 2, instant))
    return TimetableDay(day, start, rows, columns, placed, marks)
