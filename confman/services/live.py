"""The live session order on the day: moderators' actions on a channel's running order, and undo.

Decision: expected times are live state, planned times are the schedule.
    Delays (announced, or measured as a session overruns), short breaks inserted live and breaks absorbing
    delay change only *expected* times (`expected_starts_at`, recomputed by `services/timeline.py`). They do
    not touch `starts_at` or the iCal `sequence`, so calendars are not spammed with every minute of overrun;
    the live page and `live.json` show them to everyone at once. A real change of schedule does change the
    plan: cancelling, skipping (moving a session to the end of its day), reordering (the sessions swap
    their planned slots) and an explicit "reschedule" (adopting the expected times as the new plan) change
    `starts_at`/`status`, bump `sequence`, and are carried into the public agenda at once with
    `publication.amend_published` (a LIVE agenda version with its changelog, touching only those sessions).

Concurrency: every action names the live-state version its console showed (`LiveState.version` of the
event); the version is bumped with a conditional UPDATE, so of two moderators acting on the same state one
wins and the other gets `StaleState` and a refreshed console. The version also makes `live.json`'s ETag.

Every action is audit-logged, kept in `LiveAction` with what it changed (so the last one can be undone), and
queues webhook deliveries (never sent inline). Services flush; the caller commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    Event,
    LiveAction,
    LiveState,
    Participation,
    SessionStatus,
    Speaker,
    User,
    VideoMessage,
)
from confman.services import ConfmanError, agenda, audit, publication, webhooks
from confman.services.timeline import ZERO, Slot, Timing, compute_timeline, in_order
from confman.timeutil import local_day_bounds

WRAP_UP = timedelta(minutes=1)  # the speaker's countdown warns this long before the limit
MAX_DELAY_MINUTES = 240
MAX_BREAK_MINUTES = 60


class LiveError(ConfmanError):
    pass


class StaleState(LiveError):
    def __init__(self) -> None:
        super().__init__("Another moderator changed the running order after this page was loaded, so your action "
                         "was not applied. The console now shows the current state: check it and try again.")


class NotPossibleNow(LiveError):
    pass


class SessionIsFixed(LiveError):
    pass


class NothingToUndo(LiveError):
    pass


# --- reading ---------------------------------------------------------------------------------------------------

def state_version(event: Event) -> int:
    return db.session.scalar(select(LiveState.version).filter_by(event_id=event.id)) or 0


@dataclass
class Rundown:
    """One channel's day as the console shows it: the running order with expected times."""

    event: Event
    channel: Channel | None
    day: date
    items: list[AgendaSession]  # in running order, cancelled ones included
    timings: dict[int, Timing]  # expected times of the ones not cancelled
    now: datetime

    @property
    def live(self) -> AgendaSession | None:
        return next((i for i in self.items if i.status == SessionStatus.LIVE), None)

    @property
    def upcoming(self) -> list[AgendaSession]:
        return [i for i in self.items if i.status == SessionStatus.SCHEDULED]

    @property
    def next(self) -> AgendaSession | None:
        return next(iter(self.upcoming), None)

    @property
    def late_by(self) -> timedelta:
        """How late the channel runs: the next session's delay, or the live one's overrun when none is left."""
        if (item := self.next) is not None:
            return self.timings[item.id].delay
        if (item := self.live) is not None:
            return self.timings[item.id].end_delay
        return ZERO

    def collisions(self) -> list[tuple[AgendaSession, Timing]]:
        return [(i, self.timings[i.id]) for i in self.items
                if i.id in self.timings and self.timings[i.id].collision > ZERO and i.status == SessionStatus.SCHEDULED]

    def neighbour(self, item: AgendaSession, step: int) -> AgendaSession | None:
        active = [i for i in self.items if i.status != SessionStatus.CANCELLED]
        n = active.index(item) + step
        return active[n] if 0 <= n < len(active) else None


