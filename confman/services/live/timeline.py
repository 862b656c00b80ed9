"""Delay propagation as a pure function: from planned times and what happened so far to expected times.

No database and no clock: `compute_timeline(slots, now)` takes plain `Slot`s of one channel's day and the
instant to compute for. `live/state.py` feeds it from the database after every moderator action, and the
public live page calls it again at read time (so a measured overrun keeps moving the sessions after it).

The rules, in order of precedence:

* Facts are never changed: a session that is done keeps its actual start and end, a live session its actual
  start. Once a channel's day has begun (a session was started), nothing that has not started can be expected
  to start before `now`.
* A live session is expected to end at its actual start plus its planned length, or `now` if it runs over
  (a measured overrun).
* A session that has not started is expected at the latest of: its planned start plus any announced delay,
  the expected end of the session before it plus any short break inserted before it, and `now` (see above).
  Sessions never move earlier than planned: delegates join at the advertised time.
* A break ends at its planned end if it can, so it absorbs delay before any later session moves.
* A fixed session (a hard start, e.g. a minister's keynote) keeps its planned start whatever the delay before
  it. Only facts move it (if the day has already run past its start, it cannot start in the past). The
  sessions before it are shortened so they end by its start, and the collision is reported.

So in expected times the sessions of a channel never overlap, keep their order, and fixed sessions stay put.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from confman.models import AgendaSession, SessionKind, SessionStatus

ZERO = timedelta(0)


@dataclass(frozen=True)
class Slot:
    """What delay propagation needs to know about one session."""

    id: int
    starts_at: datetime  # planned
    duration: timedelta  # planned
    status: SessionStatus = SessionStatus.SCHEDULED
    is_fixed: bool = False
    is_break: bool = False
    actual_started_at: datetime | None = None
    actual_ended_at: datetime | None = None
    announced_delay: timedelta = ZERO
    break_before: timedelta = ZERO

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.duration

    @classmethod
    def of(cls, item: AgendaSession) -> Slot:
        return cls(
            id=item.id, starts_at=item.starts_at, duration=item.duration, status=item.status,
            is_fixed=item.is_fixed, is_break=item.kind == SessionKind.BREAK,
            actual_started_at=item.actual_started_at, actual_ended_at=item.actual_ended_at,
            announced_delay=item.announced_delay or ZERO, break_before=item.break_before or ZERO,
        )


@dataclass
class Timing:
    """Expected (or, once they happened, actual) times of one session, and why they differ from the plan."""

    id: int
    starts_at: datetime
    ends_at: datetime
    planned_starts_at: datetime
    planned_ends_at: datetime
    status: SessionStatus
    is_fixed: bool = False
    is_break: bool = False
    collision: timedelta = ZERO  # fixed sessions: how far the sessions before it would run into its start
    break_starts_at: datetime | None = None  # a short break inserted before it runs from here to `starts_at`
    natural_ends_at: datetime | None = field(default=None, repr=False)

    @property
    def delay(self) -> timedelta:
        """How much later than planned it starts (never negative: early starts count as on time)."""
        return max(ZERO, self.starts_at - self.planned_starts_at)

    @property
    def end_delay(self) -> timedelta:
        return max(ZERO, self.ends_at - self.planned_ends_at)

    @property
    def shortened_by(self) -> timedelta:
        """How much shorter than planned it is expected to be (a break absorbing delay, or a squeeze)."""
        return max(ZERO, (self.planned_ends_at - self.planned_starts_at) - (self.ends_at - self.starts_at))

    @property
    def squeezed_by(self) -> timedelta:
        """How much it must be cut to keep a fixed start after it."""
        if self.natural_ends_at is None:
            return ZERO
        return max(ZERO, self.natural_ends_at - self.ends_at)


def in_order(slots: Iterable[Slot]) -> list[Slot]:
    """The running order of a channel's day: planned start, then id (stable for equal starts)."""
    return sorted(slots, key=lambda s: (s.starts_at, s.id))


def compute_timeline(slots: Sequence[Slot], now: datetime) -> dict[int, Timing]:
    """Expected times of the sessions of one channel's day that are not cancelled, by session id."""
    ordered = [s for s in in_order(slots) if s.status != SessionStatus.CANCELLED]
    begun = any(s.actual_started_at is not None for s in ordered)
    facts: datetime | None = now if begun else None  # nothing that has not started starts before this
    for s in ordered:
        if s.status == SessionStatus.DONE and s.actual_ended_at is not None:
            facts = s.actual_ended_at if facts is None else max(facts, s.actual_ended_at)

    rows: list[Timing] = []
    ready: datetime | None = None  # when the session before is expected to end
    for s in ordered:
        row = Timing(id=s.id, starts_at=s.starts_at, ends_at=s.ends_at, planned_starts_at=s.starts_at,
                     planned_ends_at=s.ends_at, status=s.status, is_fixed=s.is_fixed, is_break=s.is_break)
        if s.status == SessionStatus.DONE:
            row.starts_at = s.actual_started_at or s.starts_at
            row.ends_at = max(s.actual_ended_at or row.starts_at + s.duration, row.starts_at)
        elif s.status == SessionStatus.LIVE:
            row.starts_at = s.actual_started_at or s.starts_at
            row.ends_at = max(row.starts_at + s.duration, now)
        else:
            floor = _latest(ready, facts)
            earliest = floor
            if s.break_before > ZERO and not s.is_fixed:
                row.break_starts_at = floor if floor is not None else s.starts_at
                earliest = row.break_starts_at + s.break_before
            wanted = _latest(s.starts_at + s.announced_delay, earliest)
            if s.is_fixed:
                row.starts_at = _latest(s.starts_at, facts)
                row.collision = max(ZERO, wanted - row.starts_at)
            else:
                row.starts_at = wanted
            row.ends_at = max(s.ends_at, row.starts_at) if s.is_break else row.starts_at + s.duration
        row.natural_ends_at = row.ends_at
        if ready is None or (s.is_fixed and s.status == SessionStatus.SCHEDULED):
            ready = row.ends_at  # whatever comes before a fixed session is cut to end by its start
        else:
            ready = max(ready, row.ends_at)
        rows.append(row)

    # Fixed starts win: walking back from the end, every session that has not finished ends by the start of
    # the next one (and, if it has not started either, starts no later than it ends).
    for i in range(len(rows) - 2, -1, -1):
        row, after = rows[i], rows[i + 1]
        if row.status == SessionStatus.DONE:
            break
        if row.ends_at > after.starts_at:
            live = row.status == SessionStatus.LIVE
            row.ends_at = max(after.starts_at, row.starts_at) if live else after.starts_at
            if row.status == SessionStatus.SCHEDULED:
                row.starts_at = min(row.starts_at, row.ends_at)
                if row.break_starts_at is not None:
                    row.break_starts_at = min(row.break_starts_at, row.starts_at)
    return {row.id: row for row in rows}


def _latest(*instants: datetime | None) -> datetime | None:
    present = [i for i in instants if i is not None]
    return max(present) if present else None
