"""The moderators' actions on a channel's running order. Services flush; the caller commits once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from confman.models import AgendaSession, Event, LiveAction, SessionStatus, User
from confman.services import agenda, webhooks
from confman.services.live.rundown import (
    MAX_BREAK_MINUTES,
    MAX_DELAY_MINUTES,
    NotPossibleNow,
    Rundown,
    SessionIsFixed,
    current_speaker,
    load_rundown,
    rundown_of,
)
from confman.services.live.state import Action, hook_payload
from confman.services.live.timeline import ZERO


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
    action = Action(rundown, "started", item, actor=actor, now=now, version=version,
                     touches=[item] + ([live] if live else []))
    if live is not None:
        _end(live, now)
        webhooks.enqueue(rundown.event, "session.ended", hook_payload(rundown, live), now=now)
    item.status = SessionStatus.LIVE
    item.actual_started_at = now
    item.actual_ended_at = None
    return action.finish(f"Started “{item.title}”", hook="session.started")


def end_session(item: AgendaSession, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    rundown = rundown_of(item, now=now)
    if item.status != SessionStatus.LIVE:
        raise NotPossibleNow(f"“{item.title}” is not live: only a live session can be ended.")
    action = Action(rundown, "ended", item, actor=actor, now=now, version=version, touches=[item])
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
    action = Action(rundown, "next_speaker", item, actor=actor, now=now, version=version, touches=[item])
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
    action = Action(rundown, "delay", target, actor=actor, now=now, version=version, touches=[target])
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
    action = Action(rundown, "break", item, actor=actor, now=now, version=version, touches=[item])
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
    action = Action(rundown, "moved", item, actor=actor, now=now, version=version, touches=[first, second])
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
    action = Action(rundown, "skipped", item, actor=actor, now=now, version=version,
                     touches=[item] + ([after] if after else []))
    _hand_on(item, rundown)
    item.starts_at = max(i.ends_at for i in others)
    return action.finish(f"Skipped “{item.title}” to the end of the day", replanned=[item])


def cancel_session(item: AgendaSession, *, actor: User | None, now: datetime, version: int) -> LiveAction:
    rundown = rundown_of(item, now=now)
    _require_scheduled(item, "cancelled")
    after = rundown.neighbour(item, 1)
    action = Action(rundown, "cancelled", item, actor=actor, now=now, version=version,
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
    action = Action(rundown, "rescheduled", None, actor=actor, now=now, version=version, touches=movable)
    for item in movable:
        timing = rundown.timings[item.id]
        item.starts_at, item.duration = timing.starts_at, timing.ends_at - timing.starts_at
        item.announced_delay = item.break_before = None
    return action.finish(f"Rescheduled {len(changed)} sessions to their expected times", replanned=changed)