def load_rundown(event: Event, channel_id: int | None, day: date, *, now: datetime) -> Rundown:
    start, end = local_day_bounds(day, event.tz)
    query = (select(AgendaSession)
             .where(AgendaSession.event_id == event.id, AgendaSession.starts_at >= start,
                    AgendaSession.starts_at < end,
                    AgendaSession.channel_id == channel_id if channel_id else AgendaSession.channel_id.is_(None))
             .options(selectinload(AgendaSession.participations).selectinload(Participation.speaker)
                      .selectinload(Speaker.organization),
                      selectinload(AgendaSession.video_message).selectinload(VideoMessage.speaker),
                      selectinload(AgendaSession.channel)))
    items = list(db.session.scalars(query))
    order = {s.id: n for n, s in enumerate(in_order(Slot.of(i) for i in items))}
    items.sort(key=lambda i: order[i.id])
    channel = db.session.get(Channel, channel_id) if channel_id else None
    return Rundown(event, channel, day, items, compute_timeline([Slot.of(i) for i in items], now), now)


def rundown_of(item: AgendaSession, *, now: datetime) -> Rundown:
    return load_rundown(item.event, item.channel_id, item.starts_at.astimezone(item.event.tz).date(), now=now)


@dataclass(frozen=True)
class SpeakerClock:
    participation: Participation
    elapsed: timedelta
    remaining: timedelta | None  # None: no statement time limit

    @property
    def state(self) -> str:
        """'ok', 'wrap-up' (the last minute) or 'overrun'."""
        if self.remaining is None or self.remaining > WRAP_UP:
            return "ok"
        return "wrap-up" if self.remaining >= ZERO else "overrun"


def current_speaker(item: AgendaSession, *, now: datetime) -> SpeakerClock | None:
    for p in agenda.speaking_order(item):
        if p.actual_started_at is not None and p.actual_ended_at is None:
            elapsed = max(ZERO, now - p.actual_started_at)
            return SpeakerClock(p, elapsed, None if p.time_limit is None else p.time_limit - elapsed)
    return None


# --- acting ----------------------------------------------------------------------------------------------------

def _claim(event: Event, version: int, now: datetime) -> None:
    """Move the event's live state from `version` to `version + 1`, or raise StaleState: the optimistic lock."""
    table = LiveState.__table__  # Core statements on the session's connection: their rowcount is reliable
    connection = db.session.connection()
    result = connection.execute(update(table).where(table.c.event_id == event.id, table.c.version == version)
                                .values(version=version + 1, updated_at=now))
    if result.rowcount == 1:
        return
    if version == 0:  # the first action on this event: create the row, unless someone else just did
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        created = connection.execute(insert(table).values(event_id=event.id, version=1, updated_at=now)
                                     .on_conflict_do_nothing(index_elements=["event_id"])
                                     .returning(table.c.event_id)).first()
        if created is not None:
            return
    raise StaleState()


_FIELDS = ("status", "starts_at", "duration", "actual_started_at", "actual_ended_at", "announced_delay",
           "break_before")


def _capture(items: Sequence[AgendaSession]) -> list[dict[str, Any]]:
    return [{"id": i.id, **{f: audit.jsonable(getattr(i, f)) for f in _FIELDS},
             "participations": [{"id": p.id, "actual_started_at": audit.jsonable(p.actual_started_at),
                                 "actual_ended_at": audit.jsonable(p.actual_ended_at)} for p in i.participations]}
            for i in items]


class _Action:
    """One moderator action: claim the version, remember the before-state, apply, settle, log."""

    def __init__(self, rundown: Rundown, kind: str, item: AgendaSession | None, *, actor: User | None,
                 now: datetime, version: int, touches: Sequence[AgendaSession]):
        self.rundown, self.kind, self.item, self.actor, self.now = rundown, kind, item, actor, now
        _claim(rundown.event, version, now)
        self.before = _capture(touches)

    def finish(self, summary: str, *, replanned: Sequence[AgendaSession] = (), hook: str | None = None,
               hook_data: dict[str, Any] | None = None) -> LiveAction:
        event = self.rundown.event
        _settle(self.rundown, self.now)
        action = LiveAction(event_id=event.id, session_id=self.item.id if self.item else None,
                            actor_id=self.actor.id if self.actor else None, kind=self.kind, summary=summary[:300],
                            before=self.before, at=self.now)
        db.session.add(action)
        audit.record(event=event, actor=self.actor, action=f"live.{self.kind}", target_type="agenda_session",
                     target_id=self.item.id if self.item else None, now=self.now, summary=summary,
                     before={"sessions": self.before}, after={"sessions": _capture(self.rundown.items)})
        if replanned:
            _replan(event, replanned, actor=self.actor, now=self.now, comment=summary)
        if hook is not None:
            webhooks.enqueue(event, hook, {**_hook_payload(self.rundown, self.item), **(hook_data or {})},
                             now=self.now)
        db.session.flush()
        return action


