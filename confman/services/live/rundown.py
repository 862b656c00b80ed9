"""Reading a channel's day: the running order with expected times, and who is speaking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import AgendaSession, Channel, Event, LiveState, Participation, SessionStatus, Speaker, VideoMessage
from confman.models.live import channel_key
from confman.services import ConfmanError, agenda
from confman.services.live.timeline import ZERO, Slot, Timing, compute_timeline, in_order
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



def state_version(event: Event, channel_id: int | None) -> int:
    """The live-state version of one channel of `event` (None: its sessions without a channel): the optimistic lock
    of that channel's console."""
    return db.session.scalar(select(LiveState.version).filter_by(event_id=event.id,
                                                                 channel_key=channel_key(channel_id))) or 0


def event_live_version(event: Event) -> int:
    """A figure that rises with every action on any channel of `event` (the sum of the channels' versions):
    what `live.json` and the public lists of speakers put in their ETags."""
    return db.session.scalar(select(func.coalesce(func.sum(LiveState.version), 0))
                             .where(LiveState.event_id == event.id)) or 0


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
    def channel_id(self) -> int | None:
        return self.channel.id if self.channel else None

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
