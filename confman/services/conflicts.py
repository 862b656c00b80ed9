"""Mistakes in an agenda an organizer should see: overlaps, double bookings, odd times. Pure: no Flask, no queries.

Everything here reads objects with the attributes of `AgendaSession` (id, title, kind, status, starts_at, duration,
channel_id, participations with speaker_id, video_message), so the caller loads sessions once and asks.
Cancelled sessions take no room and book no speaker, so they never conflict with anything.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from confman.models import SessionKind, SessionStatus
from confman.timeutil import local_day_bounds

# Kinds whose sessions are empty without at least one speaker (breaks and video messages are not).
KINDS_NEEDING_SPEAKERS = frozenset(
    {SessionKind.OPENING, SessionKind.STATEMENT, SessionKind.PLENARY, SessionKind.PANEL, SessionKind.CLOSING}
)


class ProblemKind(enum.StrEnum):
    SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
    CHANNEL_OVERLAP = "channel_overlap"
    OUTSIDE_EVENT_DATES = "outside_event_dates"
    CROSSES_MIDNIGHT = "crosses_midnight"
    DST_CHANGE = "dst_change"
    VIDEO_WITHOUT_SLOT = "video_without_slot"
    VIDEO_LONGER_THAN_SLOT = "video_longer_than_slot"
    NO_SPEAKERS = "no_speakers"

    @property
    def is_notice(self) -> bool:
        """A fact to be aware of rather than a mistake to fix."""
        return self is ProblemKind.DST_CHANGE


@dataclass(frozen=True)
class Problem:
    """A code and the values that word it: the web layer turns them into a sentence in the viewer's language."""

    kind: ProblemKind
    params: dict = field(default_factory=dict, hash=False, compare=False)
    session_ids: tuple[int, ...] = ()

    @property
    def is_notice(self) -> bool:
        return self.kind.is_notice


# --- the overlap logic -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """A half-open span [start, end) owned by `key`: one session that ends at 10:00 and one that starts at
    10:00 do not overlap."""

    key: Hashable
    start: datetime
    end: datetime


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two half-open intervals share an instant. An empty interval overlaps nothing."""
    return a.start < a.end and b.start < b.end and a.start < b.end and b.start < a.end


def overlapping_pairs(intervals: Iterable[Interval]) -> list[tuple[Interval, Interval]]:
    """Every pair of overlapping intervals, each pair once, ordered by start: a sweep over the starts, so a
    day of hundreds of sessions costs O(n log n + pairs) rather than all pairs."""
    ordered = sorted((i for i in intervals if i.start < i.end), key=lambda i: (i.start, i.end))
    pairs: list[tuple[Interval, Interval]] = []
    active: list[Interval] = []
    for current in ordered:
        active = [a for a in active if a.end > current.start]
        pairs.extend((a, current) for a in active)
        active.append(current)
    return pairs


# --- the checks --------------------------------------------------------------------------------------------------

@dataclass
class Report:
    """Problems of an agenda, and which sessions each one concerns."""

    problems: list[Problem] = field(default_factory=list)
    _by_session: dict[int, list[Problem]] | None = field(default=None, repr=False, compare=False)

    def for_session(self, session_id: int) -> list[Problem]:
        if self._by_session is None:
            self._by_session = {}
            for problem in self.problems:
                for sid in problem.session_ids:
                    self._by_session.setdefault(sid, []).append(problem)
        return self._by_session.get(session_id, [])

    @property
    def session_ids(self) -> set[int]:
        return {sid for p in self.problems if not p.is_notice for sid in p.session_ids}

    @property
    def mistakes(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_notice]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.problems if p.is_notice]


def check_agenda(sessions: Sequence, *, event_starts_on: date, event_ends_on: date, tz: ZoneInfo,
                 speaker_names: dict[int, str] | None = None, channel_names: dict[int, str] | None = None) -> Report:
    """All problems of an event's agenda. `speaker_names` and `channel_names` name them in the parameters."""
    live = [s for s in sessions if s.status != SessionStatus.CANCELLED]
    speaker_names = speaker_names or {}
    channel_names = channel_names or {}
    problems: list[Problem] = []
    problems += speaker_double_bookings(live, speaker_names)
    problems += channel_overlaps(live, channel_names)
    for item in live:
        problems += session_problems(item, event_starts_on=event_starts_on, event_ends_on=event_ends_on, tz=tz)
    problems += dst_changes(event_starts_on, event_ends_on, tz)
    return Report(problems)