def _settle(rundown: Rundown, now: datetime) -> None:
    """Recompute expected times and store them on the sessions that changed (the rest are left untouched)."""
    db.session.flush()
    rundown.items.sort(key=lambda i: (i.starts_at, i.id))
    rundown.timings = compute_timeline([Slot.of(i) for i in rundown.items], now)
    for item in rundown.items:
        timing = rundown.timings.get(item.id)
        expected = None
        if item.status == SessionStatus.SCHEDULED and timing is not None and timing.starts_at != item.starts_at:
            expected = timing.starts_at
        if item.expected_starts_at != expected:
            item.expected_starts_at = expected
    db.session.flush()


def _replan(event: Event, items: Sequence[AgendaSession], *, actor: User | None, now: datetime,
            comment: str) -> None:
    """A real change of schedule: calendars must see it, and the public agenda carries it at once."""
    for item in items:
        item.sequence += 1
    db.session.flush()
    publication.amend_published(event, items, actor=actor, now=now, comment=comment)


def _hook_payload(rundown: Rundown, item: AgendaSession | None) -> dict[str, Any]:
    data: dict[str, Any] = {"channel": rundown.channel.slug if rundown.channel else None,
                            "late_minutes": int(rundown.late_by.total_seconds() // 60)}
    if item is not None:
        timing = rundown.timings.get(item.id)
        data["session"] = {"id": item.id, "title": item.title, "status": item.status.value,
                           "planned_start": item.starts_at.isoformat(),
                           "expected_start": timing.starts_at.isoformat() if timing else None,
                           "actual_started_at": audit.jsonable(item.actual_started_at),
                           "actual_ended_at": audit.jsonable(item.actual_ended_at)}
    return data


def _require_scheduled(item: AgendaSession, doing: str) -> None:
    if item.status != SessionStatus.SCHEDULED:
        raise NotPossibleNow(f"“{item.title}” is {item.status.value}: it cannot be {doing}.")


def _end(item: AgendaSession, now: datetime) -> None:
    item.status = SessionStatus.DONE
    item.actual_ended_at = max(now, item.actual_started_at or now)
    for p in item.participations:
        if p.actual_started_at is not None and p.actual_ended_at is None:
            p.actual_ended_at = now


def start_session(item: AgendaSession, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    """Start `item` now (ending the session that is live in its channel). Raises NotPossibleNow, StaleState."""
    rundown = rundown_of(item, now=now)
    _require_scheduled(item, "started")
    if rundown.next is not item:
        raise NotPossibleNow(f"“{rundown.next.title}” comes first in the running order: start it, or skip or "
                             f"cancel it, before starting “{item.title}”.")
    live = rundown.live
    action = _Action(rundown, "started", item, actor=actor, now=now, version=version,
                     touches=[item] + ([live] if live else []))
    if live is not None:
        _end(live, now)
        webhooks.enqueue(rundown.event, "session.ended", _hook_payload(rundown, live), now=now)
    item.status = SessionStatus.LIVE
    item.actual_started_at = now
    item.actual_ended_at = None
    return action.finish(f"Started “{item.title}”", hook="session.started")


def end_session(item: AgendaSession, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    rundown = rundown_of(item, now=now)
    if item.status != SessionStatus.LIVE:
        raise NotPossibleNow(f"“{item.title}” is not live: only a live session can be ended.")
    action = _Action(rundown, "ended", item, actor=actor, now=now, version=version, touches=[item])
    _end(item, now)
    return action.finish(f"Ended “{item.title}”", hook="session.ended")


def next_speaker(item: AgendaSession, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    """End the current speaker's turn and give the floor to the next in speaking order. Raises NotPossibleNow."""
    rundown = rundown_of(item, now=now)
    if item.status != SessionStatus.LIVE:
        raise NotPossibleNow(f"Start “{item.title}” before giving anyone the floor.")
    order = agenda.speaking_order(item)
    current = current_speaker(item, now=now)
    after = order[order.index(current.participation) + 1:] if current else order
    following = next((p for p in after if p.actual_started_at is None), None)
    if current is None and following is None:
        raise NotPossibleNow("Every speaker of this session has already spoken.")
    action = _Action(rundown, "next_speaker", item, actor=actor, now=now, version=version, touches=[item])
    if current is not None:
        current.participation.actual_ended_at = now
    if following is not None:
        following.actual_started_at = now
        summary = f"Gave the floor to {following.speaker.full_name} in “{item.title}”"
    else:
        summary = f"Last speaker finished in “{item.title}”"
    return action.finish(summary)


def announce_delay(event: Event, channel_id: int | None, day: date, minutes: int, *, actor: User | None,
                   now: datetime, version: int) -> LiveAction:
    """"Running late by N minutes": the next session will not start before its planned start plus N (0 clears)."""
    if not 0 <= minutes <= MAX_DELAY_MINUTES:
        raise NotPossibleNow(f"A delay is between 0 and {MAX_DELAY_MINUTES} minutes.")
    rundown = load_rundown(event, channel_id, day, now=now)
    target = rundown.next
    if target is None:
        raise NotPossibleNow("No session is left to start in this channel today: there is nothing to delay.")
    action = _Action(rundown, "delay", target, actor=actor, now=now, version=version, touches=[target])
    target.announced_delay = timedelta(minutes=minutes) if minutes else None
    summary = f"Running late by {minutes} min before “{target.title}”" if minutes else "Delay cleared"
    if target.is_fixed and minutes:
        summary += " (it has a fixed start and will not move)"
    return action.finish(summary, hook="delay.announced", hook_data={"announced_minutes": minutes})


def insert_break(item: AgendaSession, minutes: int, *, actor: User | None, now: datetime,
                 version: int) -> LiveAction:
    """A short break just before `item`: it and the sessions after it are expected later (planned times stay)."""
    if not 1 <= minutes <= MAX_BREAK_MINUTES:
        raise NotPossibleNow(f"A short break is between 1 and {MAX_BREAK_MINUTES} minutes.")
    rundown = rundown_of(item, now=now)
    _require_scheduled(item, "preceded by a break")
    if item.is_fixed:
        raise SessionIsFixed(f"“{item.title}” has a fixed start: insert the break before an earlier session.")
    action = _Action(rundown, "break", item, actor=actor, now=now, version=version, touches=[item])
    item.break_before = (item.break_before or ZERO) + timedelta(minutes=minutes)
    return action.finish(f"Inserted a {minutes}-minute break before “{item.title}”")


def move_session(item: AgendaSession, step: int, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    """Swap `item` with the session before (step -1) or after (+1): they exchange planned slots (a real change)."""
    rundown = rundown_of(item, now=now)
    _require_scheduled(item, "moved")
    other = rundown.neighbour(item, step)
    if other is None or other.status != SessionStatus.SCHEDULED:
        raise NotPossibleNow(f"“{item.title}” cannot move {'up' if step < 0 else 'down'}: "
                             "only sessions that have not started can change places.")
    for candidate in (item, other):
        if candidate.is_fixed:
            raise SessionIsFixed(f"“{candidate.title}” has a fixed start: it cannot change places.")
    first, second = (other, item) if step < 0 else (item, other)
    action = _Action(rundown, "moved", item, actor=actor, now=now, version=version, touches=[first, second])
    start, end = first.starts_at, second.ends_at
    second.starts_at = start
    first.starts_at = max(end - first.duration, second.starts_at + second.duration)
    # Delays and inserted breaks belong to the place in the running order, not to the session.
    first.announced_delay, second.announced_delay = second.announced_delay, first.announced_delay
    first.break_before, second.break_before = second.break_before, first.break_before
    return action.finish(f"Moved “{item.title}” {'up' if step < 0 else 'down'}", replanned=[first, second])


def _hand_on(item: AgendaSession, rundown: Rundown) -> list[AgendaSession]:
    """A session leaving its place passes its announced delay and inserted break to the one after it."""
    after = rundown.neighbour(item, 1)
    if after is None or after.status != SessionStatus.SCHEDULED or not (item.announced_delay or item.break_before):
        return []
    after.announced_delay = max(after.announced_delay or ZERO, item.announced_delay or ZERO) or None
    after.break_before = ((after.break_before or ZERO) + (item.break_before or ZERO)) or None
    item.announced_delay = item.break_before = None
    return [after]


def skip_session(item: AgendaSession, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    """Take `item` out of its place and put it at the end of its channel's day (a real change of schedule)."""
    rundown = rundown_of(item, now=now)
    _require_scheduled(item, "skipped")
    if item.is_fixed:
        raise SessionIsFixed(f"“{item.title}” has a fixed start: it cannot be skipped (cancel it instead).")
    others = [i for i in rundown.items if i is not item and i.status != SessionStatus.CANCELLED]
    if not others or rundown.neighbour(item, 1) is None:
        raise NotPossibleNow(f"“{item.title}” is already the last session of the day.")
    after = rundown.neighbour(item, 1)
    action = _Action(rundown, "skipped", item, actor=actor, now=now, version=version,
                     touches=[item] + ([after] if after else []))
    _hand_on(item, rundown)
    item.starts_at = max(i.ends_at for i in others)
    return action.finish(f"Skipped “{item.title}” to the end of the day", replanned=[item])


def cancel_session(item: AgendaSession, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    rundown = rundown_of(item, now=now)
    _require_scheduled(item, "cancelled")
    after = rundown.neighbour(item, 1)
    action = _Action(rundown, "cancelled", item, actor=actor, now=now, version=version,
                     touches=[item] + ([after] if after else []))
    _hand_on(item, rundown)
    item.status = SessionStatus.CANCELLED
    return action.finish(f"Cancelled “{item.title}”", replanned=[item], hook="session.cancelled")


def reschedule(event: Event, channel_id: int | None, day: date, *, actor: User | None, now: datetime,
               version: int) -> LiveAction:
    """Make the expected times the plan for the sessions still to come (fixed ones keep theirs): calendars follow."""
    rundown = load_rundown(event, channel_id, day, now=now)
    movable = [i for i in rundown.upcoming if not i.is_fixed]  # a fixed start is never rescheduled by this
    changed = [i for i in movable
               if (rundown.timings[i.id].starts_at, rundown.timings[i.id].ends_at) != (i.starts_at, i.ends_at)]
    if not changed:
        raise NotPossibleNow("The sessions still to come are on time: there is nothing to reschedule.")
    action = _Action(rundown, "rescheduled", None, actor=actor, now=now, version=version, touches=movable)
    for item in movable:
        timing = rundown.timings[item.id]
        item.starts_at, item.duration = timing.starts_at, timing.ends_at - timing.starts_at
        item.announced_delay = item.break_before = None
    return action.finish(f"Rescheduled {len(changed)} sessions to their expected times", replanned=changed)


def last_action(event: Event) -> LiveAction | None:
    return db.session.scalar(select(LiveAction).where(LiveAction.event_id == event.id, LiveAction.undone_at.is_(None))
                             .order_by(LiveAction.id.desc()).limit(1))


def undo_last(event: Event, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    """Put back what the event's last live action changed. Raises NothingToUndo, StaleState."""
    action = last_action(event)
    if action is None:
        raise NothingToUndo("There is no live action left to undo.")
    _claim(event, version, now)
    ids = [s["id"] for s in action.before]
    items = {i.id: i for i in db.session.scalars(
        select(AgendaSession).where(AgendaSession.id.in_(ids)).options(selectinload(AgendaSession.participations)))}
    replanned = []
    for saved in action.before:
        item = items.get(saved["id"])
        if item is None:
            continue
        restored = {f: _restore(getattr(AgendaSession, f), saved[f]) for f in _FIELDS}
        if (restored["status"], restored["starts_at"], restored["duration"]) != (
                item.status, item.starts_at, item.duration):
            replanned.append(item)
        for f, value in restored.items():
            setattr(item, f, value)
        times = {p["id"]: p for p in saved["participations"]}
        for p in item.participations:
            if p.id in times:
                p.actual_started_at = _restore(Participation.actual_started_at, times[p.id]["actual_started_at"])
                p.actual_ended_at = _restore(Participation.actual_ended_at, times[p.id]["actual_ended_at"])
    action.undone_at = now
    summary = f"Undid: {action.summary}"
    audit.record(event=event, actor=actor, action="live.undone", target_type="live_action", target_id=action.id,
                 now=now, summary=summary)
    db.session.flush()
    for item in items.values():
        _settle(rundown_of(item, now=now), now)
    if replanned:
        _replan(event, replanned, actor=actor, now=now, comment=summary)
    return action


def _restore(column, value):
    """A value saved by `_capture` (JSON) back to the column's Python type."""
    if value is None:
        return None
    if column.key == "status":
        return SessionStatus(value)
    if column.key in ("duration", "announced_delay", "break_before"):
        return timedelta(seconds=value)
    return datetime.fromisoformat(value)