def speaker_double_bookings(sessions: Sequence, speaker_names: dict[int, str]) -> list[Problem]:
    by_speaker: dict[int, list[Interval]] = {}
    for item in sessions:
        for p in item.participations:
            by_speaker.setdefault(p.speaker_id, []).append(Interval(item, item.starts_at, item.ends_at))
    problems = []
    for speaker_id, intervals in by_speaker.items():
        name = speaker_names.get(speaker_id)  # None: the web layer says "Speaker <id>"
        for a, b in overlapping_pairs(intervals):
            problems.append(Problem(
                ProblemKind.SPEAKER_DOUBLE_BOOKED,
                {"speaker": name, "speaker_id": speaker_id, "first": a.key.title, "second": b.key.title},
                (a.key.id, b.key.id),
            ))
    return problems


def channel_overlaps(sessions: Sequence, channel_names: dict[int, str]) -> list[Problem]:
    by_channel: dict[int, list[Interval]] = {}
    for item in sessions:
        if item.channel_id is not None:
            by_channel.setdefault(item.channel_id, []).append(Interval(item, item.starts_at, item.ends_at))
    problems = []
    for channel_id, intervals in by_channel.items():
        name = channel_names.get(channel_id)  # None: "the same channel"
        for a, b in overlapping_pairs(intervals):
            problems.append(Problem(
                ProblemKind.CHANNEL_OVERLAP,
                {"first": a.key.title, "second": b.key.title, "channel": name},
                (a.key.id, b.key.id),
            ))
    return problems


def session_problems(item, *, event_starts_on: date, event_ends_on: date, tz: ZoneInfo) -> list[Problem]:
    """Problems of one session on its own: dates, midnight, video slot, speakers."""
    problems = []
    ids = (item.id,)
    first, _ = _day_bounds(event_starts_on, tz)
    _, last = _day_bounds(event_ends_on, tz)
    if item.starts_at < first or item.ends_at > last:
        problems.append(Problem(
            ProblemKind.OUTSIDE_EVENT_DATES,
            {"title": item.title, "starts_on": event_starts_on, "ends_on": event_ends_on, "zone": tz.key}, ids,
        ))
    elif crosses_midnight(item.starts_at, item.ends_at, tz):
        problems.append(Problem(
            ProblemKind.CROSSES_MIDNIGHT, {"title": item.title, "zone": tz.key}, ids,
        ))
    if item.kind == SessionKind.VIDEO_MESSAGE:
        video = item.video_message
        if video is None:
            problems.append(Problem(
                ProblemKind.VIDEO_WITHOUT_SLOT, {"title": item.title}, ids,
            ))
        else:
            length = video.measured_length or video.allowed_length
            if length is not None and length > item.duration:
                problems.append(Problem(
                    ProblemKind.VIDEO_LONGER_THAN_SLOT,
                    {"title": item.title, "length": length, "duration": item.duration}, ids,
                ))
    if item.kind in KINDS_NEEDING_SPEAKERS and not item.participations:
        problems.append(Problem(
            ProblemKind.NO_SPEAKERS, {"title": item.title, "session_kind": item.kind}, ids,
        ))
    return problems


def crosses_midnight(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> bool:
    """Whether [starts_at, ends_at) contains a local midnight other than its start (ending at 00:00 is fine)."""
    start_day = starts_at.astimezone(tz).date()
    _, day_end = _day_bounds(start_day, tz)
    return ends_at > day_end


@lru_cache(maxsize=1024)
def _day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return local_day_bounds(day, tz)


def dst_changes(starts_on: date, ends_on: date, tz: ZoneInfo) -> list[Problem]:
    """A notice for every day of the event whose UTC offset changes (a 23- or 25-hour day)."""
    problems = []
    day = starts_on
    while day <= ends_on:
        start, end = local_day_bounds(day, tz)
        before, after = start.astimezone(tz).utcoffset(), end.astimezone(tz).utcoffset()
        if before != after:
            change = after - before
            problems.append(Problem(
                ProblemKind.DST_CHANGE,
                {"zone": tz.key, "day": day, "is_forward": change > timedelta(),
                 "minutes": int(abs(change.total_seconds()) // 60), "before": offset_label(before),
                 "after": offset_label(after)}, (),
            ))
        day += timedelta(days=1)
    return problems


def offset_label(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")
